package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who was let into each counselling room and is on the way in (table {@code room_admissions}).
 *
 * <p>The bridge writes this down before the invite goes out, and spends the single-use code the
 * person came with in the same database transaction. If the bridge dies after the invite, the
 * person who joins meanwhile is known at the restart as the room's client: reconciliation keeps
 * them and starts their session instead of removing them as an intruder (with a spent code they
 * could never get back in). The row goes when the session ends. A family session's named places
 * record who took them in {@code room_places} instead ({@link PlaceStore}).
 */
public final class Admissions {

  /** A link client's guest account knocked with the code of another place than its link's. */
  public static final class WrongPlace extends IllegalStateException {
    WrongPlace() {
      super("a guest account may only take the place its link opened");
    }
  }

  /** The single-use code was spent by someone else a moment earlier: nobody is let in with it. */
  public static final class CodeAlreadyUsed extends IllegalStateException {
    CodeAlreadyUsed() {
      super("the knock code was used by someone else a moment earlier");
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);

  private final Database database;
  private final RoomRegistry registry;
  private final LedgerRecords records;
  private final ClientRecords clients;
  private final Predicate<String> isGuest;
  private final java.util.function.ToIntFunction<String> guestPlace;
  private final Clock clock;

  /**
   * @param clients the client records an admission by code is recorded under in the ledger
   * @param isGuest whether a user id is a guest account made for a link client
   */
  public Admissions(Database database, RoomRegistry registry, LedgerRecords records,
      ClientRecords clients, Predicate<String> isGuest, Clock clock) {
    this(database, registry, records, clients, isGuest, userId -> Place.CLIENT, clock);
  }

  /**
   * @param guestPlace the family session's place a guest account's link opened: its consent is
   *     that place's, so it takes no other
   */
  public Admissions(Database database, RoomRegistry registry, LedgerRecords records,
      ClientRecords clients, Predicate<String> isGuest,
      java.util.function.ToIntFunction<String> guestPlace, Clock clock) {
    this.guestPlace = guestPlace;
    this.database = database;
    this.registry = registry;
    this.records = records;
    this.clients = clients;
    this.isGuest = isGuest;
    this.clock = clock;
  }

  /** Puts the stored admissions into the registry (at startup, before rooms are reconciled). */
  public Future<Void> load() {
    return database.blocking(connection -> {
      Map<String, String> admitted = new HashMap<>();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT room_id, user_id FROM room_admissions");
          ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          admitted.put(rows.getString(1), rows.getString(2));
        }
      }
      return admitted;
    }).map(admitted -> {
      admitted.forEach(registry::setAdmitted);
      return null;
    });
  }

  /** Records the admission, spending the code if the action names one; then the invite may go. */
  public Future<Void> admit(Action.AdmitClient action) {
    Instant now = clock.instant();
    if (action.spendCodeHash() != null && isGuest.test(action.userId())
        && guestPlace.applyAsInt(action.userId()) != action.place()) {
      return Future.failedFuture(new WrongPlace());
    }
    return database.inTransaction(connection -> {
      refuseSecondPlace(connection, action);
      if (action.spendCodeHash() != null) {
        try (PreparedStatement spend = connection.prepareStatement(
            "UPDATE knock_codes SET spent_at = ? WHERE (code_hash = ? OR link_hash = ?)"
                + " AND spent_at IS NULL AND revoked_at IS NULL")) {
          spend.setLong(1, now.toEpochMilli());
          spend.setString(2, action.spendCodeHash());
          spend.setString(3, action.spendCodeHash());
          if (spend.executeUpdate() != 1) {
            throw new CodeAlreadyUsed();
          }
        }
      }
      if (action.place() != Place.CLIENT) {
        PlaceStore.take(connection, action.roomId(), action.place(), action.userId(), now);
        return null;
      }
      try (PreparedStatement record = connection.prepareStatement(
          "INSERT INTO room_admissions (room_id, user_id, admitted_at) VALUES (?, ?, ?)"
              + " ON CONFLICT (room_id) DO UPDATE SET user_id = excluded.user_id,"
              + " admitted_at = excluded.admitted_at")) {
        record.setString(1, action.roomId());
        record.setString(2, action.userId());
        record.setLong(3, now.toEpochMilli());
        record.executeUpdate();
      }
      return null;
    }).compose(done -> {
      if (action.place() == Place.CLIENT) {
        registry.setAdmitted(action.roomId(), action.userId());
      } else {
        registry.setPlaces(action.roomId(), registry.places(action.roomId()).stream()
            .map(place -> place.number() == action.place() ? place.takenBy(action.userId()) : place)
            .toList());
      }
      if (action.spendCodeHash() == null) {
        return Future.<Void>succeededFuture();
      }
      // A code and its link are one way in: both are gone now (a family session's other places
      // keep theirs).
      registry.setCodes(action.roomId(), action.place(), List.of());
      return recordInLedger(action, now);
    });
  }

  /**
   * The admission by code goes into the ledger under the client's record (a link client's is the
   * room's, a Matrix account's its own), before the invite, so it precedes the session's start.
   * A failure there does not keep the client out: the admission itself is on record in the store.
   */
  private Future<Void> recordInLedger(Action.AdmitClient action, Instant now) {
    CounsellingRoom room = registry.room(action.roomId());
    // A named place's record is the place's own, made when the counsellor named it.
    Future<String> record = action.place() != Place.CLIENT
        ? Future.succeededFuture(registry.places(room.roomId()).stream()
            .filter(place -> place.number() == action.place()).map(Place::clientRef)
            .findFirst().orElse(null))
        : clients.forAdmission(room.roomId(), room.clientRef(), action.userId(),
            isGuest.test(action.userId()), room.counsellorId());
    return record
        .<Void>map(ref -> {
          records.record(Entries.knockAdmitted(ref, room.roomId(), room.counsellorId(), "code", now));
          return null;
        })
        .recover(failure -> {
          LOG.warn("the admission in {} is not in the ledger: {}", room.roomId(), failure.toString());
          return Future.succeededFuture();
        });
  }

  /** One person, one place: the room's client takes no named place, a named place's holder not the client's. */
  private static void refuseSecondPlace(java.sql.Connection connection, Action.AdmitClient action)
      throws java.sql.SQLException {
    String other = action.place() == Place.CLIENT
        ? "SELECT 1 FROM room_places WHERE room_id = ? AND user_id = ?"
        : "SELECT 1 FROM room_admissions WHERE room_id = ? AND user_id = ?";
    try (PreparedStatement query = connection.prepareStatement(other)) {
      query.setString(1, action.roomId());
      query.setString(2, action.userId());
      try (ResultSet rows = query.executeQuery()) {
        if (rows.next()) {
          throw new PlaceStore.PlaceTaken(action.place());
        }
      }
    }
  }

  /** Forgets the room's admission: its session ended. */
  public Future<Void> forget(String roomId) {
    registry.setAdmitted(roomId, null);
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM room_admissions WHERE room_id = ?")) {
        delete.setString(1, roomId);
        delete.executeUpdate();
      }
      return null;
    });
  }
}
