package be.praatbrug.bridge.appservice;

import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;

/**
 * Handles one room event the homeserver pushed: decide, then act.
 *
 * <p>Called on the event loop, one event at a time per room, in the order the homeserver sent
 * them. Must not block; I/O returns a {@link Future}. A failed future becomes
 * {@link EventOutcome.Failed}.
 */
@FunctionalInterface
public interface EventProcessor {

  Future<EventOutcome> process(MatrixEvent event);
}
