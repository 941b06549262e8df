package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one event's actions in order. A notice into another room than the event's (the
 * counsellor's direct chat, told that someone was removed) is started in its turn but not waited
 * for: the transaction's answer, and with it Synapse's next transaction and the kicks in it, must
 * not wait for a message elsewhere. A reply in the event's own room (a command's answer) is waited
 * for, so that answers come in the order of the commands. A notice not waited for that fails is
 * logged; it is lost, not retried (Synapse would not resend an answered transaction anyway).
 */
final class EventActions {

  private static final Logger LOG = LoggerFactory.getLogger(EventActions.class);

  private EventActions() {}

  static Future<Void> run(ActionExecutor executor, String eventRoomId, List<Action> actions,
      IntFunction<String> idempotencyKeys) {
    ActionExecutor notWaitingElsewhere = (action, key) -> {
      Future<Void> started = executor.execute(action, key);
      if (!(action instanceof Action.SendNotice notice) || notice.roomId().equals(eventRoomId)) {
        return started;
      }
      started.onFailure(failure -> LOG.warn("a notice after an event in {} failed: {}", eventRoomId,
          failure.toString()));
      return Future.succeededFuture();
    };
    return notWaitingElsewhere.executeInOrder(actions, idempotencyKeys);
  }
}
