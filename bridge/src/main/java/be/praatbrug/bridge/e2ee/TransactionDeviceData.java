package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * What one appservice transaction holds for the bot's device: its to-device messages (MSC2409,
 * unstable and stable field), its one-time key count and unused fallback key types (MSC3202).
 *
 * @param oneTimeKeys the server's count of signed_curve25519 keys, or -1 when not reported
 */
record TransactionDeviceData(JsonArray toDevice, int oneTimeKeys, boolean renewFallback) {

  boolean isEmpty() {
    return toDevice.isEmpty() && oneTimeKeys < 0 && !renewFallback;
  }

  static TransactionDeviceData parse(JsonObject body, String userId, String deviceId) {
    JsonArray toDevice = new JsonArray();
    for (String field : new String[] {"de.sorunome.msc2409.to_device", "to_device"}) {
      for (Object item : body.getJsonArray(field, new JsonArray())) {
        if (item instanceof JsonObject event && userId.equals(event.getString("to_user_id"))
            && deviceId.equals(event.getString("to_device_id"))) {
          toDevice.add(event);
        }
      }
    }
    Object count = forDevice(body, "org.matrix.msc3202.device_one_time_keys_count", userId, deviceId);
    Object fallback = forDevice(body, "org.matrix.msc3202.device_unused_fallback_key_types", userId, deviceId);
    int oneTimeKeys = count instanceof JsonObject counts ? counts.getInteger("signed_curve25519", 0) : -1;
    boolean renewFallback = fallback instanceof JsonArray types && !types.contains("signed_curve25519");
    return new TransactionDeviceData(toDevice, oneTimeKeys, renewFallback);
  }

  /**
   * Users whose device lists changed or who no longer share a room with the appservice's users
   * (MSC3202 {@code device_lists}; Synapse leaves "left" empty today, it is read all the same).
   */
  static Set<String> deviceListChanges(JsonObject body) {
    Set<String> users = new HashSet<>();
    if (body.getValue("org.matrix.msc3202.device_lists") instanceof JsonObject lists) {
      for (String field : new String[] {"changed", "left"}) {
        if (lists.getValue(field) instanceof JsonArray named) {
          named.forEach(user -> {
            if (user instanceof String id) {
              users.add(id);
            }
          });
        }
      }
    }
    return users;
  }

  private static Object forDevice(JsonObject body, String field, String userId, String deviceId) {
    JsonObject byUser = body.getJsonObject(field);
    JsonObject byDevice = byUser == null ? null : byUser.getJsonObject(userId);
    return byDevice == null ? null : byDevice.getValue(deviceId);
  }
}
