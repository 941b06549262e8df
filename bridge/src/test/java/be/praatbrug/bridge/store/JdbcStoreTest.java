package be.praatbrug.bridge.store;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class JdbcStoreTest {

  @TempDir Path directory;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void roundTripsTransactionsAcrossReopen(String backend) throws Exception {
    DatabaseSection config = TestDatabases.forBackend(backend, directory);
    Instant at = Instant.parse("2026-11-24T10:00:00Z");

    Database database = await(Database.open(vertx, config));
    Store store = new JdbcStore(database);
    assertEquals(Optional.empty(), await(store.transactionFingerprint("1")));
    await(store.recordTransaction("1", "abc", 3, at));
    await(database.close());

    Database reopened = await(Database.open(vertx, config));
    assertEquals(Optional.of("abc"), await(new JdbcStore(reopened).transactionFingerprint("1")));
    assertEquals(backend, reopened.backend());
    assertEquals(Migrations.latestVersion(), await(reopened.schemaVersion()));
    await(reopened.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void replacesFingerprintWhenATransactionIdIsReused(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    Store store = new JdbcStore(database);
    await(store.recordTransaction("7", "first", 1, Instant.now()));
    await(store.recordTransaction("7", "second", 2, Instant.now()));

    assertEquals(Optional.of("second"), await(store.transactionFingerprint("7")));
    await(database.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void forgetsOnlyTransactionsOlderThanTheCutoff(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    Store store = new JdbcStore(database);
    Instant cutoff = Instant.parse("2026-11-01T00:00:00Z");
    await(store.recordTransaction("old", "a", 1, cutoff.minusSeconds(1)));
    await(store.recordTransaction("new", "b", 1, cutoff.plusSeconds(1)));

    assertEquals(1, await(store.deleteTransactionsBefore(cutoff)));
    assertEquals(Optional.empty(), await(store.transactionFingerprint("old")));
    assertEquals(Optional.of("b"), await(store.transactionFingerprint("new")));
    await(database.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void handlesConcurrentWritesWithoutLosingAny(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    Store store = new JdbcStore(database);
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(store.recordTransaction("t" + i, "f" + i, i, Instant.now()));
    }
    await(Future.all(writes));

    for (int i = 0; i < 200; i += 37) {
      assertEquals(Optional.of("f" + i), await(store.transactionFingerprint("t" + i)));
    }
    await(database.close());
  }

  @Test
  void sqliteFileHoldsOnlyIdsAndCounts() throws Exception {
    DatabaseSection config = TestDatabases.sqlite(directory);
    Database database = await(Database.open(vertx, config));
    await(new JdbcStore(database).recordTransaction("42", "fp", 2, Instant.now()));
    await(database.close());

    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.uri());
        Statement statement = connection.createStatement();
        ResultSet columns = statement.executeQuery("PRAGMA table_info(appservice_transactions)")) {
      List<String> names = new ArrayList<>();
      while (columns.next()) {
        names.add(columns.getString("name"));
      }
      assertEquals(List.of("txn_id", "fingerprint", "event_count", "processed_at"), names);
    }
  }

  @Test
  void refusesADatabaseFromANewerBridge() throws Exception {
    DatabaseSection config = TestDatabases.sqlite(directory);
    await(await(Database.open(vertx, config)).close());
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + config.uri());
        Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO praatbrug_schema VALUES (99, '99-future', 0)");
    }

    Throwable failure = Database.open(vertx, config).toCompletionStage().toCompletableFuture()
        .handle((ok, error) -> error).get(10, TimeUnit.SECONDS);
    assertTrue(failure.getMessage().contains("newer than this bridge"), failure.getMessage());
  }

}
