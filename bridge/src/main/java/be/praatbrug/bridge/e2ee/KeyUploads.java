package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.olm.OlmAccount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The body of {@code POST /keys/upload}: signed device keys, signed one-time keys, a signed fallback key. */
final class KeyUploads {

  private KeyUploads() {}

  static JsonObject body(OlmChannel olm, String userId, String deviceId, boolean withDeviceKeys) {
    OlmAccount account = olm.account();
    JsonObject body = new JsonObject();
    if (withDeviceKeys) {
      JsonObject deviceKeys = new JsonObject()
          .put("user_id", userId)
          .put("device_id", deviceId)
          .put("algorithms", new JsonArray().add(OlmChannel.OLM).add(RoomCrypto.MEGOLM))
          .put("keys", new JsonObject()
              .put("curve25519:" + deviceId, olm.curve25519())
              .put("ed25519:" + deviceId, olm.ed25519()));
      body.put("device_keys", SignedJson.sign(account, userId, deviceId, deviceKeys));
    }
    JsonObject oneTimeKeys = new JsonObject();
    for (Map.Entry<String, String> key : account.unpublishedOneTimeKeys().entrySet()) {
      oneTimeKeys.put("signed_curve25519:" + key.getKey(),
          SignedJson.sign(account, userId, deviceId, new JsonObject().put("key", key.getValue())));
    }
    body.put("one_time_keys", oneTimeKeys);
    JsonObject fallbackKeys = new JsonObject();
    for (Map.Entry<String, String> key : account.unpublishedFallbackKey().entrySet()) {
      fallbackKeys.put("signed_curve25519:" + key.getKey(), SignedJson.sign(account, userId, deviceId,
          new JsonObject().put("key", key.getValue()).put("fallback", true)));
    }
    if (!fallbackKeys.isEmpty()) {
      body.put("fallback_keys", fallbackKeys);
    }
    return body;
  }
}
