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
  private static final String NIO_USER = "@nioclient:" + TestHomeserver.DOMAIN;
  private static TestHomeserver homeserver;

  @TempDir Path directory;
  private Vertx vertx;
  private NioClient nio;
  private NioClient secondDevice;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("nioclient", PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    if (nio != null) {
      nio.close();
    }
    if (secondDevice != null) {
      secondDevice.close();
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

    nio = NioClient.start(homeserver, NIO_USER, PASSWORD, bot, null, directory.resolve("nio.log"));
    String roomId = nio.roomId();
    MatrixTestClient asBot = new MatrixTestClient(vertx, homeserver.clientUrl).withToken(config.appservice().asToken(), bot);
    // Asked as the bot's joined rooms: its view of the room's state is refused (403) until it is in.
    MatrixTestClient.eventually(Duration.ofSeconds(30), "the bot to join the encrypted direct chat", () ->
        asBot.call(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null).getJsonArray("joined_rooms").contains(roomId)
            ? Optional.of(true) : Optional.empty());

    // An encrypted command: the bridge decrypts it (room key over Olm, via the appservice transaction).
    String privateWords = "geheime woorden die nergens mogen staan";
    nio.send("!hulp " + privateWords);
    JsonObject answer = nio.awaitNotice("!gesprek");
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

    noticesAskNoRoomStateOrKeysAndANewDeviceReadsTheNextOne(bridge, roomId, bot);

    // The device is cross-signed: Synapse checked and stored the self-signing key's signature over it.
    assertCrossSigned(asBot, bot, bridge.verticle().botDevice().deviceId());

    // Restart: the device comes back from the sealed store with the same keys and still works.
    bridge.stop();
    bridge = new RunningBridge(vertx, config).start();
    assertEquals(deviceKey, bridge.verticle().botDevice().curve25519());
    nio.send("!help");
    JsonObject again = nio.awaitNotice("!gesprek");
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

  /**
   * Room state and device lists are kept, not fetched per notice (#23): three more answers cost
   * three sends and no {@code /state} or {@code /keys/query}. Then the same user signs in on a
   * second device; its device-list change (MSC3202, in a transaction) makes the bot share the room
   * key with it, so the new device reads the next answer.
   */
  private void noticesAskNoRoomStateOrKeysAndANewDeviceReadsTheNextOne(RunningBridge bridge, String roomId, String bot)
      throws Exception {
    String before = bridge.scrapeMetrics();
    for (int i = 0; i < 3; i++) {
      nio.send("!hulp");
      assertTrue(nio.awaitNotice("!gesprek").getBoolean("decrypted"));
    }
    String after = bridge.scrapeMetrics();
    long stateReads = requests(before, after, "GET", "client.rooms.state");
    long keyQueries = requests(before, after, "POST", "client.keys.query");
    long sends = requests(before, after, "PUT", "client.rooms.send");
    System.out.printf("homeserver requests for 3 encrypted notices: %d /state, %d /keys/query, %d sends%n",
        stateReads, keyQueries, sends);
    assertEquals(0, stateReads, "room state is kept, not read per notice");
    assertEquals(0, keyQueries, "device lists are kept, not asked per notice");
    assertEquals(3, sends);

    secondDevice = NioClient.start(homeserver, NIO_USER, PASSWORD, bot, roomId, directory.resolve("nio-second.log"));
    nio.send("!hulp");
    JsonObject read = secondDevice.awaitNotice("!gesprek");
    assertEquals(bot, read.getString("sender"));
    assertTrue(read.getBoolean("decrypted"), "the device that came later got the room key");
  }

  /** Requests of one API (or APIs starting so) between two scrapes of the bridge's metrics. */
  private static long requests(String before, String after, String method, String api) {
    String series = "praatbrug_homeserver_requests_seconds_count";
    String[] labels = {"api=\"" + api, "method=\"" + method + "\""};
    return RunningBridge.count(after, series, labels) - RunningBridge.count(before, series, labels);
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
}
