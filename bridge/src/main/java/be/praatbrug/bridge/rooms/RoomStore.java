package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Counselling rooms, knock codes, session records and retention runs in the shared database.
 *
 * <p>Every method runs on the database worker pool and returns a {@link Future}. Nothing here holds
 * message content; client Matrix ids are kept only while a session runs.
 */
public final class RoomStore {

  private final Database database;

  public RoomStore(Database database) {
    this.database = database;
  }

  public Future<Void> insertRoom(CounsellingRoom room) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO counselling_rooms (room_id, policy_name, counsellor_id, control_room_id,"
              + " room_name, status, created_at, client_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, room.roomId());
        insert.setString(2, room.policyName());
        insert.setString(3, room.counsellorId());
        insert.setString(4, room.controlRoomId());
        insert.setString(5, room.name());
        insert.setString(6, room.status());
        insert.setLong(7, room.createdAt().toEpochMilli());
        insert.setString(8, room.clientRef());
        insert.executeUpdate();
        return null;
      }
    });
  }

  /** Rooms that still exist on the homeserver (open and closed). */
  public Future<List<CounsellingRoom>> liveRooms() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, policy_name, counsellor_id, control_room_id, room_name, status, client_id,"
              + " client_ref, created_at, session_started_at, closed_at FROM counselling_rooms"
              + " WHERE status <> 'deleted' ORDER BY created_at");
          ResultSet rows = query.executeQuery()) {
        List<CounsellingRoom> rooms = new ArrayList<>();
        while (rows.next()) {
          rooms.add(new CounsellingRoom(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7),
              rows.getString(8), instant(rows, 9), instant(rows, 10), instant(rows, 11)));
        }
        return rooms;
      }
    });
  }

  /**
   * Makes {@code hash} (the code) and {@code linkHash} (its link secret) the room's only working
   * way in: older codes are revoked in the same transaction.
   */
  public Future<Void> replaceKnockCode(String roomId, String hash, String linkHash, Instant now,
      Instant expiresAt, boolean singleUse) {
    return replaceKnockCode(roomId, hash, linkHash, now, null, expiresAt, singleUse);
  }

  /** The same, for a planned session: the code works from {@code validFrom} only. */
  public Future<Void> replaceKnockCode(String roomId, String hash, String linkHash, Instant now,
      Instant validFrom, Instant expiresAt, boolean singleUse) {
    return replaceKnockCode(roomId, Place.CLIENT, hash, linkHash, now, validFrom, expiresAt, singleUse);
  }

  /**
   * The same for one place of a family session: only that place's older codes are revoked
   * ({@link Place#CLIENT} is stored as no place, as codes were before family sessions).
   */
  public Future<Void> replaceKnockCode(String roomId, int place, String hash, String linkHash,
      Instant now, Instant validFrom, Instant expiresAt, boolean singleUse) {
    return database.inTransaction(connection -> {
      try (PreparedStatement revoke = connection.prepareStatement(
          "UPDATE knock_codes SET revoked_at = ? WHERE room_id = ? AND revoked_at IS NULL AND "
              + (place == Place.CLIENT ? "place IS NULL" : "place = " + place))) {
        revoke.setLong(1, now.toEpochMilli());
        revoke.setString(2, roomId);
        revoke.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO knock_codes (code_hash, link_hash, room_id, created_at, expires_at, single_use,"
              + " valid_from, place) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, hash);
        insert.setString(2, linkHash);
        insert.setString(3, roomId);
        insert.setLong(4, now.toEpochMilli());
        insert.setLong(5, expiresAt.toEpochMilli());
        insert.setInt(6, singleUse ? 1 : 0);
        if (validFrom == null) {
          insert.setNull(7, Types.BIGINT);
        } else {
          insert.setLong(7, validFrom.toEpochMilli());
        }
        if (place == Place.CLIENT) {
          insert.setNull(8, Types.INTEGER);
        } else {
          insert.setInt(8, place);
        }
        insert.executeUpdate();
      }
      return null;
    });
  }

  /**
   * Codes that are neither spent nor revoked, per room (expiry is judged by the policy core): each
   * code and its link secret, as two ways in that are spent together.
   */
  public Future<Map<String, List<KnockCode>>> usableCodes() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, code_hash, link_hash, expires_at, single_use, valid_from, place"
              + " FROM knock_codes WHERE spent_at IS NULL AND revoked_at IS NULL");
          ResultSet rows = query.executeQuery()) {
        Map<String, List<KnockCode>> codes = new java.util.HashMap<>();
        while (rows.next()) {
          Instant expires = Instant.ofEpochMilli(rows.getLong(4));
          boolean singleUse = rows.getInt(5) == 1;
          Instant validFrom = instant(rows, 6);
          int place = placeOf(rows, 7);
          List<KnockCode> room = codes.computeIfAbsent(rows.getString(1), id -> new ArrayList<>());
          room.add(new KnockCode(rows.getString(2), expires, singleUse, validFrom, place));
          if (rows.getString(3) != null) {
            room.add(new KnockCode(rows.getString(3), expires, singleUse, validFrom, place));
          }
        }
        return codes;
      }
    });
  }

  /**
   * A knock code as stored, usable or not: the client page tells expired from used codes.
   *
   * @param place the place it opens ({@link Place#CLIENT} but in a family session)
   */
  public record StoredCode(String roomId, Instant expiresAt, Instant spentAt, Instant revokedAt,
      Instant validFrom, int place) {

    public StoredCode(String roomId, Instant expiresAt, Instant spentAt, Instant revokedAt,
        Instant validFrom) {
      this(roomId, expiresAt, spentAt, revokedAt, validFrom, Place.CLIENT);
    }

    public StoredCode(String roomId, Instant expiresAt, Instant spentAt, Instant revokedAt) {
      this(roomId, expiresAt, spentAt, revokedAt, null);
    }
  }

  public Future<java.util.Optional<StoredCode>> findCode(String hash) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, expires_at, spent_at, revoked_at, valid_from, place FROM knock_codes"
              + " WHERE code_hash = ? OR link_hash = ?")) {
        query.setString(1, hash);
        query.setString(2, hash);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next()
              ? java.util.Optional.of(new StoredCode(rows.getString(1), instant(rows, 2),
                  instant(rows, 3), instant(rows, 4), instant(rows, 5), placeOf(rows, 6)))
              : java.util.Optional.<StoredCode>empty();
        }
      }
    });
  }

  /**
   * Marks every code of the room's client (place 1) that could still admit someone as used; a
   * family session's other places keep theirs.
   */
  public Future<Void> spendRoomCodes(String roomId, Instant now) {
    return database.blocking(connection -> {
      try (PreparedStatement spend = connection.prepareStatement(
          "UPDATE knock_codes SET spent_at = ? WHERE room_id = ? AND spent_at IS NULL"
              + " AND revoked_at IS NULL AND place IS NULL")) {
        spend.setLong(1, now.toEpochMilli());
        spend.setString(2, roomId);
        spend.executeUpdate();
        return null;
      }
    });
  }

  /** Returns the new session's id. */
  public Future<String> startSession(String roomId, String counsellorId, String clientId,
      String clientRef, Instant now) {
    String sessionId = UUID.randomUUID().toString();
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE counselling_rooms SET client_id = ?, client_ref = ?, session_started_at = ?"
              + " WHERE room_id = ?")) {
        update.setString(1, clientId);
        update.setString(2, clientRef);
        update.setLong(3, now.toEpochMilli());
        update.setString(4, roomId);
        update.executeUpdate();
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO session_records (session_id, room_id, counsellor_id, client_ref, started_at)"
              + " VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, sessionId);
        insert.setString(2, roomId);
        insert.setString(3, counsellorId);
        insert.setString(4, clientRef);
        insert.setLong(5, now.toEpochMilli());
        insert.executeUpdate();
      }
      return sessionId;
    });
  }

  /**
   * Ends the running session (if any), closes the room, forgets the client id, revokes codes.
   * Returns the session that ended, if one was running.
   */
  public Future<java.util.Optional<EndedSession>> endSession(String roomId, Instant now) {
    return database.inTransaction(connection -> {
      java.util.Optional<EndedSession> ended = java.util.Optional.empty();
      try (PreparedStatement running = connection.prepareStatement(
          "SELECT session_id, client_ref, started_at FROM session_records"
              + " WHERE room_id = ? AND ended_at IS NULL")) {
        running.setString(1, roomId);
        try (ResultSet rows = running.executeQuery()) {
          if (rows.next()) {
            ended = java.util.Optional.of(new EndedSession(rows.getString(1), rows.getString(2),
                Instant.ofEpochMilli(rows.getLong(3)), now));
          }
        }
      }
      try (PreparedStatement end = connection.prepareStatement(
          "UPDATE session_records SET ended_at = ?, duration_ms = ? - started_at"
              + " WHERE room_id = ? AND ended_at IS NULL")) {
        end.setLong(1, now.toEpochMilli());
        end.setLong(2, now.toEpochMilli());
        end.setString(3, roomId);
        end.executeUpdate();
      }
      try (PreparedStatement close = connection.prepareStatement(
          "UPDATE counselling_rooms SET status = 'closed', client_id = NULL, closed_at = ?"
              + " WHERE room_id = ?")) {
        close.setLong(1, now.toEpochMilli());
        close.setString(2, roomId);
        close.executeUpdate();
      }
      revokeCodes(connection, roomId, now);
      return ended;
    });
  }

  /** A session that just ended, for the ledger. */
  public record EndedSession(String sessionId, String clientRef, Instant startedAt, Instant endedAt) {}

  /** After a warm referral the partner is the room's counsellor. */
  public Future<Void> updateCounsellor(String roomId, String counsellorId) {
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE counselling_rooms SET counsellor_id = ? WHERE room_id = ?")) {
        update.setString(1, counsellorId);
        update.setString(2, roomId);
        update.executeUpdate();
      }
      return null;
    });
  }

  public Future<Void> markDeleted(String roomId, Instant now) {
    return database.inTransaction(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE counselling_rooms SET status = 'deleted', deleted_at = ? WHERE room_id = ?")) {
        update.setLong(1, now.toEpochMilli());
        update.setString(2, roomId);
        update.executeUpdate();
      }
      revokeCodes(connection, roomId, now);
      return null;
    });
  }

  /** Session metadata for a room: start, end, duration, counsellor, client reference. */
  public Future<List<SessionRecord>> sessions(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, counsellor_id, client_ref, started_at, ended_at, duration_ms"
              + " FROM session_records WHERE room_id = ? ORDER BY started_at")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          List<SessionRecord> sessions = new ArrayList<>();
          while (rows.next()) {
            long duration = rows.getLong(6);
            sessions.add(new SessionRecord(rows.getString(1), rows.getString(2), rows.getString(3),
                instant(rows, 4), instant(rows, 5), rows.wasNull() ? null : duration));
          }
          return sessions;
        }
      }
    });
  }

  /** One retention run: what was purged or deleted, up to when, and how it ended. */
  public Future<Void> recordRetentionRun(String roomId, String kind, Instant cutoff, String purgeId,
      String status, Instant startedAt, Instant finishedAt) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO retention_runs (run_id, room_id, kind, cutoff_ts, purge_id, status,"
              + " started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, UUID.randomUUID().toString());
        insert.setString(2, roomId);
        insert.setString(3, kind);
        insert.setLong(4, cutoff.toEpochMilli());
        insert.setString(5, purgeId);
        insert.setString(6, status);
        insert.setLong(7, startedAt.toEpochMilli());
        if (finishedAt == null) {
          insert.setNull(8, Types.BIGINT);
        } else {
          insert.setLong(8, finishedAt.toEpochMilli());
        }
        insert.executeUpdate();
        return null;
      }
    });
  }

  /** Retention runs recorded for a room, oldest first, as {@code kind:status}. */
  public Future<List<String>> retentionRuns(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT kind, status FROM retention_runs WHERE room_id = ? ORDER BY started_at")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          List<String> runs = new ArrayList<>();
          while (rows.next()) {
            runs.add(rows.getString(1) + ":" + rows.getString(2));
          }
          return runs;
        }
      }
    });
  }

  private static void revokeCodes(Connection connection, String roomId, Instant now) throws SQLException {
    try (PreparedStatement revoke = connection.prepareStatement(
        "UPDATE knock_codes SET revoked_at = ? WHERE room_id = ? AND revoked_at IS NULL"
            + " AND spent_at IS NULL")) {
      revoke.setLong(1, now.toEpochMilli());
      revoke.setString(2, roomId);
      revoke.executeUpdate();
    }
  }

  private static int placeOf(ResultSet rows, int column) throws SQLException {
    int place = rows.getInt(column);
    return rows.wasNull() ? Place.CLIENT : place;
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  /** @param durationMs {@code null} while the session runs */
  public record SessionRecord(String roomId, String counsellorId, String clientRef, Instant startedAt,
      Instant endedAt, Long durationMs) {}
}
