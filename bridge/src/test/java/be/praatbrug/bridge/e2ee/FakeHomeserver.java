package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.olm.OlmAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A homeserver's device and key API as Synapse answers the bot's device, in memory, recording what
 * it was sent: appservice log-in hands out a device access token, {@code /keys/upload} keeps device,
 * one-time and fallback keys and answers the one-time key count, {@code /keys/query} answers the
 * keys its devices uploaded, {@code /keys/claim} hands out (and spends) one-time keys, falling back
 * to the fallback key. Other users' devices are real Olm accounts ({@link #addDevice}). Thread-safe:
 * the bot calls it from event loops and workers, the test reads it from its own thread.
 */
final class FakeHomeserver {

  /** One {@code PUT /sendToDevice}. */
  record ToDeviceSend(String type, JsonObject messages) {}

  /** One {@code PUT /rooms/.../send}. */
  record RoomSend(String roomId, String type, JsonObject content) {}

  /** Another user's device, with its Olm account: it reads what the bot sends it and writes to the bot. */
  record Device(String userId, String deviceId, OlmChannel olm) {
    DeviceInfo info() {
      return new DeviceInfo(userId, deviceId, olm.curve25519(), olm.ed25519());
    }
  }

  private final String asToken;
  private final String botUserId;
  private final Set<String> joinedRooms = new LinkedHashSet<>();
  private final List<String> logins = new ArrayList<>();
  private final List<JsonObject> uploads = new ArrayList<>();
  private final List<ToDeviceSend> toDevice = new ArrayList<>();
  private final List<RoomSend> roomSends = new ArrayList<>();
  private final List<String> deletedDevices = new ArrayList<>();
  /** user → device → signed device keys. */
  private final Map<String, Map<String, JsonObject>> deviceKeys = new LinkedHashMap<>();
  /** "user|device" → key id → signed one-time key, oldest first. */
  private final Map<String, Map<String, JsonObject>> oneTimeKeys = new HashMap<>();
  private final Map<String, JsonObject> fallbackKeys = new HashMap<>();
  /** The bot's device access tokens → device id. */
  private final Map<String, String> tokens = new HashMap<>();
  private final Set<String> botDevices = new LinkedHashSet<>();
  private int counter;

  FakeHomeserver(String asToken, String botUserId) {
    this.asToken = asToken;
    this.botUserId = botUserId;
  }

  /** A new connection of the bot (one per {@link BotDevice}), holding its own access token. */
  DeviceHomeserver client() {
    return new Client();
  }

  synchronized void joinRoom(String roomId) {
    joinedRooms.add(roomId);
  }

  /** A new device of {@code userId} with a real Olm account, its device keys and 5 one-time keys uploaded. */
  synchronized Device addDevice(String userId, String deviceId) {
    OlmChannel olm = new OlmChannel(OlmAccount.create(), userId, deviceId);
    olm.account().generateOneTimeKeys(5);
    keep(userId, deviceId, KeyUploads.body(olm, userId, deviceId, true));
    olm.account().markKeysAsPublished();
    return new Device(userId, deviceId, olm);
  }

  /** The device keys that {@code userId}'s device uploaded, checked as the bot checks them. */
  synchronized Optional<DeviceInfo> deviceInfo(String userId, String deviceId) {
    return DeviceInfo.fromQuery(userId, deviceId, deviceKeys.getOrDefault(userId, Map.of()).get(deviceId));
  }

  /** Claims one of a device's one-time keys as another user's client would; the public key. */
  synchronized String claimOneTimeKey(String userId, String deviceId) {
    JsonObject claimed = claim(userId, deviceId);
    return ((JsonObject) claimed.getValue(claimed.fieldNames().iterator().next())).getString("key");
  }

  /** Spends {@code count} of a device's one-time keys (other clients claimed them); the count left. */
  synchronized int spendOneTimeKeys(String userId, String deviceId, int count) {
    for (int i = 0; i < count; i++) {
      claim(userId, deviceId);
    }
    return oneTimeKeyCount(userId, deviceId);
  }

