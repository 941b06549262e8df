package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmMessage;
import be.praatbrug.crypto.olm.OlmSession;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Olm to-device messaging for the bot's device ({@code m.olm.v1.curve25519-aes-sha2}): the
 * sessions per remote identity key, encrypting a payload for one device, and decrypting what
 * other devices send us, with the checks the spec asks for (sender, recipient, recipient keys).
 * No I/O; callers persist {@link #account()} and the sessions named by {@link #sessionKey}.
 */
final class OlmChannel {

  static final String OLM = "m.olm.v1.curve25519-aes-sha2";
  /**
   * Sessions kept per remote device (identity key), the newest: a device makes a new one only
   * when its old one broke, while a flood of pre-key messages would otherwise grow the list, the
   * store and every decryption's search without end.
   */
  static final int MAX_SESSIONS_PER_DEVICE = 10;

  private final OlmAccount account;
  private final String userId;
  private final String deviceId;
  private final Map<String, List<OlmSession>> sessions = new HashMap<>();
  /** Store keys of sessions dropped to stay within the cap, until the caller deletes them. */
  private final List<String> evicted = new ArrayList<>();

  OlmChannel(OlmAccount account, String userId, String deviceId) {
    this.account = account;
    this.userId = userId;
    this.deviceId = deviceId;
  }

  OlmAccount account() {
    return account;
  }

  String curve25519() {
    return account.identityKeys().curve25519();
  }

  String ed25519() {
    return account.identityKeys().ed25519();
  }

  static String sessionKey(String remoteCurve25519, OlmSession session) {
    return remoteCurve25519 + "|" + session.sessionId();
  }

  void restore(String remoteCurve25519, OlmSession session) {
    sessions.computeIfAbsent(remoteCurve25519, key -> new ArrayList<>()).add(session);
  }

  Optional<OlmSession> sessionFor(String remoteCurve25519) {
    List<OlmSession> known = sessions.get(remoteCurve25519);
    return known == null || known.isEmpty() ? Optional.empty() : Optional.of(known.get(known.size() - 1));
  }

  /** A new outbound session to a device from a one-time key whose signature the caller checked. */
  OlmSession startSession(DeviceInfo device, String oneTimeKey) {
    OlmSession session = OlmSession.createOutbound(account, device.curve25519(), oneTimeKey);
    keep(device.curve25519(), session);
    return session;
  }

  /** Adds a new session, dropping the oldest of that device's beyond the cap. */
  private synchronized void keep(String remoteCurve25519, OlmSession session) {
    List<OlmSession> known = sessions.computeIfAbsent(remoteCurve25519, key -> new ArrayList<>());
    known.add(session);
    while (known.size() > MAX_SESSIONS_PER_DEVICE) {
      evicted.add(sessionKey(remoteCurve25519, known.remove(0)));
    }
  }

  /** Drops a session made a moment ago that must not be kept (its device is not the sender's). */
  synchronized void forget(String remoteCurve25519, OlmSession session) {
    List<OlmSession> known = sessions.get(remoteCurve25519);
    if (known != null) {
      known.remove(session);
      if (known.isEmpty()) {
        sessions.remove(remoteCurve25519);
      }
    }
  }

  /** Store keys of sessions dropped since the last call, for the caller to delete. */
  synchronized List<String> drainEvicted() {
    List<String> drained = List.copyOf(evicted);
    evicted.clear();
    return drained;
  }

  /** The {@code m.room.encrypted} to-device content carrying {@code type}/{@code content} to one device. */
  JsonObject encrypt(DeviceInfo device, OlmSession session, String type, JsonObject content) {
    JsonObject payload = new JsonObject()
        .put("type", type)
        .put("content", content)
        .put("sender", userId)
        .put("sender_device", deviceId)
        .put("keys", new JsonObject().put("ed25519", ed25519()))
        .put("recipient", device.userId())
        .put("recipient_keys", new JsonObject().put("ed25519", device.ed25519()));
    OlmMessage message = session.encrypt(payload.encode());
    return new JsonObject()
        .put("algorithm", OLM)
        .put("sender_key", curve25519())
        .put("ciphertext", new JsonObject().put(device.curve25519(),
            new JsonObject().put("type", message.type()).put("body", message.body())));
  }

  /**
   * A decrypted to-device payload, the session that opened it, and whether the account changed
   * (a pre-key message made a new inbound session and spent a one-time key).
   */
  record Opened(JsonObject payload, String senderKey, OlmSession session, boolean accountChanged) {}

  /**
   * Decrypts an Olm {@code m.room.encrypted} to-device event sent by {@code sender}. Tries the
   * known sessions with that identity key, then (for a pre-key message) makes a new inbound session
   * and spends the one-time key. Refuses payloads addressed to someone else or claiming another sender.
   */
  Opened decrypt(String sender, JsonObject content) {
    if (!OLM.equals(content.getString("algorithm"))) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "not an Olm message");
    }
    String senderKey = content.getString("sender_key");
    JsonObject ciphertext = content.getJsonObject("ciphertext");
    JsonObject ours = ciphertext == null ? null : ciphertext.getJsonObject(curve25519());
    if (senderKey == null || ours == null || !(ours.getValue("type") instanceof Integer type) || ours.getString("body") == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Olm message has no ciphertext for this device");
    }
    OlmMessage message = new OlmMessage(type, ours.getString("body"));
    byte[] plaintext = null;
    OlmSession used = null;
    for (OlmSession session : sessions.getOrDefault(senderKey, List.of())) {
      if (message.isPreKey() && !session.matchesInboundFrom(senderKey, message)) {
        continue;
      }
      try {
        plaintext = session.decrypt(message);
        used = session;
        break;
      } catch (CryptoException notThisSession) {
        if (message.isPreKey()) {
          throw notThisSession;
        }
      }
    }
    boolean accountChanged = false;
    if (used == null) {
      if (!message.isPreKey()) {
        throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_KEY_ID, "no Olm session decrypts this message");
      }
      OlmSession created = OlmSession.createInboundFrom(account, senderKey, message);
      plaintext = created.decrypt(message);
      account.removeOneTimeKeys(created);
      keep(senderKey, created);
      used = created;
      accountChanged = true;
    }
    JsonObject payload;
    try {
      payload = new JsonObject(new String(plaintext, java.nio.charset.StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Olm payload is not a JSON object");
    }
    JsonObject recipientKeys = payload.getJsonObject("recipient_keys");
    if (!sender.equals(payload.getString("sender")) || !userId.equals(payload.getString("recipient"))
        || recipientKeys == null || !ed25519().equals(recipientKeys.getString("ed25519"))) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Olm payload names another sender or recipient");
    }
    return new Opened(payload, senderKey, used, accountChanged);
  }
}
