package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events waiting for their room key: one request and one end per session, whatever the number of events. */
@ExtendWith(VertxExtension.class)
class MissingKeysTest {

  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<String> finished = new CopyOnWriteArrayList<>();

  private MissingKeys missingKeys(Vertx vertx, long askAfterMs, long giveUpAfterMs) {
    return new MissingKeys(vertx, askAfterMs, giveUpAfterMs, (event, key) -> asked.add(key), finished::add);
  }

  private static JsonObject event(String sessionId) {
    return new JsonObject().put("content", new JsonObject().put("session_id", sessionId));
  }

  private static <T> Throwable failureOf(Future<T> future) throws Exception {
    try {
      future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("succeeded");
  }

  @Test
  void eventsOfOneSessionShareOneRequestAndGoOnTogetherWhenTheKeyComes(Vertx vertx) throws Exception {
    MissingKeys keys = missingKeys(vertx, 50, 5_000);
    Future<Void> first = keys.awaitKey("room|curve|s1", event("s1"));
    Future<Void> second = keys.awaitKey("room|curve|s1", event("s1"));
    Thread.sleep(300);
    assertEquals(List.of("room|curve|s1"), asked);
    keys.arrived("room|curve|s1");
    first.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    second.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertEquals(List.of("room|curve|s1"), finished);
    assertEquals(0, keys.waiting());
  }

  @Test
  void aKeyThatComesWithinTheGraceIsNeverAskedFor(Vertx vertx) throws Exception {
    MissingKeys keys = missingKeys(vertx, 200, 5_000);
    Future<Void> waiting = keys.awaitKey("room|curve|s1", event("s1"));
    keys.arrived("room|curve|s1");
    waiting.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    Thread.sleep(400);
    assertTrue(asked.isEmpty(), "asked for a key that had come: " + asked);
  }

  @Test
  void whenTimeIsUpEveryWaitingEventFailsAndTheRequestEndsOnce(Vertx vertx) throws Exception {
    MissingKeys keys = missingKeys(vertx, 20, 150);
    Future<Void> first = keys.awaitKey("room|curve|s1", event("s1"));
    Future<Void> second = keys.awaitKey("room|curve|s1", event("s1"));
    assertInstanceOf(RoomKeyMissingException.class, failureOf(first));
    assertInstanceOf(RoomKeyMissingException.class, failureOf(second));
    assertEquals(List.of("room|curve|s1"), asked);
    assertEquals(List.of("room|curve|s1"), finished);
    // A key that comes later changes nothing, and a new event starts a new wait.
    keys.arrived("room|curve|s1");
    assertEquals(1, finished.size());
    keys.awaitKey("room|curve|s1", event("s1"));
    assertEquals(1, keys.waiting());
  }
}
