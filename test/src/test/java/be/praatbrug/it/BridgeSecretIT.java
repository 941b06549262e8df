package be.praatbrug.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.main.Main;
import be.praatbrug.bridge.secret.BridgeSecret;
import be.praatbrug.bridge.secret.BridgeSecretFile;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.rooms.KnockCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge-only secret on the real bridge and a real Synapse: nothing it protects can be opened
 * or recomputed with {@code as_token} (which Synapse's registration file holds too), and rotating
 * it with the bridge stopped keeps the bot's E2EE device, whose encrypted chat with a libolm
 * client (matrix-nio) goes on.
 */
class BridgeSecretIT {

  private static final String PASSWORD = "bridge secret password";
  private static final Pattern CODE = Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)");
  private static final Pattern ROOM_ID = Pattern.compile("(![A-Za-z0-9]+:caw\\.test)");
  private static TestHomeserver homeserver;

  @TempDir Path directory;
  private Vertx vertx;
  private NioClient nio;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("secretnio", PASSWORD);
    homeserver.register("secretcounsellor", PASSWORD);
  }

  @AfterEach
  void stop() throws Exception {
    if (nio != null) {
      nio.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void nothingOpensWithTheAppserviceTokenAndARotationKeepsTheDevice() throws Exception {
    vertx = Vertx.vertx();
    Path secretFile = directory.resolve("bridge-secret.json");
    Map<String, String> overrides = Map.of(
        "PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", directory.resolve("ledger-key.json").toString(),
        "PRAATBRUG_SECRET_KEY_FILE", secretFile.toString());
    BridgeConfig config = homeserver.bridgeConfig(overrides);
    String asToken = config.appservice().asToken();
    RunningBridge bridge = new RunningBridge(vertx, config).start();
    String deviceKey = bridge.verticle().botDevice().curve25519();
    BridgeSecret secret = BridgeSecretFile.openOrCreate(secretFile, null);

    // A knock code is hashed with the bridge secret, not with anything made from as_token.
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("secretcounsellor", PASSWORD);
    String control = bridge.openDirectChat(counsellor);
    String asked = counsellor.sendText(control, "!gesprek nieuw");
    String notice = MatrixTestClient.eventually(Duration.ofSeconds(30), "the new room", () -> counsellor
        .messageFrom(control, config.botUserId(), asked).map(e -> e.getJsonObject("content").getString("body"))
        .filter(body -> body.contains("Klopcode")));
    Matcher code = CODE.matcher(notice);
    Matcher room = ROOM_ID.matcher(notice);
    assertTrue(code.find() && room.find(), notice);
    String stored = storedCodeHash(config, room.group(1));
    assertEquals(KnockCode.hash(secret.roomSecret(), code.group(1)), stored);
    assertNotEquals(KnockCode.hash(BridgeSecret.legacyRoomSecret(asToken), code.group(1)), stored);

    // The E2EE state: sealed with the bridge secret; as_token opens none of it.
    assertTrue(opens(config, secret.e2eeStateKey()));
    assertFalse(opens(config, BridgeSecret.legacyE2eeStateKey(asToken)), "as_token opens the bot's E2EE state");

    // An encrypted chat with a libolm client, before the rotation.
    String bot = config.botUserId();
    nio = NioClient.start(homeserver, "@secretnio:" + TestHomeserver.DOMAIN, PASSWORD, bot, null,
        directory.resolve("nio.log"));
    String dm = nio.roomId();
    MatrixTestClient asBot = new MatrixTestClient(vertx, homeserver.clientUrl).withToken(asToken, bot);
    MatrixTestClient.eventually(Duration.ofSeconds(30), "the bot in the encrypted chat", () ->
        asBot.call(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null).getJsonArray("joined_rooms").contains(dm)
            ? Optional.of(true) : Optional.empty());
    nio.send("!hulp");
    assertTrue(nio.awaitNotice("!gesprek").getBoolean("decrypted"));

    // WHEN the secret is rotated with the bridge stopped, as docs say
    bridge.stop();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--config", homeserver.configFile.toString(), "rotate-secret"},
        ItStore.apply(overrides), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
    BridgeSecret rotated = BridgeSecretFile.openOrCreate(secretFile, null);
    assertTrue(rotated.hasPrevious());
    bridge = new RunningBridge(vertx, config).start();

    // THEN the same device, re-sealed under the new secret only, the old one forgotten
    assertEquals(deviceKey, bridge.verticle().botDevice().curve25519(), "the device stays the same");
    assertTrue(opens(config, rotated.e2eeStateKey()));
    assertFalse(opens(config, secret.e2eeStateKey()), "the old secret still opens the state");
    MatrixTestClient.eventually(Duration.ofSeconds(10), "the previous secret to be forgotten", () -> {
      try {
        return BridgeSecretFile.openOrCreate(secretFile, null).hasPrevious() ? Optional.empty() : Optional.of(true);
      } catch (BridgeSecretFile.Problem problem) {
        throw new IllegalStateException(problem);
      }
    });
    // AND the encrypted chat goes on (the Olm sessions were kept)
    nio.send("!help");
    assertTrue(nio.awaitNotice("!gesprek").getBoolean("decrypted"));
    bridge.stop();
    // AND two rotations without a start in between are refused: the state would be lost
    assertThrows(BridgeSecretFile.Problem.class, () -> {
      BridgeSecretFile.rotate(secretFile, null);
      BridgeSecretFile.rotate(secretFile, null);
    });
  }

  /**
   * Before client records, a Matrix account's reference was {@code cl-…}, a keyed hash of its id
   * under a key made from {@code as_token}; the bridge secret replaced that key. Such an account
   * must keep its reference and the consent recorded under it on a bridge with its own secret, and
   * after that secret is rotated too.
   */
  @Test
  void aMatrixAccountsReferenceFromBeforeTheBridgeSecretKeepsItsConsentAcrossARotation() throws Exception {
    vertx = Vertx.vertx();
    Path secretFile = directory.resolve("bridge-secret.json");
    Map<String, String> overrides = Map.of(
        "PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", directory.resolve("ledger-key.json").toString(),
        "PRAATBRUG_SECRET_KEY_FILE", secretFile.toString());
    BridgeConfig config = homeserver.bridgeConfig(overrides);
    String localpart = "secretlegacy" + UUID.randomUUID().toString().substring(0, 8);
    homeserver.register(localpart, PASSWORD);
    MatrixTestClient client = new MatrixTestClient(vertx, homeserver.clientUrl).login(localpart, PASSWORD);
    // GIVEN the store as an older bridge left it: the account consented under its old reference
    String legacyRef = ClientRefs.of(BridgeSecret.legacyRoomSecret(config.appservice().asToken()),
        client.userId());
    seedLegacyConsent(config, legacyRef);
    RunningBridge bridge = new RunningBridge(vertx, config).start();
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("secretcounsellor", PASSWORD);
    String control = bridge.openDirectChat(counsellor);

    // WHEN the account knocks with a valid code on a bridge that has its own secret
    String[] first = newRoom(config, counsellor, control);
    client.knock(first[0], first[1]);
    // THEN it is let in at once (its consent is on record) and the session is under the old reference
    awaitMembership(counsellor, first[0], client.userId(), "invite");
    client.join(first[0]);
    assertEquals(legacyRef, awaitSessionRef(config, first[0]));

    // AND after the bridge secret is rotated, the account still leads to the same record
    bridge.stop();
    assertEquals(0, Main.run(new String[] {"--config", homeserver.configFile.toString(), "rotate-secret"},
        ItStore.apply(overrides), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        System.err));
    bridge = new RunningBridge(vertx, config).start();
    String[] second = newRoom(config, counsellor, control);
    client.knock(second[0], second[1]);
    awaitMembership(counsellor, second[0], client.userId(), "invite");
    client.join(second[0]);
    assertEquals(legacyRef, awaitSessionRef(config, second[0]));
    bridge.stop();
  }

  /** Consent under {@code legacyRef} in the ledger, and its record ('legacy', as the migration makes). */
  private void seedLegacyConsent(BridgeConfig config, String legacyRef) throws Exception {
    Database database = Database.open(vertx, config.database())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    Ledger ledger = Ledger.open(vertx, database, config.ledger(), Clock.systemUTC())
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    ConsentText text = ledger.consentTexts().current("caw", "nl").orElseThrow();
    Instant then = Instant.now().minus(Duration.ofDays(30));
    ledger.append(Entries.consentGiven(legacyRef, text, "matrix", null, then))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    database.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try (Connection connection = ItStore.open(config.database());
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO client_records (client_ref, origin, created_at) VALUES (?, 'legacy', ?)")) {
      insert.setString(1, legacyRef);
      insert.setLong(2, then.toEpochMilli());
      insert.executeUpdate();
    }
  }

  /** {@code !gesprek nieuw}, the counsellor in the room; returns {room id, code}. */
  private static String[] newRoom(BridgeConfig config, MatrixTestClient counsellor, String control) {
    String asked = counsellor.sendText(control, "!gesprek nieuw");
    String notice = MatrixTestClient.eventually(Duration.ofSeconds(30), "the new room", () -> counsellor
        .messageFrom(control, config.botUserId(), asked).map(e -> e.getJsonObject("content").getString("body"))
        .filter(body -> body.contains("Klopcode")));
    Matcher code = CODE.matcher(notice);
    Matcher room = ROOM_ID.matcher(notice);
    assertTrue(code.find() && room.find(), notice);
    counsellor.join(room.group(1));
    return new String[] {room.group(1), code.group(1)};
  }

  private static void awaitMembership(MatrixTestClient observer, String roomId, String userId,
      String membership) {
    MatrixTestClient.eventually(Duration.ofSeconds(30), userId + " to be '" + membership + "'", () ->
        membership.equals(observer.membership(roomId, userId)) ? Optional.of(true) : Optional.empty());
  }

  /** The client reference of the session that started in {@code roomId}. */
  private static String awaitSessionRef(BridgeConfig config, String roomId) {
    return MatrixTestClient.eventually(Duration.ofSeconds(30), "the session in " + roomId, () -> {
      try (Connection connection = ItStore.open(config.database());
          PreparedStatement query = connection.prepareStatement(
              "SELECT client_ref FROM session_records WHERE room_id = ?")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static String storedCodeHash(BridgeConfig config, String roomId) throws Exception {
    try (Connection connection = ItStore.open(config.database());
        PreparedStatement query = connection.prepareStatement(
            "SELECT code_hash FROM knock_codes WHERE room_id = ? AND revoked_at IS NULL")) {
      query.setString(1, roomId);
      try (ResultSet rows = query.executeQuery()) {
        assertTrue(rows.next(), "the room's code is stored");
        return rows.getString(1);
      }
    }
  }

  /** Whether {@code key} opens the bot's sealed account (AES-256-GCM, row bound as associated data). */
  private static boolean opens(BridgeConfig config, byte[] key) throws Exception {
    String sealed;
    try (Connection connection = ItStore.open(config.database());
        PreparedStatement query = connection.prepareStatement(
            "SELECT sealed FROM e2ee_state WHERE kind = 'account' AND state_key = 'bot'");
        ResultSet rows = query.executeQuery()) {
      assertTrue(rows.next(), "the bot's account is stored");
      sealed = rows.getString(1);
    }
    byte[] bytes = Base64.getDecoder().decode(sealed);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, bytes, 1, 12));
    cipher.updateAAD("account\u0000bot".getBytes(StandardCharsets.UTF_8));
    try {
      cipher.doFinal(bytes, 13, bytes.length - 13);
      return true;
    } catch (javax.crypto.AEADBadTagException wrongKey) {
      return false;
    }
  }
}
