package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.megolm.InboundGroupSession;
import be.praatbrug.crypto.megolm.OutboundGroupSession;
import be.praatbrug.crypto.megolm.ReplayGuard;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Megolm for rooms ({@code m.megolm.v1.aes-sha2}): one outbound session per room, rotated by the
 * room's {@code rotation_period_ms}/{@code rotation_period_msgs} or when a device that had its key
 * is gone; inbound sessions by (room, sender key, session id), each bound to the user and
 * Ed25519 key it came from over Olm; replay protection by (session, index). No I/O.
 */
final class RoomCrypto {

  static final String MEGOLM = "m.megolm.v1.aes-sha2";
  static final long DEFAULT_ROTATION_MS = 604_800_000L;
  static final int DEFAULT_ROTATION_MSGS = 100;

  /** Our sending session in a room and the devices (curve25519 keys) that already have its key. */
  static final class Outbound {
    final OutboundGroupSession session;
    final Set<String> sharedWith = new HashSet<>();

    Outbound(OutboundGroupSession session) {
      this.session = session;
    }
  }

  /** A received room key, bound to who sent it. */
  record Inbound(InboundGroupSession session, String senderUserId, String senderEd25519) {}

  private final Map<String, Outbound> outbound = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Inbound> inbound = new java.util.concurrent.ConcurrentHashMap<>();
  private final ReplayGuard replays = new ReplayGuard();

  static String inboundKey(String roomId, String senderKey, String sessionId) {
    return roomId + "|" + senderKey + "|" + sessionId;
  }

  /**
   * The room's outbound session, new when there is none, it is too old or too used, or one of the
   * devices that got its key is no longer among {@code currentDevices}.
   */
  Outbound outboundFor(String roomId, Set<String> currentDevices, long rotationMs, int rotationMsgs, long nowMillis) {
    Outbound current = outbound.get(roomId);
    boolean rotate = current == null
        || nowMillis - current.session.createdAtMillis() >= rotationMs
        || current.session.messagesSent() >= rotationMsgs
        || !currentDevices.containsAll(current.sharedWith);
    if (rotate) {
      current = new Outbound(OutboundGroupSession.create());
      outbound.put(roomId, current);
    }
    return current;
  }

  /** The {@code m.room_key} content that shares an outbound session. */
  static JsonObject roomKeyContent(String roomId, OutboundGroupSession session) {
    return new JsonObject().put("algorithm", MEGOLM).put("room_id", roomId)
        .put("session_id", session.sessionId()).put("session_key", session.sessionKey());
  }

  /** The {@code m.room.encrypted} content for one room event. */
  static JsonObject encrypt(Outbound room, String roomId, String type, JsonObject content, String ourCurve25519, String deviceId) {
    JsonObject payload = new JsonObject().put("type", type).put("content", content).put("room_id", roomId);
    return new JsonObject()
        .put("algorithm", MEGOLM)
        .put("sender_key", ourCurve25519)
        .put("ciphertext", room.session.encrypt(payload.encode()))
        .put("session_id", room.session.sessionId())
        .put("device_id", deviceId);
  }

  /**
   * Takes an {@code m.room_key} that arrived over Olm. Keeps the session that knows the earliest
   * index when the same session arrives twice. Returns the store key when something new was kept.
   */
  Optional<String> acceptRoomKey(JsonObject content, String senderUserId, String senderKey, String senderEd25519) {
    String roomId = content.getString("room_id");
    String sessionId = content.getString("session_id");
    if (!MEGOLM.equals(content.getString("algorithm")) || roomId == null || sessionId == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "m.room_key lacks algorithm, room or session");
    }
    InboundGroupSession session = InboundGroupSession.fromSessionKey(content.getString("session_key"));
    return keepEarliest(inboundKey(roomId, senderKey, sessionId), sessionId, new Inbound(session, senderUserId, senderEd25519));
  }

  /**
   * Takes an {@code m.forwarded_room_key} (export format, no signature) that the session's own
   * creator sent again over Olm; the caller checked that it asked for it and who sent it. Keeps it
   * only when no copy from an earlier index is held. Returns the store key when something was kept.
   */
  Optional<String> acceptForwardedKey(JsonObject content, String senderUserId, String senderEd25519) {
    String roomId = content.getString("room_id");
    String sessionId = content.getString("session_id");
    String senderKey = content.getString("sender_key");
    if (!MEGOLM.equals(content.getString("algorithm")) || roomId == null || sessionId == null || senderKey == null
        || content.getString("session_key") == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "m.forwarded_room_key lacks algorithm, room, session or key");
    }
    InboundGroupSession session = InboundGroupSession.importSession(content.getString("session_key"));
    return keepEarliest(inboundKey(roomId, senderKey, sessionId), sessionId, new Inbound(session, senderUserId, senderEd25519));
  }

  /**
   * Keeps a received session under {@code key} unless a copy that opens an earlier index is held;
   * the session's own id must be the one its message named.
   */
  private Optional<String> keepEarliest(String key, String namedSessionId, Inbound received) {
    if (!namedSessionId.equals(received.session().sessionId())) {
      throw new CryptoException(CryptoException.Reason.BAD_SESSION_KEY, "the room key's session id does not match its key");
    }
    Inbound known = inbound.get(key);
    if (known != null && known.session().firstKnownIndex() <= received.session().firstKnownIndex()) {
      return Optional.empty();
    }
    inbound.put(key, received);
    return Optional.of(key);
  }

  void restoreInbound(String key, Inbound entry) {
    inbound.put(key, entry);
  }

  Optional<Inbound> inbound(String key) {
    return Optional.ofNullable(inbound.get(key));
  }

  /**
   * Decrypts a Megolm room event. Refuses a session that came from another user than the event's
   * sender, a payload for another room, and an index another event already used.
   */
  DecryptedEvent decrypt(String roomId, String sender, String eventId, long originServerTs, JsonObject content) {
    String key = inboundKey(roomId, content.getString("sender_key", ""), content.getString("session_id", ""));
    Inbound entry = inbound.get(key);
    if (entry == null) {
      throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_KEY_ID, "no room key for this session");
    }
    if (!entry.senderUserId().equals(sender)) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "room key belongs to another user than the sender");
    }
    InboundGroupSession.Decrypted decrypted;
    // Decrypting advances the session's ratchet: one at a time per session.
    synchronized (entry.session()) {
      decrypted = entry.session().decrypt(content.getString("ciphertext"));
    }
    if (!replays.accept(entry.session().sessionId(), decrypted.messageIndex(), eventId, originServerTs)) {
      throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_KEY_ID, "message index reused by another event (replay)");
    }
    JsonObject payload;
    try {
      payload = new JsonObject(new String(decrypted.plaintext(), StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Megolm payload is not a JSON object");
    }
    if (!roomId.equals(payload.getString("room_id")) || payload.getString("type") == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Megolm payload belongs to another room");
    }
    JsonObject decryptedContent = payload.getJsonObject("content", new JsonObject());
    return new DecryptedEvent(payload.getString("type"), decryptedContent, entry.senderEd25519());
  }
}
