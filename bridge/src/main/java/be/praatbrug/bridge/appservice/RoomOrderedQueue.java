package be.praatbrug.bridge.appservice;

import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs event handling in order per room, and in parallel across rooms.
 *
 * <p>Order within a room matters: a join must be judged before the kick that follows it. Different
 * rooms are independent, so a slow homeserver call in one room does not delay another.
 */
final class RoomOrderedQueue {

  private final Map<String, Future<EventOutcome>> tails = new ConcurrentHashMap<>();

  /** Queues {@code event} behind earlier events of its room; the result never fails. */
  Future<EventOutcome> submit(MatrixEvent event, EventProcessor processor) {
    String roomId = event.roomId();
    Future<EventOutcome> queued = tails.compute(roomId, (room, previous) ->
        (previous == null ? Future.<EventOutcome>succeededFuture() : previous)
            .transform(ignored -> processSafely(event, processor)));
    // Forget the room once its queue drains, so the map does not grow with every room ever seen.
    queued.onComplete(done -> tails.remove(roomId, queued));
    return queued;
  }

  int roomsInFlight() {
    return tails.size();
  }

  private static Future<EventOutcome> processSafely(MatrixEvent event, EventProcessor processor) {
    try {
      return processor.process(event)
          .recover(error -> Future.succeededFuture(new EventOutcome.Failed(error)));
    } catch (RuntimeException bug) {
      return Future.succeededFuture(new EventOutcome.Failed(bug));
    }
  }
}
