package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rooms.SessionCommands;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counselling sessions for admins: metadata only (room, counsellor, pseudonymous client, times,
 * state), and ending one the way the counsellor's {@code !gesprek einde} does.
 *
 * <p>Never the client's Matrix id: the list shows the same pseudonymous reference as the ledger.
 */
final class SessionAdmin {

  private static final Logger LOG = LoggerFactory.getLogger(SessionAdmin.class);
  private static final int MAX_ROWS = 500;

  private final Database database;
  private final RoomRegistry registry;
  private final ActionExecutor executor;
  private final BotContext bot;
  private final Clock clock;

  SessionAdmin(Database database, RoomRegistry registry, ActionExecutor executor, BotContext bot,
      Clock clock) {
    this.database = database;
    this.registry = registry;
    this.executor = executor;
    this.bot = bot;
    this.clock = clock;
  }

  /** {@code GET /sessions[?state=open|closed|all]}: newest first, at most {@value #MAX_ROWS}. */
  void list(RoutingContext ctx) {
    String state = ctx.queryParam("state").stream().findFirst().orElse("all");
    if (!List.of("open", "closed", "all").contains(state)) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "state is open, closed or all");
    }
    database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT r.room_id, r.room_name, r.policy_name, r.counsellor_id, r.status, r.created_at,"
              + " r.closed_at, s.session_id, s.client_ref, s.started_at, s.ended_at, s.duration_ms"
              + " FROM counselling_rooms r LEFT JOIN session_records s ON s.room_id = r.room_id"
              + ("all".equals(state) ? " WHERE r.status <> 'deleted'" : " WHERE r.status = ?")
              + " ORDER BY COALESCE(s.started_at, r.created_at) DESC LIMIT " + MAX_ROWS)) {
        if (!"all".equals(state)) {
          query.setString(1, state);
        }
        try (ResultSet rows = query.executeQuery()) {
          JsonArray sessions = new JsonArray();
          while (rows.next()) {
            sessions.add(row(rows));
          }
          return sessions;
        }
      }
    }).onSuccess(sessions -> ctx.json(new JsonObject().put("sessions", sessions)))
        .onFailure(ctx::fail);
  }

  private static JsonObject row(ResultSet rows) throws SQLException {
    String sessionId = rows.getString(8);
    Instant ended = instant(rows, 11);
    String roomStatus = rows.getString(5);
    String state = sessionId == null ? ("open".equals(roomStatus) ? "waiting" : "closed")
        : ended == null ? "running" : "ended";
    long durationMs = rows.getLong(12);
    Long duration = rows.wasNull() ? null : durationMs;
    return new JsonObject()
        .put("room_id", rows.getString(1))
        .put("room_name", rows.getString(2))
        .put("policy", rows.getString(3))
        .put("counsellor", rows.getString(4))
        .put("room_status", roomStatus)
        .put("room_created_at", text(instant(rows, 6)))
        .put("room_closed_at", text(instant(rows, 7)))
        .put("session_id", sessionId)
        .put("client_ref", rows.getString(9))
        .put("started_at", text(instant(rows, 10)))
        .put("ended_at", text(ended))
        .put("duration_ms", duration)
        .put("state", state);
  }

  /** {@code POST /sessions/{roomId}/end}: same actions as the counsellor's command. */
  void end(RoutingContext ctx) {
    String roomId = ctx.pathParam("roomId");
    CounsellingRoom room = registry.room(roomId);
    if (room == null) {
      throw new MatrixException(ErrCode.M_NOT_FOUND, "No counselling room " + roomId);
    }
    if (!room.isOpen()) {
      throw new MatrixException(ErrCode.M_INVALID_PARAM, "The room '" + room.name()
          + "' is already closed");
    }
    String admin = ctx.get(AdminAuth.ADMIN_KEY);
    String noticeRoom = room.controlRoomId() != null ? room.controlRoomId() : roomId;
    List<Action> actions = SessionCommands.endActions(registry.snapshot(roomId, clock.instant()),
        bot, noticeRoom);
    LOG.info("admin {} ends the session in {} ({})", admin, roomId, room.name());
    String batch = "admin-end." + roomId + "." + clock.millis();
    executor.executeInOrder(actions, index -> batch + "." + index)
        .onSuccess(done -> ctx.json(new JsonObject().put("room_id", roomId).put("ended", true)))
        .onFailure(ctx::fail);
  }

  private static Instant instant(ResultSet rows, int column) throws SQLException {
    long value = rows.getLong(column);
    return rows.wasNull() ? null : Instant.ofEpochMilli(value);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
