package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A real database (SQLite or PostgreSQL), fresh keys and a {@link Ledger} on them. */
final class LedgerFixture {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final OrgKeys keys = TestChains.keys();
  final Database database;
  final ConsentTexts texts;
  final Ledger ledger;

  LedgerFixture(Vertx vertx, String backend, Path directory) throws Exception {
    database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    Path consent = directory.resolve("consent/caw");
    Files.createDirectories(consent);
    Files.writeString(consent.resolve("v1.nl.md"), "# Toestemming v1\n");
    Files.writeString(consent.resolve("v2.nl.md"), "# Toestemming v2\n");
    texts = ConsentTexts.load(directory.resolve("consent"));
    ledger = new Ledger(database, keys, texts, CLOCK);
  }

  ConsentText caw(String version) {
    return texts.find("caw", version, "nl").orElseThrow();
  }

  /** Runs SQL straight on the tables, as someone with database access would. */
  void sql(String... statements) throws Exception {
    await(database.blocking(connection -> {
      try (Statement statement = connection.createStatement()) {
        for (String sql : statements) {
          statement.execute(sql);
        }
      }
      return null;
    }));
  }

  long count(String sql) throws Exception {
    return await(database.blocking(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        return rows.getLong(1);
      }
    }));
  }

  /** Every text value in every ledger table, to search for clear personal data. */
  List<String> allStoredText() throws Exception {
    return await(database.blocking(connection -> {
      List<String> values = new ArrayList<>();
      for (String table : List.of("ledger_entries", "ledger_head", "ledger_client_keys")) {
        try (Statement statement = connection.createStatement();
            ResultSet rows = statement.executeQuery("SELECT * FROM " + table)) {
          while (rows.next()) {
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
              values.add(String.valueOf(rows.getObject(i)));
            }
          }
        }
      }
      return values;
    }));
  }

  void close() throws Exception {
    await(database.close());
  }
}
