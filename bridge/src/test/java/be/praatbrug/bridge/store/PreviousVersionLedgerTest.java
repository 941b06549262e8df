package be.praatbrug.bridge.store;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerExports;
import be.praatbrug.bridge.ledger.LedgerKeyFile;
import be.praatbrug.bridge.ledger.SessionRow;
import be.praatbrug.bridge.ledger.VerificationReport;
import be.praatbrug.bridge.main.Main;
import be.praatbrug.policy.clients.ClientReference;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A store and ledger made by the bridge before client records (schema 6, the fixture in
 * {@code previous-version/}, made by {@code MakeFixture.java} with that version's jar) are
 * migrated by this one: the ledger still verifies, the old per-guest references stay as they are
 * and can be found, exported and erased, a Matrix account keeps its old reference and consent, and
 * new entries chain on.
 */
class PreviousVersionLedgerTest {

  private static final String FIXTURE = "/be/praatbrug/bridge/store/previous-version/";
  /** The room secret MakeFixture hashed Matrix accounts with. */
  private static final byte[] OLD_SECRET = "previous-version room secret".getBytes(StandardCharsets.UTF_8);
  private static final String MATRIX_CLIENT = "cl-1aa7568ae3a65af7";
  private static final String FIRST_VISIT = "cl-9ac1ddd9746b2363";
  private static final String ERASED_VISIT = "cl-19dace0e49ef3693";
  private static final List<String> TABLES = List.of("counselling_rooms", "knock_codes",
      "session_records", "retention_runs", "ledger_entries", "ledger_head", "ledger_client_keys",
      "entry_guests", "policy_versions", "e2ee_state", "appservice_transactions");

  @TempDir Path directory;
  private Vertx vertx;
  private Path keyFile;

  static List<String> backends() {
    return TestDatabases.backends();
  }

  @BeforeEach
  void copyTheKeyFile() throws Exception {
    vertx = Vertx.vertx();
    keyFile = directory.resolve("ledger-key.json");
    copy("ledger-key.json", keyFile);
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aLedgerOfThePreviousVersionVerifiesAfterTheMigrationAndChainsOn(String backend)
      throws Exception {
    DatabaseSection section = previousVersionStore(backend);

    Database database = await(Database.open(vertx, section));
    try {
      assertEquals(Migrations.latestVersion(), await(database.schemaVersion()));
      Ledger ledger = new Ledger(database, LedgerKeyFile.open(keyFile, null),
          ConsentTexts.load(Path.of("../policy/consent")), Clock.systemUTC());
      VerificationReport before = await(ledger.verify());
      assertTrue(before.ok(), before.lines().toString());
      assertEquals(13, before.entriesChecked());

      // The old references stay as they were, each a record of its own, the erased one marked.
      ClientRecords records = new ClientRecords(database, ledger.clientKeys(), Clock.systemUTC(),
          OLD_SECRET);
      for (String old : List.of(MATRIX_CLIENT, FIRST_VISIT, ERASED_VISIT)) {
        ClientRecord record = await(records.find(old)).orElseThrow();
        assertEquals(ClientRecord.LEGACY, record.origin(), old);
        assertEquals(old.equals(ERASED_VISIT), record.erased(), old);
      }
      LedgerExports exports = new LedgerExports(ledger, Clock.systemUTC());
      List<SessionRow> sessions = await(exports.sessions(FIRST_VISIT, null, null));
      assertEquals(1, sessions.size());
      assertEquals(1200L, sessions.get(0).durationSeconds());
      assertEquals(1, await(exports.subject(MATRIX_CLIENT)).getJsonObject("other_records")
          .getJsonArray("counselling_rooms").size(), "the old client's one room");

      // A client with a Matrix account keeps the reference and the consent of before.
      String ref = await(records.ofAccount("@client:caw.test")).orElseThrow().ref();
      assertEquals(MATRIX_CLIENT, ref);
      assertTrue(await(ledger.hasConsent(ref, "caw", "v1")));

      // New clients get references of the bridge's own making, and the chain goes on.
      String newRef = await(records.ofAccountOrNew("@new:caw.test", null)).ref();
      assertTrue(ClientReference.isBridgeMade(newRef), newRef);
      Instant now = Instant.now();
      await(ledger.append(Entries.consentGiven(newRef, ledger.consentTexts().current("caw", "nl")
          .orElseThrow(), "matrix", null, now)));
      await(ledger.append(Entries.sessionEnded(MATRIX_CLIENT, "s-new", "!new:caw.test",
          "@counsellor:caw.test", now, now.plusSeconds(600))));
      await(ledger.erase(FIRST_VISIT, "test"));
      VerificationReport after = await(ledger.verify());
      assertTrue(after.ok(), after.lines().toString());
      assertEquals(16, after.entriesChecked());
      assertEquals(2, await(exports.sessions(MATRIX_CLIENT, null, null)).size());
    } finally {
      await(database.close());
    }

    // What an administrator runs: ledger verify, on the migrated store.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--config", config(section).toString(), "ledger", "verify"},
        Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, exit, out.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("Ledger OK: 16 entries"), out.toString());
  }

  /** The fixture's store on {@code backend}: the file itself, or its rows in a schema-6 PostgreSQL. */
  private DatabaseSection previousVersionStore(String backend) throws Exception {
    DatabaseSection sqlite = TestDatabases.sqlite(directory);
    copy("bridge.db", Path.of(sqlite.uri()));
    if ("sqlite".equals(backend)) {
      return sqlite;
    }
    DatabaseSection postgres = TestDatabases.postgres();
    try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + sqlite.uri());
        Connection to = DriverManager.getConnection(postgres.uri(), postgres.username(),
            postgres.password())) {
      assertEquals(6, Migrations.migrate(to, "postgres", 6));
      assertEquals(6, Migrations.currentVersion(from), "the fixture is at schema 6");
      for (String table : TABLES) {
        copyRows(from, to, table);
      }
    }
    return postgres;
  }

  private static void copyRows(Connection from, Connection to, String table) throws Exception {
    try (Statement query = from.createStatement();
        ResultSet rows = query.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData columns = rows.getMetaData();
      StringBuilder names = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      for (int i = 1; i <= columns.getColumnCount(); i++) {
        names.append(i > 1 ? ", " : "").append(columns.getColumnName(i));
        marks.append(i > 1 ? ", " : "").append('?');
      }
      try (PreparedStatement insert = to.prepareStatement("INSERT INTO " + table + " (" + names
          + ") VALUES (" + marks + ")")) {
        while (rows.next()) {
          for (int i = 1; i <= columns.getColumnCount(); i++) {
            Object value = rows.getObject(i);
            insert.setObject(i, value instanceof Integer number ? Long.valueOf(number) : value);
          }
          insert.executeUpdate();
        }
      }
    }
  }

  private Path config(DatabaseSection database) throws Exception {
    String store = "sqlite".equals(database.type()) ? "  uri: " + database.uri() + "\n"
        : "  type: postgres\n  uri: " + database.uri() + "\n  username: " + database.username()
            + "\n  password: " + database.password() + "\n";
    return Files.writeString(directory.resolve("config.yaml"), "homeserver:\n"
        + "  address: http://127.0.0.2:8008\n  domain: caw.test\ndatabase:\n" + store
        + "ledger:\n  key_file: " + keyFile + "\n  consent_dir: ../policy/consent\n");
  }

  private static void copy(String name, Path to) throws Exception {
    try (InputStream in = PreviousVersionLedgerTest.class.getResourceAsStream(FIXTURE + name)) {
      assertNotNull(in, FIXTURE + name);
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
    assertFalse(Files.size(to) == 0);
  }
}
