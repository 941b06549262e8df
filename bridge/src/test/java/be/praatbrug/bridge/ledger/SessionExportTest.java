package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SessionExportTest {

  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
  private final OrgKeys keys = TestChains.keys();

  /** Minimal RFC 4180 reader with semicolons, so the test parses what a spreadsheet would. */
  static List<List<String>> parseCsv(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ';') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        cell.append(c);
      }
    }
    return rows;
  }

  private List<LedgerEntry> entries(EntryDraft... drafts) {
    List<LedgerEntry> entries = new ArrayList<>();
    String previous = CanonicalForm.GENESIS;
    for (EntryDraft draft : drafts) {
      LedgerEntry entry = LedgerEntry.sign(keys, entries.size() + 1, previous, draft,
          new TreeMap<>());
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  @Test
  void anEndedSessionCompletesItsStartAndARunningOneHasNoEnd() {
    List<SessionRow> rows = SessionExport.rows(entries(
        Entries.sessionStarted("c-1", "s-1", "!r", "@co:caw.test", START),
        Entries.sessionStarted("c-2", "s-2", "!q", "@co:caw.test", START.plusSeconds(60)),
        Entries.sessionEnded("c-1", "s-1", "!r", "@co:caw.test", START, START.plusSeconds(2730))),
        null, null);

    assertEquals(2, rows.size());
    assertEquals(2730L, rows.get(0).durationSeconds());
    assertEquals(3, rows.get(0).ledgerPosition());
    assertNull(rows.get(1).endedAt());
  }

  @Test
  void keepsOnlySessionsStartedInTheHalfOpenPeriod() {
    List<LedgerEntry> entries = entries(
        Entries.sessionStarted("c-1", "s-1", "!r", "@co", START),
        Entries.sessionStarted("c-1", "s-2", "!r", "@co", START.plusSeconds(3600)),
        Entries.sessionStarted("c-1", "s-3", "!r", "@co", START.plusSeconds(7200)));

    List<SessionRow> rows = SessionExport.rows(entries, START.plusSeconds(3600),
        START.plusSeconds(7200));

    assertEquals(List.of("s-2"), rows.stream().map(SessionRow::sessionId).toList());
  }

  @Test
  void csvHasDutchHeadersBelgianTimesAndParses() {
    List<SessionRow> rows = List.of(new SessionRow("s-1", "c-1", "@co;x:caw.test", "!r:caw.test",
        START, START.plusSeconds(2730), 2730L, 4));

    String csv = SessionExport.csv(rows);

    assertTrue(csv.startsWith("\uFEFF"), "Excel needs the byte-order mark to read UTF-8");
    List<List<String>> parsed = parseCsv(csv.substring(1));
    assertEquals(List.of(SessionExport.CSV_HEADERS,
        List.of("s-1", "c-1", "@co;x:caw.test", "!r:caw.test", "2026-11-24T10:00:00+01:00",
            "2026-11-24T10:45:30+01:00", "46", "4")), parsed);
  }

  @Test
  void jsonHasEnglishKeysAndUtcTimes() {
    JsonObject json = new JsonObject(SessionExport.json(List.of(new SessionRow("s-1", "c-1",
        "@co:caw.test", null, START, null, null, 1)), "c-1", START, null, START).encode());

    JsonArray sessions = json.getJsonArray("sessions");
    assertEquals("2026-11-24T09:00:00Z", sessions.getJsonObject(0).getString("started_at"));
    assertTrue(sessions.getJsonObject(0).containsKey("ended_at"));
    assertNull(sessions.getJsonObject(0).getValue("duration_seconds"));
    assertEquals("c-1", json.getJsonObject("filter").getString("client_ref"));
  }

  @Test
  void aFamilySessionHasARowPerParticipantWithTheirPlace() {
    Instant mother = START.plusSeconds(120);
    Instant end = START.plusSeconds(2700);
    List<SessionRow> rows = SessionExport.rows(entries(
        Entries.sessionStarted("c-pupil", "s-1", "!r", "@co:caw.test", START),
        Entries.sessionJoined("c-mother", 2, "s-1", "!r", "@co:caw.test", mother),
        Entries.sessionJoined("c-father", 3, "s-1", "!r", "@co:caw.test", START.plusSeconds(60)),
        Entries.sessionEnded("c-pupil", "s-1", "!r", "@co:caw.test", START, end),
        Entries.sessionLeft("c-mother", 2, "s-1", "!r", "@co:caw.test", mother, end),
        Entries.sessionLeft("c-father", 3, "s-1", "!r", "@co:caw.test", START.plusSeconds(60), end)),
        null, null);

    assertEquals(3, rows.size(), rows.toString());
    assertEquals(List.of("c-pupil", "c-father", "c-mother"),
        rows.stream().map(SessionRow::clientRef).toList());
    assertTrue(rows.stream().allMatch(row -> row.sessionId().equals("s-1") && end.equals(row.endedAt())));
    // The client of place 1 is recorded as in any session; the others with their place, each
    // from when they came in.
    assertNull(rows.get(0).place());
    assertEquals(new SessionRow("s-1", "c-mother", "@co:caw.test", "!r", mother, end, 2580L, 5, 2),
        rows.get(2));
    assertEquals(3, rows.get(1).place());
    assertEquals(6, rows.get(1).ledgerPosition());
  }

  @Test
  void aParticipantWhoseSessionRunsHasARowWithoutAnEnd() {
    List<SessionRow> rows = SessionExport.rows(entries(
        Entries.sessionStarted("c-pupil", "s-1", "!r", "@co", START),
        Entries.sessionJoined("c-mother", 2, "s-1", "!r", "@co", START.plusSeconds(60)),
        Entries.sessionEnded("c-pupil", "s-1", "!r", "@co", START, START.plusSeconds(600))),
        null, null);

    assertEquals(2, rows.size());
    assertEquals(2, rows.get(1).place());
    assertNull(rows.get(1).endedAt());
    assertNull(rows.get(1).durationSeconds());
  }

  @Test
  void aOneToOneSessionStillHasOneRowWithoutAPlace() {
    List<SessionRow> rows = SessionExport.rows(entries(
        Entries.sessionStarted("c-1", "s-1", "!r", "@co", START),
        Entries.sessionEnded("c-1", "s-1", "!r", "@co", START, START.plusSeconds(60))), null, null);

    assertEquals(List.of(new SessionRow("s-1", "c-1", "@co", "!r", START, START.plusSeconds(60),
        60L, 2, null)), rows);
    JsonObject json = new JsonObject(SessionExport.json(rows, "c-1", null, null, START).encode());
    JsonObject session = json.getJsonArray("sessions").getJsonObject(0);
    assertTrue(session.containsKey("place"));
    assertNull(session.getValue("place"));
  }

  @Test
  void jsonGivesAParticipantsPlace() {
    JsonObject json = new JsonObject(SessionExport.json(List.of(new SessionRow("s-1", "c-2",
        "@co:caw.test", "!r", START, null, null, 3, 2)), "c-2", null, null, START).encode());

    assertEquals(2, json.getJsonArray("sessions").getJsonObject(0).getInteger("place"));
  }
}
