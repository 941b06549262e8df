package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who was let into each counselling room and is on the way in (table {@code room_admissions}).
 *
 * <p>The bridge writes this down before the invite goes out, and spends the single-use code the
 * person came with in the same database transaction. If the bridge dies after the invite, the
 * person who joins meanwhile is known at the restart as the room's client: reconciliation keeps
 * them and starts their session instead of removing them as an intruder (with a spent code they
 * could never get back in). The row goes when the session ends.
 */
public final class Admissions {

  /** The single-use code was spent by someone else a moment earlier: nobody is let in with it. */
  public static final class CodeAlreadyUsed extends IllegalStateException {
    CodeAlreadyUsed() {
      super("the knock code was used by someone else a moment earlier");
    }
  }

  private final Database database;
  private final RoomRegistry registry;
  private final LedgerRecords records;
  private final byte[] clientRefKey;
  private final Clock clock;

  public Admissions(Database database, RoomRegistry registry, LedgerRecords records,
      byte[] clientRefKey, Clock clock) {
    this.database = database;
    this.registry = registry;
    this.records = records;
    this.clientRefKey = clientRefKey.clone();
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
    return database.inTransaction(connection -> {
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
    }).onSuccess(done -> {
      registry.setAdmitted(action.roomId(), action.userId());
      if (action.spendCodeHash() != null) {
        // A code and its link are one way in: both are gone now.
        registry.setCodes(action.roomId(), List.of());
        CounsellingRoom room = registry.room(action.roomId());
        records.record(Entries.knockAdmitted(ClientRefs.of(clientRefKey, action.userId()),
            action.roomId(), room.counsellorId(), "code", now));
      }
    }).mapEmpty();
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
