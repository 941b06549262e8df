package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Policy versions saved through the admin API (migration 04), every one kept with who saved it and
 * when.
 *
 * <p>Runs on the database worker pool. Saving is compare-and-set on the version: the insert of
 * version {@code n + 1} only succeeds when {@code n} is still the newest, and the primary key turns
 * a lost race into a conflict instead of a silent overwrite.
 */
public final class PolicyVersions {

  /** One saved version; {@code version} 0 stands for the policy file before any admin edit. */
  public record Version(String name, int version, String source, String savedBy, Instant savedAt) {}

  /** Another admin saved first: {@code current} is the version now in force. */
  public static final class Conflict extends Exception {
    private static final long serialVersionUID = 1L;
    private final int current;

    public Conflict(int current) {
      super("version conflict; current version is " + current, null, false, false);
      this.current = current;
    }

    public int current() {
      return current;
    }
  }

  private final Database database;

  public PolicyVersions(Database database) {
    this.database = database;
  }

  /** The newest saved version of every policy that has one. */
  public Future<List<Version>> latestAll() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT v.name, v.version, v.source, v.saved_by, v.saved_at FROM policy_versions v"
              + " WHERE v.version = (SELECT MAX(w.version) FROM policy_versions w WHERE w.name = v.name)"
              + " ORDER BY v.name");
          ResultSet rows = query.executeQuery()) {
        return read(rows);
      }
    });
  }

  public Future<Optional<Version>> latest(String name) {
    return database.blocking(connection -> latest(connection, name));
  }

  /** All versions of {@code name}, newest first, without their text. */
  public Future<List<Version>> history(String name) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT name, version, '', saved_by, saved_at FROM policy_versions WHERE name = ?"
              + " ORDER BY version DESC")) {
        query.setString(1, name);
        try (ResultSet rows = query.executeQuery()) {
          return read(rows);
        }
      }
    });
  }

  /**
   * Saves {@code source} as the version after {@code expected}; fails with {@link Conflict} when
   * {@code expected} is no longer the newest (0: no saved version yet).
   */
  public Future<Version> save(String name, int expected, String source, String savedBy, Instant at) {
    return database.<Version>inTransaction(connection -> {
      int current = latest(connection, name).map(Version::version).orElse(0);
      if (current != expected) {
        throw new Conflict(current);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO policy_versions (name, version, source, saved_by, saved_at)"
              + " VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, name);
        insert.setInt(2, expected + 1);
        insert.setString(3, source);
        insert.setString(4, savedBy);
        insert.setLong(5, at.toEpochMilli());
        insert.executeUpdate();
      }
      return new Version(name, expected + 1, source, savedBy, at);
    }).recover(failure -> {
      if (failure instanceof SQLException sql && isDuplicate(sql)) {
        // Another bridge process inserted the same version between our read and our insert.
        return latest(name).compose(now -> Future.failedFuture(
            new Conflict(now.map(Version::version).orElse(0))));
      }
      return Future.failedFuture(failure);
    });
  }

  private static boolean isDuplicate(SQLException sql) {
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    return state.startsWith("23") || String.valueOf(sql.getMessage()).contains("CONSTRAINT");
  }

  private static Optional<Version> latest(Connection connection, String name) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT name, version, source, saved_by, saved_at FROM policy_versions WHERE name = ?"
            + " ORDER BY version DESC LIMIT 1")) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return read(rows).stream().findFirst();
      }
    }
  }

  private static List<Version> read(ResultSet rows) throws SQLException {
    List<Version> versions = new ArrayList<>();
    while (rows.next()) {
      versions.add(new Version(rows.getString(1), rows.getInt(2), rows.getString(3),
          rows.getString(4), Instant.ofEpochMilli(rows.getLong(5))));
    }
    return versions;
  }
}
