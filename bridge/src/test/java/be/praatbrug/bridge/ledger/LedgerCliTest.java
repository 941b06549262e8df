package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.main.Main;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ledger} commands through {@link Main}, as an administrator runs them. */
class LedgerCliTest {

  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");

  @TempDir Path directory;
  private Path config;
  private ByteArrayOutputStream out;
  private ByteArrayOutputStream err;

  @BeforeEach
  void recordAConsentAndTwoSessions() throws Exception {
    Path consent = Files.createDirectories(directory.resolve("consent/caw"));
    Files.writeString(consent.resolve("v1.nl.md"), "# Toestemming\n");
    config = Files.writeString(directory.resolve("config.yaml"), """
        homeserver:
          address: http://127.0.0.2:8008
          domain: caw.test
        database:
          uri: %s
        ledger:
          key_file: %s
          consent_dir: %s
        """.formatted(directory.resolve("praatbrug.db"), directory.resolve("ledger-key.json"),
        directory.resolve("consent")));
    Vertx vertx = Vertx.vertx();
    try {
      Database database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
      OrgKeys keys = LedgerKeyFile.openOrCreate(directory.resolve("ledger-key.json"), null,
          new SecureRandom());
      ConsentTexts texts = ConsentTexts.load(directory.resolve("consent"));
      Ledger ledger = new Ledger(database, keys, texts, Clock.systemUTC());
      await(ledger.append(Entries.consentGiven("c-1", texts.current("caw", "nl").orElseThrow(),
          "web", "An Peeters", START)));
      await(ledger.append(Entries.sessionEnded("c-1", "s-1", "!r:caw.test", "@co:caw.test",
          START, START.plusSeconds(1500))));
      await(ledger.append(Entries.sessionEnded("c-2", "s-2", "!q:caw.test", "@co:caw.test",
          START.plusSeconds(86_400), START.plusSeconds(88_000))));
      await(database.close());
    } finally {
      await(vertx.close());
    }
  }

  private int ledger(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 3];
    all[0] = "--config";
    all[1] = config.toString();
    all[2] = "ledger";
    System.arraycopy(args, 0, all, 3, args.length);
    return Main.run(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void sql(String statement) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:"
        + directory.resolve("praatbrug.db"));
        Statement sql = connection.createStatement()) {
      sql.execute(statement);
    }
  }

  @Test
  void verifyPassesOnTheRecordedLedger() {
    assertEquals(0, ledger("verify"), err());
    assertTrue(out().startsWith("Ledger OK: 3 entries"), out());
  }

  @Test
  void verifyFailsOnATamperedCopyNamingThePosition() throws Exception {
    sql("DELETE FROM ledger_entries WHERE position = 2");

    assertEquals(1, ledger("verify"));
    assertTrue(out().contains("Ledger FAILED verification: 1 problem(s) in 2 stored entries"), out());
    assertTrue(out().contains("  position 2: removed\n"), out());
  }

  @Test
  void verifyWithAnotherPublishedKeyRejectsEverySignature() throws Exception {
    Path other = Files.writeString(directory.resolve("other.pem"),
        TestChains.keys().publicKey().pem());

    assertEquals(1, ledger("verify", "--public-key", other.toString()));
    assertTrue(out().contains("position 1: edited (signature does not verify"), out());
  }

  @Test
  void printsThePublicKeyAsPem() throws Exception {
    assertEquals(0, ledger("public-key"));
    assertEquals(LedgerKeyFile.readPublicKey(directory.resolve("ledger-key.json")),
        OrgPublicKey.fromPem(out()));
  }

  @Test
  void exportsSessionsOfAPeriodAsCsv() {
    assertEquals(0, ledger("export-sessions", "--from", "2026-11-25", "--to", "2026-11-26",
        "--format", "csv"), err());

    List<List<String>> rows = SessionExportTest.parseCsv(out().substring(1));
    assertEquals(2, rows.size(), out());
    assertEquals("s-2", rows.get(1).get(0));
  }

  @Test
  void exportsAClientsSessionsAsJson() {
    assertEquals(0, ledger("export-sessions", "--client", "c-1", "--format", "json"), err());

    JsonObject export = new JsonObject(out());
    assertEquals(1500, export.getJsonArray("sessions").getJsonObject(0)
        .getLong("duration_seconds"));
  }

  @Test
  void exportsAConsentProofAndSaysSoWhenThereIsNone() {
    assertEquals(0, ledger("export-consent", "--client", "c-1"), err());
    assertEquals(1, new JsonObject(out()).getJsonArray("entries").size());

    assertEquals(1, ledger("export-consent", "--client", "c-2"));
    assertTrue(err().contains("No consent on record for client c-2."), err());
  }

  @Test
  void eraseNeedsConfirmationThenLeavesAVerifiableLedgerWithoutThePersonalData() {
    assertEquals(2, ledger("erase", "--client", "c-1"));
    assertTrue(err().contains("ledger erase cannot be undone: add --yes"), err());

    assertEquals(0, ledger("erase", "--client", "c-1", "--yes"), err());
    assertEquals(0, ledger("export-subject", "--client", "c-1"), err());
    assertFalse(out().contains("Peeters"), out());
    assertTrue(out().contains("personal_data_erased"), out());
    assertEquals(0, ledger("verify"), out());
  }

  @Test
  void badInputGetsAClearMessageAndTheUsageExitCode() {
    assertEquals(2, ledger("export-sessions", "--format", "xlsx"));
    assertTrue(err().startsWith("ledger export-sessions needs --format csv or --format json"));
    assertEquals(2, ledger("export-sessions", "--format", "csv", "--from", "24/11/2026"));
    assertTrue(err().startsWith("cannot read the date \"24/11/2026\""), err());
    assertEquals(2, ledger("export-consent"));
    assertTrue(err().startsWith("ledger export-consent needs --client REF"), err());
    assertEquals(2, ledger("export-subject", "--client", "an@example.be"));
    assertTrue(err().contains("is not a client reference"), err());
    assertEquals(2, ledger("shred"));
    assertTrue(err().startsWith("unknown ledger subcommand: shred"), err());
  }

  @Test
  void aMissingKeyFileHasItsOwnExitCode() throws Exception {
    Files.delete(directory.resolve("ledger-key.json"));

    assertEquals(7, ledger("verify"));
    assertTrue(err().contains("ledger.key_file " + directory.resolve("ledger-key.json")
        + " does not exist"), err());
  }
}
