package be.praatbrug.bridge.entry;

import be.praatbrug.policy.rooms.Place;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Which guest account belongs to which counselling room, for as long as the account lives. */
public final class GuestStore {

  /**
   * A guest account and the one room it may be in.
   *
   * @param place the family session's place its link opened ({@link Place#CLIENT} elsewhere)
   */
  public record Guest(String userId, String roomId, Instant createdAt, int place) {

    public Guest(String userId, String roomId, Instant createdAt) {
      this(userId, roomId, createdAt, Place.CLIENT);
    }
  }

  private final Database database;

  public GuestStore(Database database) {
    this.database = database;
  }

  public Future<Void> insert(Guest guest) {
    return database.inTransaction(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO entry_guests (user_id, room_id, created_at, place) VALUES (?, ?, ?, ?)")) {
        insert.setString(1, guest.userId());
        insert.setString(2, guest.roomId());
        insert.setLong(3, guest.createdAt().toEpochMilli());
        if (guest.place() == Place.CLIENT) {
          insert.setNull(4, java.sql.Types.INTEGER);
        } else {
          insert.setInt(4, guest.place());
        }
        insert.executeUpdate();
      }
      // Everything this account uploads belongs to its room, and goes with the room's retention.
      be.praatbrug.bridge.retention.RoomFiles.recordUploader(connection, guest.userId(), guest.roomId());
      return null;
    });
  }

  public Future<List<Guest>> all() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT user_id, room_id, created_at, place FROM entry_guests ORDER BY created_at");
          ResultSet rows = query.executeQuery()) {
        List<Guest> guests = new ArrayList<>();
        while (rows.next()) {
          int place = rows.getInt(4);
          // Asked right after reading the place: wasNull is about the last column read.
          boolean noPlace = rows.wasNull();
          guests.add(new Guest(rows.getString(1), rows.getString(2),
              Instant.ofEpochMilli(rows.getLong(3)), noPlace ? Place.CLIENT : place));
        }
        return guests;
      }
    });
  }

  public Future<Void> delete(String userId) {
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM entry_guests WHERE user_id = ?")) {
        delete.setString(1, userId);
        delete.executeUpdate();
        return null;
      }
    });
  }
}
