package be.praatbrug.bridge.clients;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SQL for {@code client_records} (migration 07), the same on SQLite and PostgreSQL. Every method
 * blocks and takes the connection it runs on: call from {@code Database.blocking} or
 * {@code Database.inTransaction} only.
 */
final class ClientRecordStore {

  private static final String COLUMNS = "client_ref, origin, created_at, created_by,"
      + " label_sealed IS NOT NULL, account_hash IS NOT NULL, erased_at";

  private ClientRecordStore() {}

  static Optional<ClientRecord> byRef(Connection connection, String ref) throws SQLException {
    return first(query(connection, "SELECT " + COLUMNS + " FROM client_records WHERE client_ref = ?",
        ref));
  }

  static Optional<ClientRecord> byAccount(Connection connection, String accountHash)
      throws SQLException {
    return first(query(connection, "SELECT " + COLUMNS + " FROM client_records"
        + " WHERE account_hash = ?", accountHash));
  }

  /** References starting with {@code prefix} (already normalised by the caller), in order. */
  static List<ClientRecord> startingWith(Connection connection, String prefix, int limit)
      throws SQLException {
    String pattern = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return query(connection, "SELECT " + COLUMNS + " FROM client_records"
        + " WHERE client_ref LIKE ? ESCAPE '!' ORDER BY client_ref LIMIT ?", pattern, limit);
  }

  /** Records with a room of {@code counsellorId}, or made by them; the newest room first. */
  static List<ClientRecord> ofCounsellor(Connection connection, String counsellorId)
      throws SQLException {
    return query(connection, "SELECT " + COLUMNS + " FROM client_records r"
        + " LEFT JOIN (SELECT client_ref AS ref, MAX(created_at) AS last_room FROM counselling_rooms"
        + " WHERE counsellor_id = ? GROUP BY client_ref) rooms ON rooms.ref = r.client_ref"
        + " WHERE rooms.ref IS NOT NULL OR r.created_by = ?"
        + " ORDER BY COALESCE(rooms.last_room, r.created_at) DESC", counsellorId, counsellorId);
  }

  /** Inserts a new record; false when the reference is taken (draw again). */
  static boolean insert(Connection connection, String ref, String origin, String accountHash,
      String createdBy, Instant at) throws SQLException {
    if (byRef(connection, ref).isPresent()) {
      return false;
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO client_records"
        + " (client_ref, origin, account_hash, created_by, created_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, ref);
      insert.setString(2, origin);
      insert.setString(3, accountHash);
      insert.setString(4, createdBy);
      insert.setLong(5, at.toEpochMilli());
      insert.executeUpdate();
      return true;
    }
  }

  /** Links a Matrix account to a record no account leads to yet; false when one does. */
  static boolean linkAccount(Connection connection, String ref, String accountHash)
      throws SQLException {
    try (PreparedStatement link = connection.prepareStatement("UPDATE client_records"
        + " SET account_hash = ? WHERE client_ref = ? AND account_hash IS NULL"
        + " AND erased_at IS NULL")) {
      link.setString(1, accountHash);
      link.setString(2, ref);
      return link.executeUpdate() == 1;
    }
  }

  static Optional<String> sealedLabel(Connection connection, String ref) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT label_sealed FROM client_records WHERE client_ref = ?")) {
      query.setString(1, ref);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** Sets (or with {@code null} removes) the sealed label; false when the record is gone or erased. */
  static boolean setSealedLabel(Connection connection, String ref, String sealed)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement("UPDATE client_records"
        + " SET label_sealed = ? WHERE client_ref = ? AND erased_at IS NULL")) {
      update.setString(1, sealed);
      update.setString(2, ref);
      return update.executeUpdate() == 1;
    }
  }

  /** The room's record, or empty while it has none. */
  static Optional<String> roomRef(Connection connection, String roomId) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT client_ref FROM counselling_rooms WHERE room_id = ?")) {
      query.setString(1, roomId);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
      }
    }
  }

  /** Gives a room without a record this one; false when it has one already. */
  static boolean bindRoom(Connection connection, String roomId, String ref) throws SQLException {
    try (PreparedStatement bind = connection.prepareStatement("UPDATE counselling_rooms"
        + " SET client_ref = ? WHERE room_id = ? AND client_ref IS NULL")) {
      bind.setString(1, ref);
      bind.setString(2, roomId);
      return bind.executeUpdate() == 1;
    }
  }

  /** Sessions recorded under {@code ref} (started, whether ended or not). */
  static int sessionCount(Connection connection, String ref) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT COUNT(*) FROM session_records WHERE client_ref = ?")) {
      query.setString(1, ref);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? rows.getInt(1) : 0;
      }
    }
  }

  private static Optional<ClientRecord> first(List<ClientRecord> records) {
    return records.stream().findFirst();
  }

  private static List<ClientRecord> query(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      List<ClientRecord> records = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long erased = rows.getLong(7);
          Instant erasedAt = rows.wasNull() ? null : Instant.ofEpochMilli(erased);
          records.add(new ClientRecord(rows.getString(1), rows.getString(2),
              Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), rows.getBoolean(5),
              rows.getBoolean(6), erasedAt));
        }
      }
      return records;
    }
  }
}
