package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CanonicalJson;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.Ed25519Verifier;
import be.praatbrug.crypto.olm.OlmAccount;
import io.vertx.core.json.JsonObject;

/** Signing and checking Matrix signed JSON (device keys, one-time keys) with Ed25519 keys. */
final class SignedJson {

  private SignedJson() {}

  /** Adds the bot device's signature to {@code object} (in place) and returns it. */
  static JsonObject sign(OlmAccount account, String userId, String deviceId, JsonObject object) {
    String signature = account.signJson(JsonBodies.plainMap(object));
    JsonObject signatures = object.getJsonObject("signatures", new JsonObject());
    JsonObject mine = signatures.getJsonObject(userId, new JsonObject());
    mine.put("ed25519:" + deviceId, signature);
    signatures.put(userId, mine);
    return object.put("signatures", signatures);
  }

  /** True when {@code object} carries a valid signature by {@code userId}'s key {@code ed25519:keyId}. */
  static boolean verify(JsonObject object, String userId, String keyId, String ed25519Key) {
    JsonObject signatures = object.getJsonObject("signatures");
    Object byUser = signatures == null ? null : signatures.getValue(userId);
    Object signature = byUser instanceof JsonObject user ? user.getValue("ed25519:" + keyId) : null;
    if (!(signature instanceof String text) || ed25519Key == null) {
      return false;
    }
    try {
      byte[] message = CanonicalJson.signingBytes(JsonBodies.plainMap(object));
      return Ed25519Verifier.verify(Base64s.decodeKey(ed25519Key, "ed25519 key"), message, Base64s.decode(text, "signature"));
    } catch (CryptoException malformed) {
      return false;
    }
  }
}
