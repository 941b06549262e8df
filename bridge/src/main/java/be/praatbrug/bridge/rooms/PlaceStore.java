package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A family session's named places (table {@code room_places}): which client record each place is
 * for, who took it, and whether their part in the running session is in the ledger.
 *
 * <p>Who took a place is set once, by the one UPDATE that finds it free, in the same transaction
 * that spends the code ({@link Admissions}); the rows go when the session ends, so a user id is
 * kept only while the session runs.
 */
public final class PlaceStore {

  /** The place was taken by someone else a moment earlier. */
  public static final class PlaceTaken extends IllegalStateException {
    PlaceTaken(int place) {
      super("place " + place + " was taken by someone else a moment earlier");
    }
  }

  /** The room already has every place its policy allows. */
  public static final class NoPlaceLeft extends IllegalStateException {
    NoPlaceLeft(int most) {
      super("the room already has " + most + " places");
    }
  }

  /** The client record has a place in the room already. */
  public static final class AlreadyPlaced extends IllegalStateException {
    AlreadyPlaced(String ref) {
      super(ref + " already has a place in the room");
    }
  }

  /**
   * A place whose holder's part in a session is in the ledger, for recording its end.
   *
   * @param endedAt the session's end as stored, or {@code null} if it has none yet
   */
  public record Recorded(int place, String clientRef, String sessionId, Instant joinedAt,
      Instant endedAt) {}

  private final Database database;

  public PlaceStore(Database database) {
    this.database = database;
  }

