package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.e2ee.EncryptedNotices;
import be.praatbrug.bridge.matrix.MatrixClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The bot's notices ({@code m.notice}): encrypted by its own device where the room is encrypted,
 * never in plain text there; plain where the room is not.
 */
public final class Notices {

  private final MatrixClient matrix;
  private final EncryptedNotices encrypted;

  public Notices(MatrixClient matrix, EncryptedNotices encrypted) {
    this.matrix = matrix;
    this.encrypted = encrypted;
  }

  /** @param txnId idempotency key: a repeat with the same key is not sent twice */
  public Future<Void> send(String roomId, String text, String txnId) {
    JsonObject content = new JsonObject().put("msgtype", "m.notice").put("body", text);
    return encrypted.sendIfEncrypted(roomId, "m.room.message", content, txnId)
        .compose(done -> done.isPresent() ? Future.<Void>succeededFuture()
            : matrix.sendEvent(roomId, "m.room.message", txnId, content).mapEmpty());
  }
}
