package be.praatbrug.bridge.appointments;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Planned sessions in the shared database (SQLite or PostgreSQL): times, room, counsellor and
 * client record only.
 *
 * <p>The counsellor's two messages per appointment are sent once across restarts and leader
 * failover: {@link #claim} takes one in a single conditional UPDATE, so of two processes only one
 * sees its row change; {@link #markSent} records it went out, {@link #release} gives it back
 * after a failed send. A claim older than {@link #STALE_CLAIM} (its process died mid-send) may be
 * taken again; the resend carries the same transaction id, which the homeserver deduplicates.
 */
public final class AppointmentStore {

  public static final Duration STALE_CLAIM = Duration.ofMinutes(2);

  /** The two messages a planned session gives the counsellor. */
  public enum Message {
    REMINDER("reminder"), NOT_ARRIVED("absent"),
    /** The slot is over and its outcome (attended or missed) recorded. */
    SETTLED("settled");

    private final String column;

    Message(String column) {
      this.column = column;
    }
  }

  /** @param status {@code planned} or {@code cancelled} */
  public record Stored(String appointmentId, String roomId, String counsellorId,
      String controlRoomId, String clientRef, String policyName, Instant start, Instant end,
      String status, boolean reminderSent, boolean notArrivedSent) {

    public boolean planned() {
      return "planned".equals(status);
    }
  }

  private static final String COLUMNS = "appointment_id, room_id, counsellor_id, control_room_id,"
      + " client_ref, policy_name, starts_at, ends_at, status, reminder_sent_at, absent_sent_at";

  private final Database database;

  public AppointmentStore(Database database) {
    this.database = database;
  }

  public Future<Void> insert(Stored appointment, Instant now) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO appointments"
          + " (appointment_id, room_id, counsellor_id, control_room_id, client_ref, policy_name,"
          + " starts_at, ends_at, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?)")) {
        insert.setString(1, appointment.appointmentId());
        insert.setString(2, appointment.roomId());
        insert.setString(3, appointment.counsellorId());
        insert.setString(4, appointment.controlRoomId());
        insert.setString(5, appointment.clientRef());
        insert.setString(6, appointment.policyName());
        insert.setLong(7, appointment.start().toEpochMilli());
        insert.setLong(8, appointment.end().toEpochMilli());
        insert.setLong(9, now.toEpochMilli());
        insert.executeUpdate();
        return null;
      }
    });
  }

  /** The room's appointment, planned or cancelled; empty for a room made without one. */
  public Future<Optional<Stored>> forRoom(String roomId) {
    return database.blocking(connection -> {
      List<Stored> found = query(connection, "SELECT " + COLUMNS + " FROM appointments WHERE room_id = ?"
          + " ORDER BY created_at DESC", roomId);
      return found.isEmpty() ? Optional.<Stored>empty() : Optional.of(found.get(0));
    });
  }

  /** Planned appointments that have not ended, earliest first; all counsellors when {@code counsellorId} is null. */
  public Future<List<Stored>> upcoming(String counsellorId, Instant now) {
    return database.blocking(connection -> counsellorId == null
        ? query(connection, "SELECT " + COLUMNS + " FROM appointments WHERE status = 'planned'"
            + " AND ends_at > ? ORDER BY starts_at", now.toEpochMilli())
        : query(connection, "SELECT " + COLUMNS + " FROM appointments WHERE status = 'planned'"
            + " AND ends_at > ? AND counsellor_id = ? ORDER BY starts_at", now.toEpochMilli(),
            counsellorId));
  }

  /**
   * What the reminder job looks at: planned appointments that have not ended, and those that
   * ended but are not settled yet (also after a bridge was down across their end).
   */
  public Future<List<Stored>> toWatch(Instant now) {
    return database.blocking(connection -> query(connection, "SELECT " + COLUMNS
        + " FROM appointments WHERE status = 'planned' AND (ends_at > ? OR settled_sent_at IS NULL)"
        + " ORDER BY starts_at", now.toEpochMilli()));
  }

  /** Whether a session ever started in the appointment's room (the client came). */
  public Future<Boolean> hadSession(String roomId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT 1 FROM session_records WHERE room_id = ?")) {
        query.setString(1, roomId);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next();
        }
      }
    });
  }

  /**
   * Moves a planned appointment and its room's working codes to the new window in one
   * transaction; the messages are due again for the new time. Returns the previous start, or
   * empty when the appointment is no longer planned.
   */
  public Future<Optional<Instant>> move(String appointmentId, String roomId, Instant start,
      Instant end, Instant opensAt) {
    return database.inTransaction(connection -> {
      List<Stored> before = query(connection, "SELECT " + COLUMNS + " FROM appointments"
          + " WHERE appointment_id = ? AND status = 'planned'", appointmentId);
      if (before.isEmpty()) {
        return Optional.<Instant>empty();
      }
      try (PreparedStatement update = connection.prepareStatement("UPDATE appointments SET"
          + " starts_at = ?, ends_at = ?, reminder_claimed_at = NULL, reminder_sent_at = NULL,"
          + " absent_claimed_at = NULL, absent_sent_at = NULL, settled_claimed_at = NULL,"
          + " settled_sent_at = NULL WHERE appointment_id = ?")) {
        update.setLong(1, start.toEpochMilli());
        update.setLong(2, end.toEpochMilli());
        update.setString(3, appointmentId);
        update.executeUpdate();
      }
      try (PreparedStatement codes = connection.prepareStatement("UPDATE knock_codes SET"
          + " valid_from = ?, expires_at = ? WHERE room_id = ? AND spent_at IS NULL"
          + " AND revoked_at IS NULL")) {
        codes.setLong(1, opensAt.toEpochMilli());
        codes.setLong(2, end.toEpochMilli());
        codes.setString(3, roomId);
        codes.executeUpdate();
      }
      return Optional.of(before.get(0).start());
    });
  }

  /** Cancels a planned appointment and stops its room's codes; false when it was not planned. */
  public Future<Boolean> cancel(String appointmentId, String roomId, Instant now) {
    return database.inTransaction(connection -> {
      int changed;
      try (PreparedStatement update = connection.prepareStatement("UPDATE appointments SET"
          + " status = 'cancelled', cancelled_at = ? WHERE appointment_id = ? AND status = 'planned'")) {
        update.setLong(1, now.toEpochMilli());
        update.setString(2, appointmentId);
        changed = update.executeUpdate();
      }
      try (PreparedStatement revoke = connection.prepareStatement("UPDATE knock_codes SET"
          + " revoked_at = ? WHERE room_id = ? AND revoked_at IS NULL AND spent_at IS NULL")) {
        revoke.setLong(1, now.toEpochMilli());
        revoke.setString(2, roomId);
        revoke.executeUpdate();
      }
      return changed == 1;
    });
  }

  /**
   * Takes {@code message} of the appointment starting at {@code start} for sending, if nobody has
   * sent it or holds a fresh claim on it. Exactly one of several concurrent callers gets true.
   */
  public Future<Boolean> claim(String appointmentId, Message message, Instant start, Instant now) {
    String claimed = message.column + "_claimed_at";
    return database.blocking(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE appointments SET "
          + claimed + " = ? WHERE appointment_id = ? AND status = 'planned' AND starts_at = ? AND "
          + message.column + "_sent_at IS NULL AND (" + claimed + " IS NULL OR " + claimed + " < ?)")) {
        update.setLong(1, now.toEpochMilli());
        update.setString(2, appointmentId);
        update.setLong(3, start.toEpochMilli());
        update.setLong(4, now.minus(STALE_CLAIM).toEpochMilli());
        return update.executeUpdate() == 1;
      }
    });
  }

  public Future<Void> markSent(String appointmentId, Message message, Instant now) {
    return database.blocking(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE appointments SET "
          + message.column + "_sent_at = ? WHERE appointment_id = ?")) {
        update.setLong(1, now.toEpochMilli());
        update.setString(2, appointmentId);
        update.executeUpdate();
        return null;
      }
    });
  }

  /** A send failed: the message may be claimed again at once. */
  public Future<Void> release(String appointmentId, Message message) {
    return database.blocking(connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE appointments SET "
          + message.column + "_claimed_at = NULL WHERE appointment_id = ? AND "
          + message.column + "_sent_at IS NULL")) {
        update.setString(1, appointmentId);
        update.executeUpdate();
        return null;
      }
    });
  }

  private static List<Stored> query(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        if (parameters[i] instanceof Long number) {
          query.setLong(i + 1, number);
        } else if (parameters[i] == null) {
          query.setNull(i + 1, Types.VARCHAR);
        } else {
          query.setString(i + 1, parameters[i].toString());
        }
      }
      try (ResultSet rows = query.executeQuery()) {
        List<Stored> found = new ArrayList<>();
        while (rows.next()) {
          rows.getLong(10);
          boolean reminderSent = !rows.wasNull();
          rows.getLong(11);
          boolean notArrivedSent = !rows.wasNull();
          found.add(new Stored(rows.getString(1), rows.getString(2), rows.getString(3),
              rows.getString(4), rows.getString(5), rows.getString(6),
              Instant.ofEpochMilli(rows.getLong(7)), Instant.ofEpochMilli(rows.getLong(8)),
              rows.getString(9), reminderSent, notArrivedSent));
        }
        return found;
      }
    }
  }
}
