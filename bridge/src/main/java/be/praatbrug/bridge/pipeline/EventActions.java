package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one event's actions in order. A notice into another room than the event's (the
 * counsellor's direct chat, told that someone was removed) is handed to the {@link NoticeLane} in
 * its turn and not waited for: the transaction's answer, and with it Synapse's next transaction and
 * the kicks in it, must not wait for a message elsewhere. A reply in the event's own room (a
 * command's answer) is waited for, so that answers come in the order of the commands. A notice not
 * waited for that fails is logged; it is lost, not retried (Synapse would not resend an answered
 * transaction anyway).
 *
 * <p>A removal (only kicks and notices) is not waited for either: Synapse holds every later event,
 * other rooms' joins included, until this transaction is answered, so in a burst of joins each
 * transaction waiting for its own kicks delays all the next ones' (measured in BENCHMARKS.md, "Many
 * rooms"). The person is counted out of the room at once, the kick and then its notices go in
 * order, and a removal that fails has its room repaired from the homeserver's state instead of
 * through Synapse's resend; a bridge that stops before the kick lands repairs it at startup.
 */
final class EventActions {

  private static final Logger LOG = LoggerFactory.getLogger(EventActions.class);

  private EventActions() {}

  /**
   * Whether the actions remove someone from {@code eventRoomId} and only tell about it elsewhere (a
   * reply in the event's own room keeps its order with the next command's, so it is waited for).
   */
  static boolean isRemoval(List<Action> actions, String eventRoomId) {
    return actions.stream().anyMatch(Action.Kick.class::isInstance)
        && actions.stream().allMatch(action -> action instanceof Action.Kick kick && kick.roomId().equals(eventRoomId)
            || action instanceof Action.SendNotice notice && !notice.roomId().equals(eventRoomId));
  }

  /**
   * {@code removal} as it goes on after the answer: when it fails, its room is reconciled (the
   * failure stays, for the metrics); a reconciliation that fails too leaves it to the periodic one.
   */
  static Future<Void> repairedIfFailed(Future<Void> removal, String roomId,
      Function<String, Future<Integer>> reconcileRoom) {
    return removal.recover(failure -> {
      LOG.warn("a removal in {} failed after its transaction was answered ({}); repairing the room",
          roomId, failure.toString());
      return reconcileRoom.apply(roomId).recover(notRepaired -> {
        LOG.warn("repairing {} failed too; the periodic reconciliation will: {}", roomId, notRepaired.toString());
        return Future.succeededFuture(0);
      }).transform(repaired -> Future.failedFuture(failure));
    });
  }

  static Future<Void> run(ActionExecutor executor, NoticeLane elsewhere, String eventRoomId,
      List<Action> actions, IntFunction<String> idempotencyKeys) {
    ActionExecutor notWaitingElsewhere = (action, key) -> {
      if (action instanceof Action.SendNotice notice && !notice.roomId().equals(eventRoomId)) {
        elsewhere.send(notice, key);
        return Future.succeededFuture();
      }
      return executor.execute(action, key);
    };
    return notWaitingElsewhere.executeInOrder(actions, idempotencyKeys);
  }
}