  /** Every room's places, for the registry at startup. */
  public Future<Map<String, List<Place>>> all() {
    return database.blocking(connection -> {
      Map<String, List<Place>> byRoom = new HashMap<>();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, place, client_ref, user_id, parent FROM room_places ORDER BY room_id, place");
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          byRoom.computeIfAbsent(rows.getString(1), id -> new ArrayList<>())
              .add(new Place(rows.getInt(2), rows.getString(3), rows.getString(4), rows.getInt(5) == 1));
        }
      }
      return byRoom;
    });
  }

  /**
   * Adds the next free place number for {@code clientRef} ({@code parent}: a parent's or
   * guardian's), at most {@code lastPlace}; returns the
   * room's places after it. Two counsellors' commands at once cannot both get the same number: the
   * primary key lets one insert win.
   */
  public Future<List<Place>> add(String roomId, String clientRef, boolean parent, int lastPlace,
      Instant now) {
    return addOnce(roomId, clientRef, parent, lastPlace, now).recover(failure -> isDuplicateKey(failure)
        // Another command took that number a moment earlier: the next one, counted afresh.
        ? addOnce(roomId, clientRef, parent, lastPlace, now) : Future.failedFuture(failure));
  }

  private static boolean isDuplicateKey(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && ("23505".equals(sql.getSQLState())
          || String.valueOf(sql.getMessage()).contains("UNIQUE constraint failed"))) {
        return true;
      }
    }
    return false;
  }

  private Future<List<Place>> addOnce(String roomId, String clientRef, boolean parent, int lastPlace,
      Instant now) {
    return database.inTransaction(connection -> {
      List<Place> current = of(connection, roomId);
      if (current.stream().anyMatch(place -> place.clientRef().equals(clientRef))) {
        throw new AlreadyPlaced(clientRef);
      }
      int next = current.stream().mapToInt(Place::number).max().orElse(Place.CLIENT) + 1;
      if (next > lastPlace) {
        throw new NoPlaceLeft(lastPlace);
      }
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO room_places (room_id, place, client_ref, created_at, parent) VALUES (?, ?, ?, ?, ?)")) {
        insert.setString(1, roomId);
        insert.setInt(2, next);
        insert.setString(3, clientRef);
        insert.setLong(4, now.toEpochMilli());
        insert.setInt(5, parent ? 1 : 0);
        insert.executeUpdate();
      }
      return of(connection, roomId);
    });
  }

  /**
   * Makes {@code place} a parent's or guardian's, or not; returns the room's places after it, or
   * nothing when the place is not there (any more: the session ended meanwhile).
   */
  public Future<Optional<List<Place>>> setParent(String roomId, int place, boolean parent) {
    return database.inTransaction(connection -> {
      try (PreparedStatement mark = connection.prepareStatement(
          "UPDATE room_places SET parent = ? WHERE room_id = ? AND place = ?")) {
        mark.setInt(1, parent ? 1 : 0);
        mark.setString(2, roomId);
        mark.setInt(3, place);
        if (mark.executeUpdate() == 0) {
          return Optional.empty();
        }
      }
      return Optional.of(of(connection, roomId));
    });
  }

  /** Takes {@code place} for {@code userId} inside the caller's transaction, or throws {@link PlaceTaken}. */
  static void take(Connection connection, String roomId, int place, String userId, Instant now)
      throws SQLException {
    try (PreparedStatement take = connection.prepareStatement(
        "UPDATE room_places SET user_id = ?, admitted_at = ? WHERE room_id = ? AND place = ?"
            + " AND user_id IS NULL")) {
      take.setString(1, userId);
      take.setLong(2, now.toEpochMilli());
      take.setString(3, roomId);
      take.setInt(4, place);
      if (take.executeUpdate() != 1) {
        throw new PlaceTaken(place);
      }
    }
  }

  /**
   * Frees {@code place}: nobody holds it, its codes stop working, its part in the running session
   * ends. Returns that part when it was in the ledger, for recording its end.
   */
  public Future<java.util.Optional<Recorded>> free(String roomId, int place, Instant now) {
    return database.inTransaction(connection -> {
      java.util.Optional<Recorded> recorded = java.util.Optional.empty();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT client_ref, session_id, joined_at FROM room_places WHERE room_id = ? AND place = ?"
              + " AND session_id IS NOT NULL")) {
        query.setString(1, roomId);
        query.setInt(2, place);
        try (ResultSet rows = query.executeQuery()) {
          if (rows.next()) {
            recorded = java.util.Optional.of(new Recorded(place, rows.getString(1), rows.getString(2),
                Instant.ofEpochMilli(rows.getLong(3)), now));
          }
        }
      }
      try (PreparedStatement free = connection.prepareStatement(
          "UPDATE room_places SET user_id = NULL, admitted_at = NULL, session_id = NULL,"
              + " joined_at = NULL WHERE room_id = ? AND place = ?")) {
        free.setString(1, roomId);
        free.setInt(2, place);
        free.executeUpdate();
      }
      try (PreparedStatement revoke = connection.prepareStatement(
          "UPDATE knock_codes SET revoked_at = ? WHERE room_id = ? AND place = ? AND revoked_at IS NULL")) {
        revoke.setLong(1, now.toEpochMilli());
        revoke.setString(2, roomId);
        revoke.setInt(3, place);
        revoke.executeUpdate();
      }
      return recorded;
    });
  }

  /** The room's places as stored now. */
  public Future<List<Place>> of(String roomId) {
    return database.blocking(connection -> of(connection, roomId));
  }

  private static List<Place> of(Connection connection, String roomId) throws SQLException {
    List<Place> places = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT place, client_ref, user_id, parent FROM room_places WHERE room_id = ? ORDER BY place")) {
      query.setString(1, roomId);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          places.add(new Place(rows.getInt(1), rows.getString(2), rows.getString(3), rows.getInt(4) == 1));
        }
      }
    }
    return places;
  }

  /**
   * Marks that {@code place}'s part in {@code sessionId} is in the ledger; true only for the one
   * call that marks it (a rejoin or a reconciliation records nothing twice).
   */
  public Future<Boolean> markInSession(String roomId, int place, String sessionId, Instant now) {
    return database.blocking(connection -> {
      try (PreparedStatement mark = connection.prepareStatement(
          "UPDATE room_places SET session_id = ?, joined_at = ? WHERE room_id = ? AND place = ?"
              + " AND user_id IS NOT NULL AND (session_id IS NULL OR session_id <> ?)")) {
        mark.setString(1, sessionId);
        mark.setLong(2, now.toEpochMilli());
        mark.setString(3, roomId);
        mark.setInt(4, place);
        mark.setString(5, sessionId);
        return mark.executeUpdate() == 1;
      }
    });
  }

  /** The room's session that has not ended, if one runs. */
  public Future<java.util.Optional<String>> runningSession(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT session_id FROM session_records WHERE room_id = ? AND ended_at IS NULL")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? java.util.Optional.of(rows.getString(1)) : java.util.Optional.<String>empty();
        }
      }
    });
  }

  /** The session ended: the places that took part in it, then every place of the room is gone. */
  public Future<List<Recorded>> endSession(String roomId) {
    return database.inTransaction(connection -> {
      List<Recorded> recorded = new ArrayList<>();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT p.place, p.client_ref, p.session_id, p.joined_at, s.ended_at FROM room_places p"
              + " LEFT JOIN session_records s ON s.session_id = p.session_id"
              + " WHERE p.room_id = ? AND p.session_id IS NOT NULL ORDER BY p.place")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            long ended = rows.getLong(5);
            Instant endedAt = rows.wasNull() ? null : Instant.ofEpochMilli(ended);
            recorded.add(new Recorded(rows.getInt(1), rows.getString(2), rows.getString(3),
                Instant.ofEpochMilli(rows.getLong(4)), endedAt));
          }
        }
      }
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM room_places WHERE room_id = ?")) {
        delete.setString(1, roomId);
        delete.executeUpdate();
      }
      return recorded;
    });
  }
}
