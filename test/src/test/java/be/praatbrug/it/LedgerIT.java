package be.praatbrug.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.LedgerKeyFile;
import be.praatbrug.bridge.ledger.OrgPublicKey;
import be.praatbrug.bridge.ledger.PublicKeyHandler;
import be.praatbrug.bridge.ledger.VerificationReport;
import be.praatbrug.bridge.main.BridgeVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies that a bridge started against a real Synapse creates its ledger key on first start,
 * publishes the public key without a token, and records and verifies entries.
 */
class LedgerIT {

  private static TestHomeserver homeserver;

  @TempDir Path directory;
  private Vertx vertx;
  private BridgeVerticle bridge;
  private Path keyFile;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
  }

  @BeforeEach
  void startBridge() throws Exception {
    vertx = Vertx.vertx();
    keyFile = directory.resolve("ledger-key.json");
    BridgeConfig config = homeserver.bridgeConfig(Map.of(
        "PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", keyFile.toString(),
        "PRAATBRUG_LEDGER_CONSENT_DIR", TestHomeserver.repository().resolve("policy/consent")
            .toString()));
    bridge = new BridgeVerticle(config, Clock.systemUTC());
    await(vertx.deployVerticle(bridge));
  }

  @AfterEach
  void stopBridge() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void publishesTheKeyItCreatedOnFirstStartWithoutAToken() throws Exception {
    // GIVEN a bridge that started for the first time (see startBridge)

    // WHEN anyone asks for the ledger's public key, without a token
    int[] status = new int[1];
    JsonObject body = await(vertx.createHttpClient()
        .request(HttpMethod.GET, bridge.port(), "127.0.0.1", PublicKeyHandler.PATH)
        .compose(request -> request.send())
        .compose(response -> {
          status[0] = response.statusCode();
          return response.body();
        })
        .map(JsonObject::new));

    // THEN it gets the key that the bridge created, in an owner-only file
    assertEquals(200, status[0]);
    assertEquals(LedgerKeyFile.readPublicKey(keyFile),
        OrgPublicKey.fromBase64(body.getString("raw_base64")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
  }

  @Test
  void recordsConsentAndOpensTheGateThenVerifies() throws Exception {
    // GIVEN the running bridge's ledger and the shipped CAW consent text
    var ledger = bridge.ledger();
    var text = ledger.consentTexts().current("caw", "nl").orElseThrow();

    // WHEN a client consents and has a session
    Instant now = Instant.now();
    await(ledger.append(Entries.consentGiven("c-it", text, "web", null, now)));
    LedgerEntry ended = await(ledger.append(Entries.sessionEnded("c-it", "s-it", "!r:caw.test",
        "@counsellor:caw.test", now, now.plusSeconds(60))));

    // THEN the consent gate opens for that version and the chain verifies
    assertTrue(await(ledger.hasConsent("c-it", "caw", text.version())));
    VerificationReport report = await(ledger.verify());
    assertTrue(report.ok(), report.lines().toString());
    assertEquals(ended.position(), report.entriesChecked());
  }
}