  synchronized int oneTimeKeyCount(String userId, String deviceId) {
    return oneTimeKeys.getOrDefault(userId + "|" + deviceId, Map.of()).size();
  }

  synchronized List<String> logins() {
    return List.copyOf(logins);
  }

  synchronized List<JsonObject> uploads() {
    return List.copyOf(uploads);
  }

  synchronized List<ToDeviceSend> toDeviceSends() {
    return List.copyOf(toDevice);
  }

  synchronized List<RoomSend> roomSends() {
    return List.copyOf(roomSends);
  }

  synchronized List<String> deletedDevices() {
    return List.copyOf(deletedDevices);
  }

  private void keep(String userId, String deviceId, JsonObject upload) {
    JsonObject keys = upload.getJsonObject("device_keys");
    if (keys != null) {
      deviceKeys.computeIfAbsent(userId, user -> new LinkedHashMap<>()).put(deviceId, keys.copy());
    }
    Map<String, JsonObject> ours = oneTimeKeys.computeIfAbsent(userId + "|" + deviceId, key -> new LinkedHashMap<>());
    JsonObject uploaded = upload.getJsonObject("one_time_keys", new JsonObject());
    uploaded.fieldNames().forEach(keyId -> ours.put(keyId, uploaded.getJsonObject(keyId).copy()));
    JsonObject fallback = upload.getJsonObject("fallback_keys");
    if (fallback != null && !fallback.isEmpty()) {
      fallbackKeys.put(userId + "|" + deviceId, fallback.copy());
    }
  }

  /** One key of a device, as {@code /keys/claim} hands it out: a one-time key (spent), else the fallback key. */
  private JsonObject claim(String userId, String deviceId) {
    Map<String, JsonObject> ours = oneTimeKeys.getOrDefault(userId + "|" + deviceId, new LinkedHashMap<>());
    if (!ours.isEmpty()) {
      String keyId = ours.keySet().iterator().next();
      return new JsonObject().put(keyId, ours.remove(keyId));
    }
    JsonObject fallback = fallbackKeys.get(userId + "|" + deviceId);
    return fallback == null ? null : fallback.copy();
  }

  private final class Client implements DeviceHomeserver {
    private String token;

    /** Answers one call under the server's lock; what it throws is a failed call, as an HTTP error would be. */
    private <T> Future<T> answer(java.util.concurrent.Callable<T> work) {
      synchronized (FakeHomeserver.this) {
        try {
          return Future.succeededFuture(work.call());
        } catch (Exception e) {
          return Future.failedFuture(e);
        }
      }
    }

    /** The bot's device that the access token belongs to; fails like Synapse's M_UNKNOWN_TOKEN. */
    private String device() {
      String device = tokens.get(token);
      if (device == null) {
        throw new IllegalStateException("401 M_UNKNOWN_TOKEN");
      }
      return device;
    }

    private void appservice(String given) {
      if (!asToken.equals(given)) {
        throw new IllegalStateException("401 M_UNKNOWN_TOKEN (not the appservice token)");
      }
    }

    @Override
    public void useAccessToken(String accessToken) {
      answer(() -> token = accessToken);
    }

    @Override
    public Future<String> loginAsAppService(String givenAsToken, String botLocalpart, String deviceId) {
      return answer(() -> {
        appservice(givenAsToken);
        if (!botUserId.startsWith("@" + botLocalpart + ":")) {
          throw new IllegalStateException("403 M_FORBIDDEN: not the appservice's user");
        }
        logins.add(deviceId);
        botDevices.add(deviceId);
        String issued = "syt_" + deviceId + "_" + ++counter;
        tokens.put(issued, deviceId);
        return issued;
      });
    }

    @Override
    public Future<Boolean> tokenWorksFor(String deviceId) {
      return answer(() -> deviceId.equals(tokens.get(token)));
    }

