package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;

/**
 * Carries out the actions the policy core decided on.
 *
 * <p>Does I/O and returns at once; never blocks. {@code idempotencyKey} is derived from the event
 * that caused the action, so executing the same action for the same event twice (a resent
 * transaction after a crash) has the effect of once.
 */
public interface ActionExecutor {

  Future<Void> execute(Action action, String idempotencyKey);
}
