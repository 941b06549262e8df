package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** Executes actions against the homeserver, as the bot. */
public final class MatrixActionExecutor implements ActionExecutor {

  private final MatrixClient matrix;

  public MatrixActionExecutor(MatrixClient matrix) {
    this.matrix = matrix;
  }

  @Override
  public Future<Void> execute(Action action, String idempotencyKey) {
    if (action instanceof Action.JoinRoom join) {
      return matrix.joinRoom(join.roomId());
    }
    if (action instanceof Action.SendNotice notice) {
      JsonObject content = new JsonObject()
          .put("msgtype", "m.notice")
          .put("body", notice.plainText());
      return matrix.sendEvent(notice.roomId(), "m.room.message", idempotencyKey, content).mapEmpty();
    }
    return Future.failedFuture(new IllegalArgumentException("no executor for " + action));
  }
}
