package be.praatbrug.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's E2EE device against a client nobody here wrote: matrix-nio with libolm (Debian
 * python3-matrix-nio) on the real Synapse, talking to the whole running bridge. The client opens
 * an encrypted direct chat with the bot and types {@code !hulp}; the bridge must decrypt that
 * command and answer with an encrypted notice the client can read. After a restart of the bridge
 * (state from the sealed store) the same works again. After its state is wiped, the bot starts a
 * new cross-signed device and deletes the earlier one.
 */
class E2eeBotDeviceIT {

  private static final String PASSWORD = "e2ee client password";
  private static TestHomeserver homeserver;

  @TempDir Path directory;
  private Vertx vertx;
  private Process nio;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("nioclient", PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    if (nio != null) {
      nio.destroy();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void encryptedCommandIsReadAndTheEncryptedAnswerIsReadByNio() throws Exception {
    vertx = Vertx.vertx();
    BridgeConfig config = homeserver.bridgeConfig(directory.resolve("bridge.db"));
    String bot = config.botUserId();
    RunningBridge bridge = new RunningBridge(vertx, config).start();
    assertNotNull(bridge.verticle().botDevice(), "the bot's E2EE device started");
    String deviceKey = bridge.verticle().botDevice().curve25519();

    Path script = TestHomeserver.repository().resolve("test/src/test/python/nio_e2ee_client.py");
    nio = new ProcessBuilder("/usr/bin/python3", script.toString(), homeserver.clientUrl,
        "@nioclient:" + TestHomeserver.DOMAIN, PASSWORD, bot)
        .redirectError(directory.resolve("nio.log").toFile()).start();
    BufferedReader fromNio = new BufferedReader(new InputStreamReader(nio.getInputStream(), StandardCharsets.UTF_8));
    BufferedWriter toNio = new BufferedWriter(new OutputStreamWriter(nio.getOutputStream(), StandardCharsets.UTF_8));
    String roomId = read(fromNio).getString("room_id");
    MatrixTestClient asBot = new MatrixTestClient(vertx, homeserver.clientUrl).withToken(config.appservice().asToken(), bot);
    // Asked as the bot's joined rooms: its view of the room's state is refused (403) until it is in.
    MatrixTestClient.eventually(Duration.ofSeconds(30), "the bot to join the encrypted direct chat", () ->
        asBot.call(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null).getJsonArray("joined_rooms").contains(roomId)
            ? Optional.of(true) : Optional.empty());

    // An encrypted command: the bridge decrypts it (room key over Olm, via the appservice transaction).
    String privateWords = "geheime woorden die nergens mogen staan";
    ask(toNio, fromNio, "send", "!hulp " + privateWords);
    JsonObject answer = ask(toNio, fromNio, "await_notice", "!gesprek");
    assertEquals(bot, answer.getString("sender"));
    assertTrue(answer.getBoolean("decrypted"), "the answer arrived encrypted");
    assertTrue(answer.getString("notice").contains("commands"), answer.getString("notice"));

    // The homeserver saw ciphertext only, both ways.
    JsonArray chunk = asBot.call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(roomId)
        + "/messages?dir=b&limit=50", null).getJsonArray("chunk");
    for (int i = 0; i < chunk.size(); i++) {
      JsonObject event = chunk.getJsonObject(i);
      assertFalse("m.room.message".equals(event.getString("type")), "no plaintext message in the room: " + event.getString("sender"));
      assertFalse(event.encode().contains(privateWords));
    }

    // The device is cross-signed: Synapse checked and stored the self-signing key's signature over it.
    assertCrossSigned(asBot, bot, bridge.verticle().botDevice().deviceId());

    // Restart: the device comes back from the sealed store with the same keys and still works.
    bridge.stop();
    bridge = new RunningBridge(vertx, config).start();
    assertEquals(deviceKey, bridge.verticle().botDevice().curve25519());
    ask(toNio, fromNio, "send", "!help");
    JsonObject again = ask(toNio, fromNio, "await_notice", "!gesprek");
    assertTrue(again.getBoolean("decrypted"));

    // Nothing readable at rest or in the log.
    String store = ItStore.dump(config.database());
    assertFalse(store.contains(deviceKey), "the device's keys are sealed in the store");
    assertFalse(store.contains(privateWords));
    String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
    assertTrue(log.contains("E2EE device PRAATBRUG_"), "the log is the one the bridge writes to");
    assertFalse(log.contains(privateWords), "decrypted content must never be logged");

    // State reset (as after a new as_token): a new device starts, cross-signed, and the earlier one is deleted.
    String earlierDevice = bridge.verticle().botDevice().deviceId();
    bridge.stop();
    try (java.sql.Connection connection = ItStore.open(config.database())) {
      connection.createStatement().executeUpdate("DELETE FROM e2ee_state");
    }
    bridge = new RunningBridge(vertx, config).start();
    String newDevice = bridge.verticle().botDevice().deviceId();
    assertNotEquals(earlierDevice, newDevice);
    JsonArray devices = asBot.call(HttpMethod.GET, "/_matrix/client/v3/devices", null).getJsonArray("devices");
    java.util.List<String> ids = devices.stream().map(device -> ((JsonObject) device).getString("device_id")).toList();
    assertTrue(ids.contains(newDevice) && !ids.contains(earlierDevice), "the bot's devices: " + ids);
    assertCrossSigned(asBot, bot, newDevice);
    bridge.stop();
  }

  private static void assertCrossSigned(MatrixTestClient asBot, String bot, String deviceId) {
    JsonObject query = asBot.call(HttpMethod.POST, "/_matrix/client/v3/keys/query",
        new JsonObject().put("device_keys", new JsonObject().put(bot, new JsonArray())));
    JsonObject master = query.getJsonObject("master_keys").getJsonObject(bot);
    JsonObject selfSigning = query.getJsonObject("self_signing_keys").getJsonObject(bot);
    String masterKey = (String) master.getJsonObject("keys").getValue(master.getJsonObject("keys").fieldNames().iterator().next());
    String selfSigningKey = (String) selfSigning.getJsonObject("keys").getValue(selfSigning.getJsonObject("keys").fieldNames().iterator().next());
    JsonObject device = query.getJsonObject("device_keys").getJsonObject(bot).getJsonObject(deviceId);
    assertTrue(verifies(selfSigning, bot, masterKey), "the master key signs the self-signing key");
    assertTrue(verifies(device, bot, selfSigningKey), "the self-signing key signs the bot's device");
  }

  private static boolean verifies(JsonObject signed, String user, String ed25519Key) {
    String signature = signed.getJsonObject("signatures").getJsonObject(user).getString("ed25519:" + ed25519Key);
    return signature != null && be.praatbrug.crypto.Ed25519Verifier.verify(
        be.praatbrug.crypto.Base64s.decodeKey(ed25519Key, "key"),
        be.praatbrug.crypto.CanonicalJson.signingBytes(be.praatbrug.bridge.appservice.JsonBodies.plainMap(signed)),
        be.praatbrug.crypto.Base64s.decode(signature, "signature"));
  }

  private JsonObject ask(BufferedWriter to, BufferedReader from, String op, String body) throws Exception {
    to.write(new JsonObject().put("op", op).put("body", body).encode());
    to.write('\n');
    to.flush();
    JsonObject answer = read(from);
    if (answer.containsKey("error")) {
      throw new AssertionError("nio: " + answer.getString("error") + "\n" + Files.readString(directory.resolve("nio.log")));
    }
    return answer;
  }

  private JsonObject read(BufferedReader from) throws Exception {
    String line = from.readLine();
    if (line == null) {
      throw new AssertionError("nio client exited early\n" + Files.readString(directory.resolve("nio.log")));
    }
    return new JsonObject(line);
  }
}
