package be.praatbrug.bridge.door;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The door's waiting line in the store (table {@code door_line}); see the migration for what a row holds. */
final class DoorLineStore {

  /**
   * One person at the door.
   *
   * @param takenBy the counsellor who took them, or null while they wait
   * @param roomId their room once taken (null while the room is being made)
   */
  record Ticket(long number, String ticketHash, String nickname, String clientRef, int placeAtEntry,
      Instant enteredAt, String takenBy, Instant takenAt, String roomId, String guestUserId) {

    boolean waiting() {
      return takenBy == null;
    }

    Ticket taken(String counsellor, Instant at) {
      return new Ticket(number, ticketHash, nickname, clientRef, placeAtEntry, enteredAt, counsellor, at,
          null, null);
    }

    Ticket into(String room, String guest) {
      return new Ticket(number, ticketHash, nickname, clientRef, placeAtEntry, enteredAt, takenBy, takenAt,
          room, guest);
    }
  }

  private static final String COLUMNS = "number, ticket_hash, nickname, client_ref, place_at_entry,"
      + " entered_at, taken_by, taken_at, room_id, guest_user_id";

  private final Database database;

  DoorLineStore(Database database) {
    this.database = database;
  }

  Future<List<Ticket>> all() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT " + COLUMNS + " FROM door_line ORDER BY number");
          ResultSet rows = query.executeQuery()) {
        List<Ticket> tickets = new ArrayList<>();
        while (rows.next()) {
          tickets.add(new Ticket(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
              rows.getInt(5), Instant.ofEpochMilli(rows.getLong(6)), rows.getString(7),
              instant(rows, 8), rows.getString(9), rows.getString(10)));
        }
        return tickets;
      }
    });
  }

  Future<Void> insert(Ticket ticket) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO door_line (" + COLUMNS
          + ", seen_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, ?)")) {
        insert.setLong(1, ticket.number());
        insert.setString(2, ticket.ticketHash());
        insert.setString(3, ticket.nickname());
        insert.setString(4, ticket.clientRef());
        insert.setInt(5, ticket.placeAtEntry());
        insert.setLong(6, ticket.enteredAt().toEpochMilli());
        insert.setLong(7, ticket.enteredAt().toEpochMilli());
        insert.executeUpdate();
      }
      return null;
    });
  }

  /** Takes the waiting person for {@code counsellor}; false when someone took them (or they left) first. */
  Future<Boolean> claim(long number, String counsellor, Instant at) {
    return database.blocking(connection -> {
      try (PreparedStatement claim = connection.prepareStatement(
          "UPDATE door_line SET taken_by = ?, taken_at = ? WHERE number = ? AND taken_by IS NULL")) {
        claim.setString(1, counsellor);
        claim.setLong(2, at.toEpochMilli());
        claim.setLong(3, number);
        return claim.executeUpdate() == 1;
      }
    });
  }

  /** Puts a taken person back in the line (their room could not be made). */
  Future<Void> unclaim(long number) {
    return update("UPDATE door_line SET taken_by = NULL, taken_at = NULL WHERE number = ?", number);
  }

  Future<Void> setRoom(long number, String roomId, String guestUserId) {
    return database.blocking(connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE door_line SET room_id = ?, guest_user_id = ? WHERE number = ?")) {
        update.setString(1, roomId);
        update.setString(2, guestUserId);
        update.setLong(3, number);
        update.executeUpdate();
      }
      return null;
    });
  }

  Future<Void> delete(long number) {
    return update("DELETE FROM door_line WHERE number = ?", number);
  }

  private Future<Void> update(String sql, long number) {
    return database.blocking(connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql)) {
        update.setLong(1, number);
        update.executeUpdate();
      }
      return null;
    });
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    long millis = rows.getLong(column);
    return rows.wasNull() ? null : Instant.ofEpochMilli(millis);
  }
}

