package be.praatbrug.bridge.e2ee;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Other users' devices, asked from the homeserver when needed ({@code /keys/query},
 * {@code /keys/claim}) rather than tracked: the bot sends few encrypted messages, and a fresh query
 * per message means a device added or removed a moment ago is never missed. Every key is checked
 * against the device's own Ed25519 signature before use.
 */
final class DeviceDirectory {

  private final DeviceClient http;
  private final String botUserId;

  DeviceDirectory(DeviceClient http, String botUserId) {
    this.http = http;
    this.botUserId = botUserId;
  }

  /** All devices of these users with valid self-signed keys, the bot's own devices left out. */
  Future<List<DeviceInfo>> devicesOf(Collection<String> userIds) {
    JsonObject request = new JsonObject();
    for (String user : userIds) {
      if (!user.equals(botUserId)) {
        request.put(user, new JsonArray());
      }
    }
    if (request.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return http.queryKeys(new JsonObject().put("device_keys", request).put("timeout", 10_000)).map(response -> {
      List<DeviceInfo> devices = new ArrayList<>();
      JsonObject byUser = response.getJsonObject("device_keys", new JsonObject());
      for (String user : byUser.fieldNames()) {
        JsonObject byDevice = byUser.getJsonObject(user, new JsonObject());
        for (String device : byDevice.fieldNames()) {
          DeviceInfo.fromQuery(user, device, byDevice.getJsonObject(device)).ifPresent(devices::add);
        }
      }
      return devices;
    });
  }

  /** The device of {@code userId} with exactly these keys, if the homeserver lists one. */
  Future<Optional<DeviceInfo>> deviceWithKeys(String userId, String curve25519, String ed25519) {
    return devicesOf(List.of(userId)).map(devices -> devices.stream()
        .filter(device -> device.curve25519().equals(curve25519) && device.ed25519().equals(ed25519))
        .findFirst());
  }

  /** Whether {@code userId}'s device list names a device with this identity key. */
  Future<Boolean> lists(String userId, String curve25519) {
    return devicesOf(List.of(userId)).map(devices -> devices.stream()
        .anyMatch(device -> device.curve25519().equals(curve25519)));
  }

  /**
   * Claims one {@code signed_curve25519} key per device; returns curve25519 identity key → one-time
   * key for the devices whose key carried a valid signature by the device.
   */
  Future<Map<String, String>> claimOneTimeKeys(List<DeviceInfo> devices) {
    if (devices.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    JsonObject request = new JsonObject();
    for (DeviceInfo device : devices) {
      JsonObject byUser = request.getJsonObject(device.userId(), new JsonObject());
      request.put(device.userId(), byUser.put(device.deviceId(), "signed_curve25519"));
    }
    return http.claimKeys(new JsonObject().put("one_time_keys", request).put("timeout", 10_000)).map(response -> {
      Map<String, String> claimed = new HashMap<>();
      JsonObject byUser = response.getJsonObject("one_time_keys", new JsonObject());
      for (DeviceInfo device : devices) {
        JsonObject keys = byUser.getJsonObject(device.userId(), new JsonObject()).getJsonObject(device.deviceId());
        if (keys == null) {
          continue;
        }
        for (String keyId : keys.fieldNames()) {
          Object value = keys.getValue(keyId);
          if (keyId.startsWith("signed_curve25519:") && value instanceof JsonObject signed
              && signed.getString("key") != null
              && SignedJson.verify(signed, device.userId(), device.deviceId(), device.ed25519())) {
            claimed.put(device.curve25519(), signed.getString("key"));
          }
        }
      }
      return claimed;
    });
  }
}
