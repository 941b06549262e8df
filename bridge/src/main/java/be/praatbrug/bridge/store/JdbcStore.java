package be.praatbrug.bridge.store;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@link Store} over JDBC: SQLite as the embedded default, PostgreSQL for production.
 *
 * <p>Why SQLite rather than H2 for the embedded default: one file that survives restarts and can be
 * inspected with the standard {@code sqlite3} tool, a file format that stays readable across
 * driver upgrades (H2's does not), and SQL close enough to PostgreSQL ({@code ON CONFLICT},
 * {@code TEXT}, {@code BIGINT}) that both run the same migrations.
 *
 * <p>JDBC blocks, so every query runs on a dedicated worker pool, never on the event loop.
 * SQLite gets a single connection: it serialises writers anyway, and one connection avoids
 * {@code SQLITE_BUSY} between our own threads.
 */
public final class JdbcStore implements Store {

  private final String backend;
  private final HikariDataSource dataSource;
  private final WorkerExecutor workers;

  private JdbcStore(String backend, HikariDataSource dataSource, WorkerExecutor workers) {
    this.backend = backend;
    this.dataSource = dataSource;
    this.workers = workers;
  }

  /** Connects and migrates on a worker thread; fails with the database's own reason. */
  public static Future<Store> open(Vertx vertx, DatabaseSection config) {
    int connections = "sqlite".equals(config.type()) ? 1 : config.maxConnections();
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("praatbrug-db", connections);
    return workers.<Store>executeBlocking(() -> {
      HikariDataSource dataSource = new HikariDataSource(hikariConfig(config, connections));
      try (Connection connection = dataSource.getConnection()) {
        Migrations.migrate(connection, config.type());
      } catch (SQLException | RuntimeException e) {
        dataSource.close();
        throw e;
      }
      return new JdbcStore(config.type(), dataSource, workers);
    }).onFailure(failure -> workers.close());
  }

  private static HikariConfig hikariConfig(DatabaseSection config, int connections) throws Exception {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("praatbrug-" + config.type());
    hikari.setMaximumPoolSize(connections);
    hikari.setConnectionTimeout(10_000);
    hikari.setInitializationFailTimeout(10_000);
    if ("sqlite".equals(config.type())) {
      Path file = Path.of(config.uri()).toAbsolutePath();
      Files.createDirectories(file.getParent());
      hikari.setDriverClassName("org.sqlite.JDBC");
      hikari.setJdbcUrl("jdbc:sqlite:" + file);
      // WAL: readers never block the writer; busy_timeout covers other processes (sqlite3 CLI).
      // The SQLite driver reads these pragmas from the connection properties.
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("busy_timeout", "5000");
      hikari.addDataSourceProperty("foreign_keys", "true");
    } else {
      hikari.setDriverClassName("org.postgresql.Driver");
      hikari.setJdbcUrl(config.uri());
      if (config.username() != null) {
        hikari.setUsername(config.username());
      }
      if (config.password() != null) {
        hikari.setPassword(config.password());
      }
    }
    return hikari;
  }

  @Override
  public String backend() {
    return backend;
  }

  @Override
  public Future<Optional<String>> transactionFingerprint(String txnId) {
    return blocking(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement query = connection.prepareStatement(
              "SELECT fingerprint FROM appservice_transactions WHERE txn_id = ?")) {
        query.setString(1, txnId);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public Future<Void> recordTransaction(String txnId, String fingerprint, int eventCount, Instant at) {
    return blocking(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement insert = connection.prepareStatement(
              "INSERT INTO appservice_transactions (txn_id, fingerprint, event_count, processed_at)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (txn_id) DO UPDATE SET"
                  + " fingerprint = excluded.fingerprint, event_count = excluded.event_count,"
                  + " processed_at = excluded.processed_at")) {
        insert.setString(1, txnId);
        insert.setString(2, fingerprint);
        insert.setInt(3, eventCount);
        insert.setLong(4, at.toEpochMilli());
        insert.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Integer> deleteTransactionsBefore(Instant cutoff) {
    return blocking(() -> {
      try (Connection connection = dataSource.getConnection();
          PreparedStatement delete = connection.prepareStatement(
              "DELETE FROM appservice_transactions WHERE processed_at < ?")) {
        delete.setLong(1, cutoff.toEpochMilli());
        return delete.executeUpdate();
      }
    });
  }

  @Override
  public Future<Integer> schemaVersion() {
    return blocking(() -> {
      try (Connection connection = dataSource.getConnection()) {
        return Migrations.currentVersion(connection);
      }
    });
  }

  @Override
  public Future<Void> close() {
    return this.<Void>blocking(() -> {
      dataSource.close();
      return null;
    }).eventually(workers::close);
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return workers.executeBlocking(work, false);
  }
}
