package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.olm.OlmAccount;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Device lists kept between the bot's messages, asked again only when MSC3202 reports a change,
 * when they are old, or when a device the list does not name writes.
 */
class DeviceDirectoryTest {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String AN = "@an:caw.test";
  private static final String BO = "@bo:clb.test";

  private final AtomicLong now = new AtomicLong(5_000_000);
  private final KeyServerRecording server = new KeyServerRecording();
  private final DeviceDirectory directory = new DeviceDirectory(server, BOT, now::get);

  @Test
  void listsAreAskedOnceAndKeptForTheNextMessages() {
    OlmChannel phone = server.addDevice(AN, "PHONE");
    server.addDevice(BO, "LAPTOP");
    assertEquals(2, directory.devicesOf(List.of(AN, BO, BOT)).result().size());
    assertEquals(2, directory.devicesOf(List.of(AN, BO)).result().size());
    assertTrue(directory.lists(AN, phone.curve25519()).result());
    assertEquals(1, server.queries.size(), "one query for three uses");
    assertEquals(Set.of(AN, BO), server.queries.get(0), "the bot's own devices are never asked for");
  }

  @Test
  void aReportedChangeMakesTheNextMessageAskAgainForThatUserOnly() {
    server.addDevice(AN, "PHONE");
    server.addDevice(BO, "LAPTOP");
    directory.devicesOf(List.of(AN, BO));
    server.addDevice(AN, "TABLET");
    directory.changed(Set.of(AN));
    assertEquals(3, directory.devicesOf(List.of(AN, BO)).result().size(), "the new device gets the room key");
    assertEquals(Set.of(AN), server.queries.get(1));
  }

  @Test
  void aListIsAskedAgainAfterTenMinutesWithoutAnyReport() {
    server.addDevice(AN, "PHONE");
    directory.devicesOf(List.of(AN));
    now.addAndGet(DeviceDirectory.MAX_AGE_MS - 1);
    directory.devicesOf(List.of(AN));
    assertEquals(1, server.queries.size());
    now.addAndGet(1);
    directory.devicesOf(List.of(AN));
    assertEquals(2, server.queries.size());
  }

  @Test
  void aDeviceTheKeptListDoesNotNameIsLookedUpOnceMore() {
    server.addDevice(AN, "PHONE");
    directory.devicesOf(List.of(AN));
    // Its first message may come before the change report: look again instead of refusing it.
    OlmChannel tablet = server.addDevice(AN, "TABLET");
    assertTrue(directory.deviceWithKeys(AN, tablet.curve25519(), tablet.ed25519()).result().isPresent());
    assertFalse(directory.lists(AN, "not-a-device-key").result());
    assertEquals(3, server.queries.size());
  }

  @Test
  void anAnswerOvertakenByAChangeReportIsUsedButNotKept() {
    server.addDevice(AN, "PHONE");
    Promise<JsonObject> slow = Promise.promise();
    server.next = slow;
    Future<List<DeviceInfo>> asked = directory.devicesOf(List.of(AN));
    directory.changed(Set.of(AN));
    slow.complete(server.answer(Set.of(AN)));
    assertEquals(1, asked.result().size());
    directory.devicesOf(List.of(AN));
    assertEquals(2, server.queries.size(), "the list from before the change was not kept");
  }

  @Test
  void aServerThatDidNotAnswerIsAskedAgainNextTime() {
    server.addDevice(BO, "LAPTOP");
    server.failedServers.add("clb.test");
    assertTrue(directory.devicesOf(List.of(BO)).result().isEmpty());
    server.failedServers.clear();
    assertEquals(1, directory.devicesOf(List.of(BO)).result().size());
    assertEquals(2, server.queries.size());
  }

  @Test
  void keysWithABadSignatureAreNeverUsed() {
    server.addDevice(AN, "PHONE");
    server.tamper = true;
    assertTrue(directory.devicesOf(List.of(AN)).result().isEmpty());
  }

  /** The homeserver's key API over real, self-signed device keys; records each query's users. */
  private static final class KeyServerRecording implements DeviceDirectory.KeyServer {
    final Map<String, Map<String, JsonObject>> devices = new LinkedHashMap<>();
    final List<Set<String>> queries = new ArrayList<>();
    final Set<String> failedServers = new java.util.HashSet<>();
    Promise<JsonObject> next;
    boolean tamper;

    OlmChannel addDevice(String userId, String deviceId) {
      OlmChannel olm = new OlmChannel(OlmAccount.create(), userId, deviceId);
      JsonObject keys = KeyUploads.body(olm, userId, deviceId, true).getJsonObject("device_keys");
      devices.computeIfAbsent(userId, user -> new LinkedHashMap<>()).put(deviceId, keys);
      return olm;
    }

    @Override
    public Future<JsonObject> queryKeys(JsonObject body) {
      Set<String> users = body.getJsonObject("device_keys").fieldNames();
      queries.add(Set.copyOf(users));
      if (next != null) {
        Promise<JsonObject> answer = next;
        next = null;
        return answer.future();
      }
      return Future.succeededFuture(answer(users));
    }

    JsonObject answer(Set<String> users) {
      JsonObject byUser = new JsonObject();
      JsonObject failures = new JsonObject();
      for (String user : users) {
        String server = user.substring(user.indexOf(':') + 1);
        if (failedServers.contains(server)) {
          failures.put(server, new JsonObject().put("status", 503));
          continue;
        }
        JsonObject byDevice = new JsonObject();
        devices.getOrDefault(user, Map.of()).forEach((device, keys) -> byDevice.put(device, tamper
            ? keys.copy().put("unsigned", new JsonObject()).put("algorithms", new io.vertx.core.json.JsonArray().add("x"))
            : keys));
        byUser.put(user, byDevice);
      }
      return new JsonObject().put("device_keys", byUser).put("failures", failures);
    }

    @Override
    public Future<JsonObject> claimKeys(JsonObject body) {
      return Future.failedFuture(new IllegalStateException("not used here"));
    }
  }
}
