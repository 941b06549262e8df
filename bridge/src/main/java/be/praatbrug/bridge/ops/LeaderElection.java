package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.config.BridgeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Only one bridge acts for an organisation: with PostgreSQL, the instance holding a session-level
 * advisory lock is the leader; others wait without listening.
 *
 * <p>The lock lives on a connection of its own (not from the pool) held for the process's life.
 * PostgreSQL frees it the moment that session ends, so when the leader dies (kill -9, crash, host
 * gone) a standby gets it at its next try, every {@code election.retry_seconds}. The leader checks
 * its lock connection just as often; if the connection is gone, PostgreSQL may already have given
 * the lock to a standby, so the leader stops at once (exit code 7) rather than act twice.
 */
public final class LeaderElection implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final Connection connection;
  private final ScheduledExecutorService watchdog;

  private LeaderElection(Connection connection, ScheduledExecutorService watchdog) {
    this.connection = connection;
    this.watchdog = watchdog;
  }

  /**
   * Blocks until this process holds the lock; then watches it and calls {@code lost} if the lock
   * connection breaks. Call before the bridge starts listening.
   *
   * @throws IllegalStateException when PostgreSQL refuses the settings (password, database name)
   */
  public static LeaderElection await(BridgeConfig config, Runnable lost) throws InterruptedException {
    long key = lockKey(config);
    long retryMs = config.ops().electionRetrySeconds() * 1000L;
    long waitingSince = System.nanoTime();
    boolean toldStandby = false;
    while (true) {
      Connection connection = null;
      try {
        connection = connect(config);
        if (tryLock(connection, key)) {
          long waitedMs = (System.nanoTime() - waitingSince) / 1_000_000;
          LOG.info("leader election: this instance is the leader (lock {} after {} ms)", key, waitedMs);
          return watch(connection, retryMs, lost);
        }
        if (!toldStandby) {
          LOG.info("leader election: another instance holds the lock; standing by, trying every {} s",
              config.ops().electionRetrySeconds());
          toldStandby = true;
        }
      } catch (SQLException e) {
        closeQuietly(connection);
        if (isConfigurationError(e)) {
          // Waiting cannot fix a wrong password or database name: say so and stop.
          throw new IllegalStateException("leader election: " + e.getMessage(), e);
        }
        LOG.warn("leader election: PostgreSQL not reachable ({}); trying again in {} s",
            e.getMessage(), config.ops().electionRetrySeconds());
      }
      closeQuietly(connection);
      Thread.sleep(retryMs);
    }
  }

  /** Authentication (28xxx) or a missing database (3D000): a settings problem, not an outage. */
  static boolean isConfigurationError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("28") || state.equals("3D000"));
  }

  /** Stable per bridge (appservice id and server name), so two organisations never share a lock. */
  static long lockKey(BridgeConfig config) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(("praatbrug-leader:"
          + config.appservice().id() + ":" + config.homeserver().domain())
          .getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < 8; i++) {
        key = (key << 8) | (hash[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static Connection connect(BridgeConfig config) throws SQLException {
    Properties properties = new Properties();
    if (config.database().username() != null) {
      properties.setProperty("user", config.database().username());
    }
    if (config.database().password() != null) {
      properties.setProperty("password", config.database().password());
    }
    // A dead network path must surface within a bounded time, not hang the watchdog forever.
    properties.setProperty("connectTimeout", "10");
    properties.setProperty("socketTimeout", "10");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "praatbrug-leader-lock");
    return DriverManager.getConnection(config.database().uri(), properties);
  }

  private static boolean tryLock(Connection connection, long key) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      statement.setLong(1, key);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() && rows.getBoolean(1);
      }
    }
  }

  private static LeaderElection watch(Connection connection, long periodMs, Runnable lost) {
    ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "praatbrug-leader-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    watchdog.scheduleWithFixedDelay(() -> {
      try (Statement statement = connection.createStatement()) {
        statement.executeQuery("SELECT 1").close();
      } catch (SQLException e) {
        LOG.error("leader election: lost the lock connection ({}); stopping so that only one "
            + "instance acts", e.getMessage());
        watchdog.shutdown();
        lost.run();
      }
    }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    return new LeaderElection(connection, watchdog);
  }

  /** Gives the lock up (a clean shutdown hands over at once instead of at the next retry). */
  @Override
  public void close() {
    watchdog.shutdownNow();
    closeQuietly(connection);
  }

  private static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing anyway; the server frees the lock with the session.
      }
    }
  }
}
