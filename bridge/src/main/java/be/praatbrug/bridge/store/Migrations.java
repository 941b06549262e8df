package be.praatbrug.bridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations, shared by SQLite and PostgreSQL.
 *
 * <p>Files live in {@code store/migrations/NN-name.sql}; a dialect-specific
 * {@code NN-name.postgres.sql} or {@code NN-name.sqlite.sql} wins when present (like mautrix's
 * {@code database/upgrades/}). Each migration runs in its own transaction and is recorded in
 * {@code praatbrug_schema}, so a crash mid-way leaves the database at the previous version.
 * Blocking: call from a worker thread.
 */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  /** In order; the number before the dash is the version. Append, never edit a shipped one. */
  static final List<String> ALL = List.of("01-transactions", "02-rooms", "03-ledger",
      "04-entry-guests", "05-admin-policies", "06-e2ee", "07-client-records", "08-admissions",
      "09-link-secrets", "10-room-files", "11-appointments", "12-door-line", "13-partner-rooms",
      "14-family-places", "15-parent-places");

  private static final String FOLDER = "/be/praatbrug/bridge/store/migrations/";

  private Migrations() {}

  static int latestVersion() {
    return versionOf(ALL.get(ALL.size() - 1));
  }

  /** Brings the schema up to date; returns the resulting version. */
  static int migrate(Connection connection, String dialect) throws SQLException {
    return migrate(connection, dialect, latestVersion());
  }

  /**
   * Brings the schema up to {@code upTo} (a test builds a store as an older bridge left it this way,
   * then lets the current one migrate it); returns the resulting version.
   */
  static int migrate(Connection connection, String dialect, int upTo) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS praatbrug_schema ("
          + "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    }
    int current = currentVersion(connection);
    if (current > latestVersion()) {
      throw new SQLException("database schema version " + current + " is newer than this bridge ("
          + latestVersion() + "); refusing to run an older bridge on it");
    }
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      for (String name : ALL) {
        int version = versionOf(name);
        if (version <= current || version > upTo) {
          continue;
        }
        try (Statement statement = connection.createStatement()) {
          for (String sql : statements(load(name, dialect))) {
            statement.execute(sql);
          }
          try (PreparedStatement record = connection.prepareStatement(
              "INSERT INTO praatbrug_schema (version, name, applied_at) VALUES (?, ?, ?)")) {
            record.setInt(1, version);
            record.setString(2, name);
            record.setLong(3, System.currentTimeMillis());
            record.executeUpdate();
          }
          connection.commit();
          current = version;
          LOG.info("database migrated to version {} ({})", version, name);
        } catch (SQLException e) {
          connection.rollback();
          throw new SQLException("migration " + name + " failed: " + e.getMessage(), e);
        }
      }
    } finally {
      connection.setAutoCommit(autoCommit);
    }
    return current;
  }

  static int currentVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT MAX(version) FROM praatbrug_schema")) {
      return rows.next() ? rows.getInt(1) : 0;
    }
  }

  private static int versionOf(String name) {
    return Integer.parseInt(name.substring(0, name.indexOf('-')));
  }

  private static String load(String name, String dialect) {
    for (String candidate : List.of(name + "." + dialect + ".sql", name + ".sql")) {
      try (InputStream in = Migrations.class.getResourceAsStream(FOLDER + candidate)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot read migration " + candidate, e);
      }
    }
    throw new IllegalStateException("migration " + name + " is missing from the build");
  }

  /** Splits on semicolons that end a line; strips {@code --} comment lines. */
  static List<String> statements(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : script.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("--") || trimmed.isEmpty()) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String sql = current.toString().strip();
        statements.add(sql.substring(0, sql.length() - 1));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      statements.add(current.toString().strip());
    }
    return statements;
  }
}
