package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonObject;
import java.util.Optional;

/** Another user's device as {@code /keys/query} reported it, after its self-signature checked out. */
record DeviceInfo(String userId, String deviceId, String curve25519, String ed25519) {

  /**
   * Reads one entry of {@code device_keys[userId][deviceId]}; empty when ids do not match the
   * position, a key is missing, or the device's own signature does not verify (a homeserver must
   * not be able to slip in keys of its choosing).
   */
  static Optional<DeviceInfo> fromQuery(String userId, String deviceId, JsonObject keys) {
    if (keys == null || !userId.equals(keys.getString("user_id")) || !deviceId.equals(keys.getString("device_id"))) {
      return Optional.empty();
    }
    JsonObject keyMap = keys.getJsonObject("keys");
    if (keyMap == null) {
      return Optional.empty();
    }
    String curve = keyMap.getString("curve25519:" + deviceId);
    String ed = keyMap.getString("ed25519:" + deviceId);
    if (curve == null || ed == null || !SignedJson.verify(keys, userId, deviceId, ed)) {
      return Optional.empty();
    }
    return Optional.of(new DeviceInfo(userId, deviceId, curve, ed));
  }
}
