package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which files belong to which counselling room, from metadata only: files the project's pages
 * registered ({@code room_files}) and accounts all of whose uploads belong to one room (the
 * bridge's guest accounts, {@code room_uploaders}). No file names, types or content.
 */
public final class RoomFiles {

  private final Database database;

  public RoomFiles(Database database) {
    this.database = database;
  }

  /**
   * Registers a file of a room; registering it again changes nothing. False when it was known. One
   * statement, so a page's registration and the same file found from its message at the same
   * moment cannot both insert it.
   */
  public Future<Boolean> register(String roomId, StoredFile file) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO room_files (media_id, room_id, uploaded_at, bytes) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (media_id) DO NOTHING")) {
        insert.setString(1, file.mediaId());
        insert.setString(2, roomId);
        insert.setLong(3, file.uploadedAt().toEpochMilli());
        insert.setLong(4, file.bytes());
        return insert.executeUpdate() == 1;
      }
    });
  }

  /** Files registered for a room. */
  public Future<List<StoredFile>> registered(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT media_id, uploaded_at, bytes FROM room_files WHERE room_id = ? ORDER BY uploaded_at")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          List<StoredFile> files = new ArrayList<>();
          while (rows.next()) {
            files.add(new StoredFile(rows.getString(1), Instant.ofEpochMilli(rows.getLong(2)),
                rows.getLong(3)));
          }
          return files;
        }
      }
    });
  }

  /** The accounts whose every upload belongs to {@code roomId}. */
  public Future<List<String>> uploaders(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT user_id FROM room_uploaders WHERE room_id = ? ORDER BY user_id")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          List<String> users = new ArrayList<>();
          while (rows.next()) {
            users.add(rows.getString(1));
          }
          return users;
        }
      }
    });
  }

  /** Forgets deleted files. */
  public Future<Void> forget(Collection<String> mediaIds) {
    if (mediaIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM room_files WHERE media_id = ?")) {
        for (String mediaId : mediaIds) {
          delete.setString(1, mediaId);
          delete.addBatch();
        }
        delete.executeBatch();
        return null;
      }
    });
  }

  /**
   * A partner's room this server's users are in: its lifetime, and the homeserver's position up
   * to which its events were looked at.
   */
  public record PartnerRoom(String roomId, Duration maxLifetime, String streamToken) {}

  /** The partner rooms known so far, by room id. */
  public Future<Map<String, PartnerRoom>> partnerRooms() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, max_lifetime_ms, stream_token FROM partner_rooms");
          ResultSet rows = query.executeQuery()) {
        Map<String, PartnerRoom> rooms = new HashMap<>();
        while (rows.next()) {
          rooms.put(rows.getString(1), new PartnerRoom(rows.getString(1), Duration.ofMillis(rows.getLong(2)),
              rows.getString(3)));
        }
        return rooms;
      }
    });
  }

  /** Keeps (or updates) a partner room's lifetime and how far its events were looked at. */
  public Future<Void> rememberPartnerRoom(PartnerRoom room) {
    return database.blocking(connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT INTO partner_rooms (room_id, max_lifetime_ms, stream_token) VALUES (?, ?, ?)"
              + " ON CONFLICT (room_id) DO UPDATE SET max_lifetime_ms = excluded.max_lifetime_ms,"
              + " stream_token = excluded.stream_token")) {
        upsert.setString(1, room.roomId());
        upsert.setLong(2, room.maxLifetime().toMillis());
        upsert.setString(3, room.streamToken());
        upsert.executeUpdate();
        return null;
      }
    });
  }

  /** Forgets everything about a deleted room. */
  public Future<Void> forgetRoom(String roomId) {
    return database.blocking(connection -> {
      for (String table : List.of("room_files", "room_uploaders", "partner_rooms")) {
        try (PreparedStatement delete = connection.prepareStatement(
            "DELETE FROM " + table + " WHERE room_id = ?")) {
          delete.setString(1, roomId);
          delete.executeUpdate();
        }
      }
      return null;
    });
  }

  /** Used by the guest store in its own transaction: this account's uploads belong to this room. */
  public static void recordUploader(java.sql.Connection connection, String userId, String roomId)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO room_uploaders (user_id, room_id) VALUES (?, ?)")) {
      insert.setString(1, userId);
      insert.setString(2, roomId);
      insert.executeUpdate();
    }
  }

  /** A retention run that deleted files: how many and how many bytes, never which. */
  public Future<Void> recordRun(String roomId, Instant cutoff, int files, long bytes, String status,
      Instant startedAt, Instant finishedAt) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO retention_runs (run_id, room_id, kind, cutoff_ts, status, started_at,"
              + " finished_at, files, file_bytes) VALUES (?, ?, 'files', ?, ?, ?, ?, ?, ?)")) {
        insert.setString(1, java.util.UUID.randomUUID().toString());
        insert.setString(2, roomId);
        insert.setLong(3, cutoff.toEpochMilli());
        insert.setString(4, status);
        insert.setLong(5, startedAt.toEpochMilli());
        insert.setLong(6, finishedAt.toEpochMilli());
        insert.setInt(7, files);
        insert.setLong(8, bytes);
        insert.executeUpdate();
        return null;
      }
    });
  }
}
