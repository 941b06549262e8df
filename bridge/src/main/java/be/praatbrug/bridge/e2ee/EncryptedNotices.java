package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.matrix.RoomStateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends the bot's messages encrypted where the room is encrypted: takes the room's
 * {@code m.room.encryption} settings (its rotation) and members (joined and invited) from the
 * {@link RoomStateStore}, then hands the event to the bot's device. Unencrypted rooms are left to
 * the plain path.
 */
public final class EncryptedNotices {

  private final RoomStateStore roomStates;
  private final Supplier<BotDevice> device;

  /** {@code device} gives the bot's device once it started, or null. */
  public EncryptedNotices(RoomStateStore roomStates, Supplier<BotDevice> device) {
    this.roomStates = roomStates;
    this.device = device;
  }

  /**
   * Sends encrypted if the room is encrypted and the device runs; empty when the room is not
   * encrypted (send in plain). Fails when the room is encrypted but the device is missing, so no
   * plaintext goes into an encrypted room.
   */
  public Future<Optional<String>> sendIfEncrypted(String roomId, String eventType, JsonObject content, String txnId) {
    return roomStates.get(roomId).compose(state -> {
      if (state.encryption().isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      BotDevice bot = device.get();
      if (bot == null) {
        return Future.failedFuture(new IllegalStateException("room is encrypted and the bot's E2EE device is not running"));
      }
      JsonObject encryption = state.encryption().get();
      long rotationMs = encryption.getLong("rotation_period_ms", RoomCrypto.DEFAULT_ROTATION_MS);
      int rotationMsgs = encryption.getInteger("rotation_period_msgs", RoomCrypto.DEFAULT_ROTATION_MSGS);
      return bot.sendEncrypted(roomId, state.members(), eventType, content, txnId, rotationMs, rotationMsgs)
          .map(Optional::of);
    });
  }
}
