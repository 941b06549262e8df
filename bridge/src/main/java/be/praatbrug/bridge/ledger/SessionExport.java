package be.praatbrug.bridge.ledger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session metadata for the client file, as CSV (Dutch headers) or JSON (English keys).
 *
 * <p>Pure. CSV follows what Excel expects in Belgium: semicolon-separated, UTF-8 with a byte-order
 * mark (without it Excel shows "cliënt" garbled), CRLF line ends, fields quoted when they contain
 * a separator, quote or line break; times in Belgian local time with their UTC offset, so they read
 * naturally and stay unambiguous around daylight-saving changes. JSON keeps UTC ISO-8601 times.
 */
public final class SessionExport {

  public static final ZoneId BELGIUM = ZoneId.of("Europe/Brussels");
  public static final List<String> CSV_HEADERS = List.of("Sessie", "Cliëntreferentie",
      "Hulpverlener", "Gespreksruimte", "Begin", "Einde", "Duur (minuten)", "Ledgerpositie");
  static final String BOM = "\uFEFF";
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private SessionExport() {}

  /**
   * Sessions from session entries (oldest first): an ended entry completes its started entry.
   * Keeps sessions that started in {@code [from, to)}; either bound may be {@code null}.
   */
  public static List<SessionRow> rows(List<LedgerEntry> entries, Instant from, Instant to) {
    Map<String, SessionRow> sessions = new LinkedHashMap<>();
    for (LedgerEntry entry : entries) {
      String id = entry.field("session_id");
      // A family session has a row per participant: the session and whose record it is under.
      String key = id + "|" + entry.clientRef();
      Integer place = entry.field("place") == null ? null : Integer.valueOf(entry.field("place"));
      if (entry.kind() == EntryKind.SESSION_STARTED) {
        sessions.putIfAbsent(key, new SessionRow(id, entry.clientRef(), entry.field("counsellor"),
            entry.field("room_id"), Instant.parse(entry.field("started_at")), null, null,
            entry.position(), place));
      } else if (entry.kind() == EntryKind.SESSION_ENDED) {
        sessions.put(key, new SessionRow(id, entry.clientRef(), entry.field("counsellor"),
            entry.field("room_id"), Instant.parse(entry.field("started_at")),
            Instant.parse(entry.field("ended_at")), Long.parseLong(entry.field("duration_seconds")),
            entry.position(), place));
      }
    }
    List<SessionRow> rows = new ArrayList<>();
    for (SessionRow row : sessions.values()) {
      if ((from == null || !row.startedAt().isBefore(from))
          && (to == null || row.startedAt().isBefore(to))) {
        rows.add(row);
      }
    }
    rows.sort(Comparator.comparing(SessionRow::startedAt).thenComparing(SessionRow::sessionId));
    return rows;
  }

  public static String csv(List<SessionRow> rows) {
    StringBuilder csv = new StringBuilder(BOM);
    line(csv, CSV_HEADERS);
    for (SessionRow row : rows) {
      line(csv, List.of(row.sessionId(), row.clientRef(), row.counsellor(),
          row.roomId() == null ? "" : row.roomId(), local(row.startedAt()), local(row.endedAt()),
          row.durationSeconds() == null ? "" : Long.toString((row.durationSeconds() + 30) / 60),
          Long.toString(row.ledgerPosition())));
    }
    return csv.toString();
  }

  public static JsonObject json(List<SessionRow> rows, String clientRef, Instant from, Instant to,
      Instant generatedAt) {
    JsonArray sessions = new JsonArray();
    for (SessionRow row : rows) {
      sessions.add(new JsonObject()
          .put("session_id", row.sessionId())
          .put("client_ref", row.clientRef())
          .put("counsellor", row.counsellor())
          .put("room_id", row.roomId())
          .put("started_at", row.startedAt().toString())
          .put("ended_at", row.endedAt() == null ? null : row.endedAt().toString())
          .put("duration_seconds", row.durationSeconds())
          .put("ledger_position", row.ledgerPosition())
          .put("place", row.place()));
    }
    return new JsonObject()
        .put("format", "praatbrug-sessions/1")
        .put("generated_at", generatedAt.toString())
        .put("filter", new JsonObject().put("client_ref", clientRef)
            .put("from", from == null ? null : from.toString())
            .put("to", to == null ? null : to.toString()))
        .put("sessions", sessions);
  }

  private static String local(Instant at) {
    return at == null ? "" : LOCAL.format(at.atZone(BELGIUM));
  }

  private static void line(StringBuilder csv, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        csv.append(';');
      }
      String cell = cells.get(i) == null ? "" : cells.get(i);
      if (cell.contains(";") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
        csv.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        csv.append(cell);
      }
    }
    csv.append("\r\n");
  }
}
