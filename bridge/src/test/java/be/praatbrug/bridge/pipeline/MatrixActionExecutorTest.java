package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every kind of {@link Action} the policy core can decide has its step in the executor. Java 17
 * has no exhaustive {@code switch} over a sealed type, so this test is what makes a new action
 * without an executor fail the build instead of failing at run time ("no executor for").
 */
class MatrixActionExecutorTest {

  /** The executor with no parts: reaching a branch is enough, what it then does is not run. */
  private final MatrixActionExecutor executor = new MatrixActionExecutor(
      new MatrixActionExecutor.Parts(null, null, null, null, null, null, null, null, null, null, null,
          null));

  @Test
  void everyActionHasAnExecutor() throws Exception {
    Class<?>[] kinds = Action.class.getPermittedSubclasses();
    assertTrue(kinds.length >= 20, "the sealed Action lists its kinds: " + Arrays.toString(kinds));
    List<String> unhandled = new ArrayList<>();
    for (Class<?> kind : kinds) {
      Action action = sample(kind);
      Future<Void> outcome;
      try {
        outcome = executor.execute(action, "test");
      } catch (NullPointerException reachedItsBranch) {
        continue; // the branch ran and met the missing parts
      }
      if (outcome.failed() && outcome.cause() instanceof IllegalArgumentException unknown
          && String.valueOf(unknown.getMessage()).startsWith("no executor for")) {
        unhandled.add(kind.getSimpleName());
      }
    }
    assertEquals(List.of(), unhandled, "actions the executor does not know");
  }

  @Test
  void theExecutorsStepsAreExactlyTheKindsOfAction() {
    assertEquals(Set.of(Action.class.getPermittedSubclasses()), Set.copyOf(executor.kinds()));
  }

  /** An instance of a record kind of action, its components filled with plain values. */
  private static Action sample(Class<?> kind) throws Exception {
    RecordComponent[] components = kind.getRecordComponents();
    Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
    Object[] values = Arrays.stream(types).map(MatrixActionExecutorTest::valueOf).toArray();
    Constructor<?> constructor = kind.getDeclaredConstructor(types);
    return (Action) constructor.newInstance(values);
  }

  private static Object valueOf(Class<?> type) {
    if (type == String.class) {
      return "!room:caw.test";
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == int.class || type == long.class) {
      return type == int.class ? (Object) 0 : (Object) 0L;
    }
    if (type == Instant.class) {
      return Instant.parse("2026-12-06T10:00:00Z");
    }
    if (type == java.time.Duration.class) {
      return java.time.Duration.ofMinutes(45);
    }
    if (type == Map.class) {
      return Map.of();
    }
    if (type == List.class) {
      return List.of();
    }
    return null;
  }
}
