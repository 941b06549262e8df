package be.praatbrug.bridge.main;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerKeyFile;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import be.praatbrug.bridge.config.MinimalConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate-store}: a bridge's SQLite store arrives whole in a real PostgreSQL, its ledger
 * still verifies there, and a database that already holds data is refused untouched.
 */
class MigrateStoreCommandTest {

  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");

  @TempDir Path directory;
  private DatabaseSection postgres;
  private Path config;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void aStoreWithRoomsCodesTransactionsAndALedger() throws Exception {
    postgres = TestDatabases.postgres();
    assumeTrue(postgres != null, "no PostgreSQL configured (PRAATBRUG_TEST_POSTGRES_URL)");
    Path consent = Files.createDirectories(directory.resolve("consent/caw"));
    Files.writeString(consent.resolve("v1.nl.md"), "# Toestemming\n");
    config = MinimalConfig.write(directory, """
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
      await(database.close());
    } finally {
      await(vertx.close());
    }
    sqlite("INSERT INTO counselling_rooms (room_id, policy_name, counsellor_id, room_name, status,"
        + " created_at) VALUES ('!r:caw.test', 'caw', '@co:caw.test', 'rustige-groene-boot', 'open', 1)");
    sqlite("INSERT INTO knock_codes (code_hash, room_id, created_at, expires_at, single_use)"
        + " VALUES ('h1', '!r:caw.test', 1, 2, 1)");
    for (int i = 1; i <= 1200; i++) {
      sqlite("INSERT INTO appservice_transactions (txn_id, fingerprint, event_count, processed_at)"
          + " VALUES ('" + i + "', 'f', 1, " + i + ")");
    }
  }

  @Test
  void copiesEveryTableAndTheLedgerVerifiesInPostgres() throws Exception {
    assertEquals(0, migrate(), err());

    assertTrue(out().contains("appservice_transactions: 1200 rows"), out());
    assertTrue(out().contains("ledger_entries: 2 rows"), out());
    assertTrue(out().contains("Ledger OK: 2 entries"), out());
    for (String table : List.of("appservice_transactions", "counselling_rooms", "knock_codes",
        "session_records", "retention_runs", "ledger_entries", "ledger_head",
        "ledger_client_keys", "entry_guests", "policy_versions")) {
      assertEquals(rows(sqliteConnection(), table), rows(postgresConnection(), table), table);
    }
  }

  @Test
  void refusesATargetThatHoldsDataAndLeavesItAsItWas() throws Exception {
    assertEquals(0, migrate(), err());
    try (Connection pg = postgresConnection(); Statement statement = pg.createStatement()) {
      statement.execute("DELETE FROM appservice_transactions WHERE txn_id = '1'");
    }

    assertEquals(4, migrate());
    assertTrue(err().contains("the target is not empty"), err());
    assertEquals(1199, rows(postgresConnection(), "appservice_transactions").size());
  }

  private int migrate() {
    out.reset();
    err.reset();
    return Main.run(new String[] {"--config", config.toString(), "migrate-store", "--to",
            postgres.uri(), "--to-username", postgres.username()},
        Map.of(MigrateStoreCommand.PASSWORD_VARIABLE, postgres.password()),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void sqlite(String sql) throws Exception {
    try (Connection connection = sqliteConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private Connection sqliteConnection() throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("praatbrug.db"));
  }

  private Connection postgresConnection() throws Exception {
    return DriverManager.getConnection(postgres.uri(), postgres.username(), postgres.password());
  }

  /** Every row as text, in primary-key order, so the two databases compare value by value. */
  private static List<String> rows(Connection connection, String table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (connection; Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY 1, 2")) {
      ResultSetMetaData columns = result.getMetaData();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          row.append(columns.getColumnName(i)).append('=').append(result.getString(i)).append(';');
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
