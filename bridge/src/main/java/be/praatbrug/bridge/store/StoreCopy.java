package be.praatbrug.bridge.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Copies the embedded SQLite store into an empty PostgreSQL database, table by table, in one
 * transaction: either the whole store arrives or nothing does.
 *
 * <p>Both sides are first brought to the same schema version by the same migrations, so the copy
 * is column for column. Tables are copied in the order the migrations created them, which keeps
 * foreign keys satisfied. The target must be empty: merging two stores could fork the ledger's
 * chain. Blocking; run it with the bridge stopped, so no new events arrive mid-copy.
 */
public final class StoreCopy {

  private static final int BATCH = 500;

  private StoreCopy() {}

  /** Where to copy to. */
  public record Target(String uri, String username, String password) {
    @Override
    public String toString() {
      return "Target[uri=" + uri + ", username=" + username + ", password=<redacted>]";
    }
  }

  /** Copies every table; returns rows copied per table, in copy order. */
  public static Map<String, Long> copy(Path sqliteFile, Target target) throws SQLException {
    if (!Files.isRegularFile(sqliteFile)) {
      throw new SQLException("no SQLite store at " + sqliteFile + " (database.uri of the config)");
    }
    try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile.toAbsolutePath());
        Connection destination = connect(target)) {
      int version = Migrations.migrate(source, "sqlite");
      int targetVersion = Migrations.migrate(destination, "postgres");
      if (version != targetVersion) {
        throw new SQLException("schema versions differ after migrating: SQLite " + version
            + ", PostgreSQL " + targetVersion);
      }
      List<String> tables = tables(source);
      refuseNonEmpty(destination, tables);
      Map<String, Long> copied = new LinkedHashMap<>();
      destination.setAutoCommit(false);
      try {
        for (String table : tables) {
          copied.put(table, copyTable(source, destination, table));
        }
        for (String table : tables) {
          long there = count(destination, table);
          if (there != copied.get(table)) {
            throw new SQLException(table + ": copied " + copied.get(table) + " rows but " + there
                + " arrived");
          }
        }
        destination.commit();
      } catch (SQLException | RuntimeException e) {
        destination.rollback();
        throw e;
      }
      return Collections.unmodifiableMap(copied);
    }
  }

  private static Connection connect(Target target) throws SQLException {
    if (target.uri() == null || !target.uri().startsWith("jdbc:postgresql://")) {
      throw new SQLException("the target must be a jdbc:postgresql://host:port/database URL");
    }
    Properties properties = new Properties();
    if (target.username() != null) {
      properties.setProperty("user", target.username());
    }
    if (target.password() != null) {
      properties.setProperty("password", target.password());
    }
    return DriverManager.getConnection(target.uri(), properties);
  }

  /** The store's tables in creation order (the schema bookkeeping table is the target's own). */
  static List<String> tables(Connection sqlite) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Statement statement = sqlite.createStatement();
        ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
            + " AND name NOT LIKE 'sqlite_%' AND name <> 'praatbrug_schema' ORDER BY rowid")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    return tables;
  }

  private static void refuseNonEmpty(Connection destination, List<String> tables)
      throws SQLException {
    for (String table : tables) {
      long rows = count(destination, table);
      if (rows > 0) {
        throw new SQLException("the target is not empty (" + table + " has " + rows + " rows); "
            + "migrate into a new, empty database");
      }
    }
  }

  private static long copyTable(Connection source, Connection destination, String table)
      throws SQLException {
    long copied = 0;
    try (Statement select = source.createStatement();
        ResultSet rows = select.executeQuery("SELECT * FROM " + quoted(table))) {
      ResultSetMetaData columns = rows.getMetaData();
      List<String> names = new ArrayList<>();
      for (int i = 1; i <= columns.getColumnCount(); i++) {
        names.add(quoted(columns.getColumnName(i)));
      }
      String insert = "INSERT INTO " + quoted(table) + " (" + String.join(", ", names)
          + ") VALUES (" + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
      try (PreparedStatement statement = destination.prepareStatement(insert)) {
        while (rows.next()) {
          for (int i = 1; i <= names.size(); i++) {
            statement.setObject(i, rows.getObject(i));
          }
          statement.addBatch();
          if (++copied % BATCH == 0) {
            statement.executeBatch();
          }
        }
        statement.executeBatch();
      }
    }
    return copied;
  }

  private static long count(Connection connection, String table) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + quoted(table))) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static String quoted(String identifier) {
    if (!identifier.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("unexpected identifier in the store: " + identifier);
    }
    return "\"" + identifier + "\"";
  }
}
