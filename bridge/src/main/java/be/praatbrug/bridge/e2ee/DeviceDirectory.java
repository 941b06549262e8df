package be.praatbrug.bridge.e2ee;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Other users' devices ({@code /keys/query}, {@code /keys/claim}), kept between messages and
 * asked again only when they may have changed: a user named in a transaction's device-list
 * changes (MSC3202 {@code device_lists}: changed or left), a list older than {@link #MAX_AGE_MS}
 * (a transaction lost while the bridge was down), or a message from a device the kept list does
 * not name yet (its list change may still be on its way). Every key is checked against the
 * device's own Ed25519 signature before use.
 */
final class DeviceDirectory {

  /** The homeserver's key API, as the bot's device calls it. */
  interface KeyServer {
    Future<JsonObject> queryKeys(JsonObject body);

    Future<JsonObject> claimKeys(JsonObject body);
  }

  /** A kept list is asked again after this long even without a change reported. */
  static final long MAX_AGE_MS = 10 * 60 * 1000L;
  /** Users whose lists are kept at most; the least recently used go first. */
  static final int MAX_USERS = 5_000;

  private final KeyServer http;
  private final String botUserId;
  private final LongSupplier clock;
  private final Map<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
  /** Bumped per user by each reported change, so a query answered after a change is not kept. */
  private final Map<String, Long> changes = new HashMap<>();
  private long changeCount;
  /** Bumped when {@link #changes} is emptied (bounded), which makes every query under way not kept. */
  private long changesEpoch;

  DeviceDirectory(KeyServer http, String botUserId, LongSupplier clock) {
    this.http = http;
    this.botUserId = botUserId;
    this.clock = clock;
  }

  /**
   * Forgets the lists of users whose devices changed or who share no room with the bot any more
   * (MSC3202 {@code device_lists}); their next use asks the homeserver.
   */
  synchronized void changed(Collection<String> userIds) {
    for (String user : userIds) {
      kept.remove(user);
      changes.put(user, ++changeCount);
    }
    if (changes.size() > MAX_USERS) {
      changes.clear();
      changesEpoch++;
    }
  }

  /** All devices of these users with valid self-signed keys, the bot's own devices left out. */
  Future<List<DeviceInfo>> devicesOf(Collection<String> userIds) {
    List<DeviceInfo> devices = new ArrayList<>();
    List<String> toAsk = new ArrayList<>();
    synchronized (this) {
      long now = clock.getAsLong();
      for (String user : userIds) {
        if (user.equals(botUserId)) {
          continue;
        }
        Kept list = kept.get(user);
        if (list != null && now - list.at < MAX_AGE_MS) {
          devices.addAll(list.devices);
        } else {
          toAsk.add(user);
        }
      }
    }
    return toAsk.isEmpty() ? Future.succeededFuture(devices) : query(toAsk).map(asked -> {
      devices.addAll(asked);
      return devices;
    });
  }

  /** The device of {@code userId} with exactly these keys; asks again once if the kept list lacks it. */
  Future<Optional<DeviceInfo>> deviceWithKeys(String userId, String curve25519, String ed25519) {
    return findOrAskAgain(userId, device -> device.curve25519().equals(curve25519) && device.ed25519().equals(ed25519));
  }

  /** Whether {@code userId}'s device list names a device with this identity key. */
  Future<Boolean> lists(String userId, String curve25519) {
    return findOrAskAgain(userId, device -> device.curve25519().equals(curve25519)).map(Optional::isPresent);
  }

  private Future<Optional<DeviceInfo>> findOrAskAgain(String userId, Predicate<DeviceInfo> wanted) {
    return devicesOf(List.of(userId)).compose(devices -> {
      Optional<DeviceInfo> found = devices.stream().filter(wanted).findFirst();
      if (found.isPresent()) {
        return Future.succeededFuture(found);
      }
      return query(List.of(userId)).map(fresh -> fresh.stream().filter(wanted).findFirst());
    });
  }

  private Future<List<DeviceInfo>> query(List<String> users) {
    JsonObject request = new JsonObject();
    Map<String, Long> changeAtAsk = new HashMap<>();
    long epochAtAsk;
    synchronized (this) {
      epochAtAsk = changesEpoch;
      for (String user : users) {
        request.put(user, new JsonArray());
        changeAtAsk.put(user, changes.getOrDefault(user, 0L));
      }
    }
    long askedAt = clock.getAsLong();
    return http.queryKeys(new JsonObject().put("device_keys", request).put("timeout", 10_000)).map(response -> {
      Map<String, List<DeviceInfo>> byUser = new HashMap<>();
      users.forEach(user -> byUser.put(user, new ArrayList<>()));
      JsonObject answered = response.getJsonObject("device_keys", new JsonObject());
      for (String user : answered.fieldNames()) {
        JsonObject byDevice = answered.getValue(user) instanceof JsonObject object ? object : new JsonObject();
        for (String device : byDevice.fieldNames()) {
          if (byUser.containsKey(user) && byDevice.getValue(device) instanceof JsonObject keys) {
            DeviceInfo.fromQuery(user, device, keys).ifPresent(byUser.get(user)::add);
          }
        }
      }
      keep(byUser, changeAtAsk, epochAtAsk, askedAt, response.getJsonObject("failures", new JsonObject()));
      List<DeviceInfo> devices = new ArrayList<>();
      byUser.values().forEach(devices::addAll);
      return devices;
    });
  }

  /** Keeps the answered lists, except where a change came in meanwhile or the user's server did not answer. */
  private synchronized void keep(Map<String, List<DeviceInfo>> byUser, Map<String, Long> changeAtAsk, long epochAtAsk,
      long askedAt, JsonObject failures) {
    if (epochAtAsk != changesEpoch) {
      return;
    }
    byUser.forEach((user, devices) -> {
      String server = user.substring(user.indexOf(':') + 1);
      if (changes.getOrDefault(user, 0L).equals(changeAtAsk.get(user)) && !failures.containsKey(server)) {
        kept.put(user, new Kept(List.copyOf(devices), askedAt));
      }
    });
    var oldest = kept.keySet().iterator();
    while (kept.size() > MAX_USERS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  private record Kept(List<DeviceInfo> devices, long at) {}

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
