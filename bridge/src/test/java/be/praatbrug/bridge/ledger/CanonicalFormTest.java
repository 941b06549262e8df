package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {

  private static final Instant AT = Instant.parse("2026-11-24T10:15:30.120Z");

  @Test
  void writesTheDocumentedCompactSortedForm() {
    String text = CanonicalForm.text(7, EntryKind.KNOCK_DENIED, AT, "c-17",
        Map.of("room_id", "!r:caw.test", "reason", "no_consent"), Map.of(), CanonicalForm.GENESIS);

    assertEquals("{\"at\":\"2026-11-24T10:15:30.120Z\",\"client_ref\":\"c-17\","
        + "\"fields\":{\"reason\":\"no_consent\",\"room_id\":\"!r:caw.test\"},"
        + "\"format\":\"praatbrug-ledger/1\",\"kind\":\"knock_denied\",\"position\":7,"
        + "\"previous\":\"" + "0".repeat(64) + "\",\"sealed\":{}}", text);
  }

  @Test
  void doesNotDependOnTheOrderFieldsWereGivenIn() {
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("a", "1");
    forward.put("b", "2");
    Map<String, String> backward = new LinkedHashMap<>();
    backward.put("b", "2");
    backward.put("a", "1");

    assertEquals(
        CanonicalForm.text(1, EntryKind.RETENTION_PURGE, AT, null, forward, Map.of(), "x"),
        CanonicalForm.text(1, EntryKind.RETENTION_PURGE, AT, null, backward, Map.of(), "x"));
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersAsJsonAndStaysParseable() {
    Map<String, String> fields = new TreeMap<>(Map.of("reason", "a\"b\\c\nd\u0001é"));
    String text = CanonicalForm.text(1, EntryKind.KNOCK_DENIED, AT, "c-1", fields, Map.of(), "x");

    assertEquals("a\"b\\c\nd\u0001é",
        new JsonObject(text).getJsonObject("fields").getString("reason"));
  }

  @Test
  void positionAndPreviousHashAreSigned() {
    String base = CanonicalForm.text(1, EntryKind.KNOCK_DENIED, AT, "c", Map.of(), Map.of(), "a");
    assertNotEquals(base,
        CanonicalForm.text(2, EntryKind.KNOCK_DENIED, AT, "c", Map.of(), Map.of(), "a"));
    assertNotEquals(base,
        CanonicalForm.text(1, EntryKind.KNOCK_DENIED, AT, "c", Map.of(), Map.of(), "b"));
  }
}
