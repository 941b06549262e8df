package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bot's own {@code m.room_key_request}s. Synapse does not resend to-device messages after the
 * bridge was down, so a room key sent meanwhile is gone; the event itself does come again. The bot
 * then asks the sender's devices for the key, and takes a forwarded key only when it asked for
 * exactly that session, from that user. No I/O: the caller sends what this returns.
 */
final class KeyRequests {

  /** A request in flight: whom we asked, for which session (by {@link RoomCrypto#inboundKey}). */
  record Pending(String requestId, String userId, String roomId, String senderKey, String sessionId) {}

  private final String deviceId;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  KeyRequests(String deviceId) {
    this.deviceId = deviceId;
  }

  /**
   * Registers a request for a session's key and returns the to-device messages that ask for it (to
   * every device of the sender), or empty when one is in flight already.
   */
  Optional<JsonObject> ask(String userId, String roomId, String senderKey, String sessionId) {
    String key = RoomCrypto.inboundKey(roomId, senderKey, sessionId);
    Pending request = new Pending(UUID.randomUUID().toString(), userId, roomId, senderKey, sessionId);
    if (pending.putIfAbsent(key, request) != null) {
      return Optional.empty();
    }
    JsonObject body = new JsonObject().put("algorithm", RoomCrypto.MEGOLM).put("room_id", roomId)
        .put("sender_key", senderKey).put("session_id", sessionId);
    JsonObject content = new JsonObject().put("action", "request").put("body", body)
        .put("request_id", request.requestId()).put("requesting_device_id", deviceId);
    return Optional.of(toAllDevicesOf(userId, content));
  }

  /** The request a forwarded key from {@code userId} answers, if the bot made one. */
  Optional<Pending> pendingFor(String userId, JsonObject forwardedKey) {
    String key = RoomCrypto.inboundKey(forwardedKey.getString("room_id", ""), forwardedKey.getString("sender_key", ""),
        forwardedKey.getString("session_id", ""));
    Pending request = pending.get(key);
    return request != null && request.userId().equals(userId) ? Optional.of(request) : Optional.empty();
  }

  /**
   * Why an {@code m.forwarded_room_key} (the Olm payload {@code payload}, from {@code userId}'s
   * device with identity key {@code olmSenderKey}) must not be kept, if it must not: the bot did
   * not ask that user for that session, or the device that sent it is not the session's own
   * (another identity key than the session's {@code sender_key}, or another signing key than the
   * one the session claims). The caller still checks the device against the sender's device list.
   */
  Optional<String> refusal(String userId, String olmSenderKey, JsonObject payload) {
    JsonObject forwarded = payload.getJsonObject("content", new JsonObject());
    if (pendingFor(userId, forwarded).isEmpty()) {
      return Optional.of("the bot did not ask this user for this session");
    }
    if (!olmSenderKey.equals(forwarded.getString("sender_key"))) {
      return Optional.of("sent by another device than the session's own");
    }
    String claimed = forwarded.getString("sender_claimed_ed25519_key");
    if (claimed == null || !claimed.equals(payload.getJsonObject("keys", new JsonObject()).getString("ed25519"))) {
      return Optional.of("the session claims another signing key than its sender's");
    }
    return Optional.empty();
  }

  /**
   * Ends a request (the key came, or waiting for it ended) and returns the cancellation that tells
   * the other devices not to answer any more.
   */
  Optional<JsonObject> finish(String inboundKey) {
    Pending request = pending.remove(inboundKey);
    if (request == null) {
      return Optional.empty();
    }
    JsonObject content = new JsonObject().put("action", "request_cancellation")
        .put("request_id", request.requestId()).put("requesting_device_id", deviceId);
    return Optional.of(toAllDevicesOf(request.userId(), content));
  }

  int inFlight() {
    return pending.size();
  }

  private static JsonObject toAllDevicesOf(String userId, JsonObject content) {
    return new JsonObject().put(userId, new JsonObject().put("*", content));
  }
}