    @Override
    public Future<JsonObject> listDevices(String givenAsToken) {
      return answer(() -> {
        appservice(givenAsToken);
        JsonArray devices = new JsonArray();
        botDevices.forEach(id -> devices.add(new JsonObject().put("device_id", id)));
        return new JsonObject().put("devices", devices);
      });
    }

    @Override
    public Future<Void> deleteDevice(String deviceId, String givenAsToken) {
      return answer(() -> {
        appservice(givenAsToken);
        deletedDevices.add(deviceId);
        botDevices.remove(deviceId);
        tokens.values().removeIf(deviceId::equals);
        deviceKeys.getOrDefault(botUserId, new HashMap<>()).remove(deviceId);
        oneTimeKeys.remove(botUserId + "|" + deviceId);
        fallbackKeys.remove(botUserId + "|" + deviceId);
        return null;
      });
    }

    @Override
    public Future<JsonObject> joinedRooms() {
      return answer(() -> {
        device();
        return new JsonObject().put("joined_rooms", new JsonArray(List.copyOf(joinedRooms)));
      });
    }

    @Override
    public Future<JsonObject> uploadKeys(JsonObject body) {
      return answer(() -> {
        String device = device();
        JsonObject keys = body.getJsonObject("device_keys");
        if (keys != null && (!botUserId.equals(keys.getString("user_id")) || !device.equals(keys.getString("device_id")))) {
          throw new IllegalStateException("400 M_INVALID_PARAM: device keys of another device");
        }
        uploads.add(body.copy());
        keep(botUserId, device, body);
        return new JsonObject().put("one_time_key_counts",
            new JsonObject().put("signed_curve25519", oneTimeKeyCount(botUserId, device)));
      });
    }

    @Override
    public Future<JsonObject> uploadSigningKeys(JsonObject body, String givenAsToken) {
      return answer(() -> {
        appservice(givenAsToken);
        return new JsonObject();
      });
    }

    @Override
    public Future<JsonObject> uploadSignatures(JsonObject body) {
      return answer(() -> {
        device();
        return new JsonObject().put("failures", new JsonObject());
      });
    }

    @Override
    public Future<JsonObject> queryKeys(JsonObject body) {
      return answer(() -> {
        device();
        JsonObject byUser = new JsonObject();
        for (String user : body.getJsonObject("device_keys", new JsonObject()).fieldNames()) {
          JsonObject byDevice = new JsonObject();
          deviceKeys.getOrDefault(user, Map.of()).forEach((device, keys) -> byDevice.put(device, keys.copy()));
          byUser.put(user, byDevice);
        }
        return new JsonObject().put("device_keys", byUser).put("failures", new JsonObject());
      });
    }

    @Override
    public Future<JsonObject> claimKeys(JsonObject body) {
      return answer(() -> {
        device();
        JsonObject byUser = new JsonObject();
        JsonObject asked = body.getJsonObject("one_time_keys", new JsonObject());
        for (String user : asked.fieldNames()) {
          JsonObject byDevice = new JsonObject();
          for (String device : asked.getJsonObject(user).fieldNames()) {
            JsonObject claimed = claim(user, device);
            if (claimed != null) {
              byDevice.put(device, claimed);
            }
          }
          byUser.put(user, byDevice);
        }
        return new JsonObject().put("one_time_keys", byUser).put("failures", new JsonObject());
      });
    }

    @Override
    public Future<Void> sendToDevice(String eventType, String txnId, JsonObject messages) {
      return answer(() -> {
        device();
        toDevice.add(new ToDeviceSend(eventType, messages.copy()));
        return null;
      });
    }

    @Override
    public Future<String> sendRoomEvent(String roomId, String eventType, String txnId, JsonObject content) {
      return answer(() -> {
        device();
        roomSends.add(new RoomSend(roomId, eventType, content.copy()));
        return "$event" + ++counter;
      });
    }
  }
}
