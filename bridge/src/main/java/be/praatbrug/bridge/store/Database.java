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
import java.sql.SQLException;

/**
 * The bridge's database connection pool and the worker threads that use it: SQLite as the embedded
 * default, PostgreSQL for production, migrated to the same schema.
 *
 * <p>Why SQLite rather than H2 for the embedded default: one file that survives restarts and can be
 * inspected with the standard {@code sqlite3} tool, a file format that stays readable across
 * driver upgrades (H2's does not), and SQL close enough to PostgreSQL ({@code ON CONFLICT},
 * {@code TEXT}, {@code BIGINT}) that both run the same migrations.
 *
 * <p>JDBC blocks, so every query runs on a dedicated worker pool via {@link #blocking}, never on
 * the event loop. SQLite gets a single connection: it serialises writers anyway, and one connection
 * avoids {@code SQLITE_BUSY} between our own threads. Capability stores ({@link JdbcStore}, and
 * later rooms, ledger) share one {@code Database}.
 */
public final class Database {

  /** Work against one connection, run on a worker thread. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws Exception;
  }

  private final String backend;
  private final HikariDataSource dataSource;
  private final WorkerExecutor workers;

  private Database(String backend, HikariDataSource dataSource, WorkerExecutor workers) {
    this.backend = backend;
    this.dataSource = dataSource;
    this.workers = workers;
  }

  /** Connects and migrates on a worker thread; fails with the database's own reason. */
  public static Future<Database> open(Vertx vertx, DatabaseSection config) {
    int connections = "sqlite".equals(config.type()) ? 1 : config.maxConnections();
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("praatbrug-db", connections);
    return workers.<Database>executeBlocking(() -> {
      HikariDataSource dataSource = new HikariDataSource(hikariConfig(config, connections));
      try (Connection connection = dataSource.getConnection()) {
        Migrations.migrate(connection, config.type());
      } catch (SQLException | RuntimeException e) {
        dataSource.close();
        throw e;
      }
      return new Database(config.type(), dataSource, workers);
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
      // The SQLite driver reads these pragmas from the connection properties.
      hikari.addDataSourceProperty("journal_mode", "WAL");
      hikari.addDataSourceProperty("busy_timeout", "5000");
      hikari.addDataSourceProperty("foreign_keys", "true");
      // With WAL, NORMAL syncs at checkpoints instead of every commit: the file cannot corrupt, and
      // a power cut can at worst forget the last transactions, which the homeserver then resends
      // (actions are idempotent). Acknowledging a transaction sooner lets the next one, e.g. an
      // unwanted join, arrive sooner.
      hikari.addDataSourceProperty("synchronous", "NORMAL");
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

  /** {@code sqlite} or {@code postgres}. */
  public String backend() {
    return backend;
  }

  /** Runs {@code work} on a worker thread with a pooled connection in auto-commit mode. */
  public <T> Future<T> blocking(SqlWork<T> work) {
    return workers.executeBlocking(() -> {
      try (Connection connection = dataSource.getConnection()) {
        return work.run(connection);
      }
    }, false);
  }

  /** Like {@link #blocking}, but all of {@code work} commits together or not at all. */
  public <T> Future<T> inTransaction(SqlWork<T> work) {
    return blocking(connection -> {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (Exception e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    });
  }

  public Future<Integer> schemaVersion() {
    return blocking(Migrations::currentVersion);
  }

  public Future<Void> close() {
    return workers.<Void>executeBlocking(() -> {
      dataSource.close();
      return null;
    }).eventually(workers::close);
  }
}
