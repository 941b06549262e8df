package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.matrix.MatrixClient;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Sends the bot's messages encrypted where the room is encrypted: reads the room's state for
 * {@code m.room.encryption} (its rotation settings) and the members (joined and invited), then
 * hands the event to the bot's device. Unencrypted rooms are left to the plain path.
 */
public final class EncryptedNotices {

  private final MatrixClient matrix;
  private final Supplier<BotDevice> device;

  /** {@code device} gives the bot's device once it started, or null. */
  public EncryptedNotices(MatrixClient matrix, Supplier<BotDevice> device) {
    this.matrix = matrix;
    this.device = device;
  }

  /**
   * Sends encrypted if the room is encrypted and the device runs; empty when the room is not
   * encrypted (send in plain). Fails when the room is encrypted but the device is missing, so no
   * plaintext goes into an encrypted room.
   */
  public Future<Optional<String>> sendIfEncrypted(String roomId, String eventType, JsonObject content, String txnId) {
    return matrix.roomState(roomId).compose(state -> {
      JsonObject encryption = null;
      Set<String> members = new HashSet<>();
      for (Object item : state) {
        if (!(item instanceof JsonObject event)) {
          continue;
        }
        if ("m.room.encryption".equals(event.getString("type"))) {
          encryption = event.getJsonObject("content", new JsonObject());
        }
        String membership = event.getJsonObject("content", new JsonObject()).getString("membership");
        if ("m.room.member".equals(event.getString("type")) && ("join".equals(membership) || "invite".equals(membership))) {
          members.add(event.getString("state_key"));
        }
      }
      if (encryption == null) {
        return Future.succeededFuture(Optional.empty());
      }
      BotDevice bot = device.get();
      if (bot == null) {
        return Future.failedFuture(new IllegalStateException("room is encrypted and the bot's E2EE device is not running"));
      }
      long rotationMs = encryption.getLong("rotation_period_ms", RoomCrypto.DEFAULT_ROTATION_MS);
      int rotationMsgs = encryption.getInteger("rotation_period_msgs", RoomCrypto.DEFAULT_ROTATION_MSGS);
      return bot.sendEncrypted(roomId, members, eventType, content, txnId, rotationMs, rotationMsgs).map(Optional::of);
    });
  }
}
