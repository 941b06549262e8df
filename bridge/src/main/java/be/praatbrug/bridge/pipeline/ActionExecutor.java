package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Carries out the actions the policy core decided on.
 *
 * <p>Does I/O and returns at once; never blocks. {@code idempotencyKey} is derived from the event
 * that caused the action, so executing the same action for the same event twice (a resent
 * transaction after a crash) has the effect of once.
 */
public interface ActionExecutor {

  Future<Void> execute(Action action, String idempotencyKey);

  /** Executes {@code actions} one after another, stopping at the first failure. */
  default Future<Void> executeInOrder(List<Action> actions, IntFunction<String> idempotencyKeys) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < actions.size(); i++) {
      Action action = actions.get(i);
      String key = idempotencyKeys.apply(i);
      chain = chain.compose(previous -> execute(action, key));
    }
    return chain;
  }
}
