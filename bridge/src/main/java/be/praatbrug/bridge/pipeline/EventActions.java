package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Carries out one event's actions in order. A notice into another room than the event's (the
 * counsellor's direct chat, told that someone was removed) is handed to the {@link NoticeLane} in
 * its turn and not waited for: the transaction's answer, and with it Synapse's next transaction and
 * the kicks in it, must not wait for a message elsewhere. A reply in the event's own room (a
 * command's answer) is waited for, so that answers come in the order of the commands. A notice not
 * waited for that fails is logged; it is lost, not retried (Synapse would not resend an answered
 * transaction anyway).
 */
final class EventActions {

  private EventActions() {}

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
