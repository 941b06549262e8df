package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntriesTest {

  private static final Instant AT = Instant.parse("2026-11-24T10:00:00.123456Z");
  private static final ConsentText CAW_V1 =
      new ConsentText("caw", "v1", "nl", "ab".repeat(32), "tekst");

  @Test
  void consentForAClientUnder12KeepsTheGuardianAsAPersonalField() {
    EntryDraft draft = Entries.consentGiven("c-9", CAW_V1, "web", "An Peeters", AT);

    assertEquals("true", draft.fields().get("under_12"));
    assertEquals(Map.of("guardian_name", "An Peeters"), draft.personalFields());
    assertEquals("v1", draft.fields().get("consent_version"));
  }

  @Test
  void aClientUnder12CannotConsentWithoutAGuardian() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryDraft.of(EntryKind.CONSENT_GIVEN, AT, "c-9", Map.of("organisation", "caw",
            "consent_version", "v1", "consent_sha256", "x", "language", "nl", "channel", "web",
            "under_12", "true"), Map.of()));

    assertTrue(e.getMessage().contains("needs the consenting parent's or guardian's name"),
        e.getMessage());
  }

  @Test
  void refusesAPersonalFieldPassedAsPublic() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryDraft.of(EntryKind.POLICY_VIOLATION_REMOVED, AT, "c-1", Map.of("room_id", "!r",
            "rule", "third_member", "removed", "member", "removed_user", "@x:y"), Map.of()));

    assertTrue(e.getMessage().contains("unknown field removed_user (it is personal"),
        e.getMessage());
  }

  @Test
  void namesEveryMissingField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryDraft.of(EntryKind.SESSION_ENDED, AT, "c-1", Map.of("session_id", "s"),
            Map.of()));

    for (String field : new String[] {"counsellor", "started_at", "ended_at", "duration_seconds"}) {
      assertTrue(e.getMessage().contains("missing field " + field), e.getMessage());
    }
  }

  @Test
  void refusesAMatrixIdOrEmailAsClientReference() {
    assertThrows(IllegalArgumentException.class,
        () -> Entries.knockDenied("@client:caw.test", "!r", "no_consent", AT));
    assertThrows(IllegalArgumentException.class,
        () -> Entries.knockDenied("an@example.be", "!r", "no_consent", AT));
  }

  @Test
  void sessionEndCarriesStartEndAndWholeSeconds() {
    EntryDraft draft = Entries.sessionEnded("c-1", "s-1", "!r:caw.test", "@co:caw.test",
        Instant.parse("2026-11-24T10:00:00Z"), Instant.parse("2026-11-24T10:45:30.900Z"));

    assertEquals("2730", draft.fields().get("duration_seconds"));
    assertEquals("2026-11-24T10:45:30.900Z", draft.fields().get("ended_at"));
  }

  @Test
  void cutsTimesToMillisecondsBecauseThatIsWhatIsSigned() {
    assertEquals(Instant.parse("2026-11-24T10:00:00.123Z"),
        Entries.knockDenied("c-1", "!r", "no_consent", AT).at());
  }

  @Test
  void personalFieldsWithoutAClientHaveNoKeyToBeEncryptedUnder() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryDraft.of(EntryKind.POLICY_VIOLATION_REMOVED, AT, null, Map.of("room_id", "!r",
            "rule", "third_member", "removed", "member"), Map.of("removed_user", "@x:caw.test")));

    assertTrue(e.getMessage().contains("personal fields need a client reference"), e.getMessage());
  }

  @Test
  void aFamilySessionParticipantsStartAndEndCarryTheirPlace() {
    Instant joined = Instant.parse("2026-11-24T10:05:00Z");
    Instant ended = Instant.parse("2026-11-24T10:45:00Z");

    EntryDraft started = Entries.sessionJoined("c-2", 2, "s-1", "!r:caw.test", "@co:caw.test", joined);
    EntryDraft left = Entries.sessionLeft("c-2", 2, "s-1", "!r:caw.test", "@co:caw.test", joined, ended);

    assertEquals(EntryKind.SESSION_STARTED, started.kind());
    assertEquals(Map.of("session_id", "s-1", "room_id", "!r:caw.test", "counsellor", "@co:caw.test",
        "started_at", "2026-11-24T10:05:00.000Z", "place", "2"), started.fields());
    assertEquals(joined, started.at());
    assertEquals("c-2", started.clientRef());
    assertEquals(EntryKind.SESSION_ENDED, left.kind());
    assertEquals("2", left.fields().get("place"));
    assertEquals("2400", left.fields().get("duration_seconds"));
    assertEquals("2026-11-24T10:05:00.000Z", left.fields().get("started_at"));
    assertEquals(ended, left.at());
    assertTrue(started.personalFields().isEmpty() && left.personalFields().isEmpty());
  }

  @Test
  void placeIsAnOptionalFieldOfSessionEntriesOnly() {
    assertTrue(EntryKind.SESSION_STARTED.optional().contains("place"));
    assertTrue(EntryKind.SESSION_ENDED.optional().contains("place"));
    assertFalse(EntryKind.SESSION_STARTED.required().contains("place"));
    // A one-to-one session's entries stay as they were.
    assertFalse(Entries.sessionStarted("c-1", "s-1", "!r", "@co", AT).fields().containsKey("place"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EntryDraft.of(EntryKind.KNOCK_ADMITTED, AT, "c-1", Map.of("room_id", "!r", "place", "2"),
            Map.of()));
    assertTrue(e.getMessage().contains("unknown field place"), e.getMessage());
  }

  @Test
  void aChildWhoseParentAgreesOnTheirOwnPlaceNeedsNoGuardianNameHere() {
    EntryDraft draft = Entries.consentGiven("c-9", CAW_V1, "link", null, true, AT);

    assertEquals("true", draft.fields().get("under_12"));
    assertEquals("true", draft.fields().get("guardian_in_session"));
    assertTrue(draft.personalFields().isEmpty());
    assertFalse(Entries.consentGiven("c-9", CAW_V1, "link", null, AT).fields()
        .containsKey("guardian_in_session"));
    // Either a guardian named here or a parent in the session, never both, and only under 12.
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
        () -> Entries.consentGiven("c-9", CAW_V1, "link", "An Peeters", true, AT));
    assertTrue(both.getMessage().contains("guardian_in_session"), both.getMessage());
    assertThrows(IllegalArgumentException.class, () -> EntryDraft.of(EntryKind.CONSENT_GIVEN, AT,
        "c-9", Map.of("organisation", "caw", "consent_version", "v1", "consent_sha256", "x",
            "language", "nl", "channel", "link", "under_12", "false", "guardian_in_session", "true"),
        Map.of()));
  }
}
