package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.bridge.entry.EntryCodes.Status;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomStore.StoredCode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EntryCodesTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant LATER = NOW.plusSeconds(3600);
  private static final CounsellingRoom OPEN = new CounsellingRoom("!r:caw.test", "caw",
      "@an:caw.test", "!dm:caw.test", "rustige-groene-boot", "open", null, null,
      NOW.minusSeconds(60), null, null);

  private static Status status(StoredCode code, CounsellingRoom room) {
    return EntryCodes.classify(code, room, NOW).status();
  }

  @Test
  void tellsTheClientWhyALinkDoesNotWork() {
    assertEquals(Status.VALID, status(new StoredCode("!r:caw.test", LATER, null, null), OPEN));
    assertEquals(Status.EXPIRED, status(new StoredCode("!r:caw.test", NOW, null, null), OPEN));
    assertEquals(Status.USED, status(new StoredCode("!r:caw.test", LATER, NOW, null), OPEN));
    assertEquals(Status.REPLACED, status(new StoredCode("!r:caw.test", LATER, null, NOW), OPEN));
    assertEquals(Status.ENDED, status(new StoredCode("!r:caw.test", LATER, null, null), null));
    assertEquals(Status.ENDED, status(new StoredCode("!r:caw.test", LATER, null, null), OPEN.closedAt(NOW)));
  }

  @Test
  void aValidCodeNamesItsRoom() {
    var lookup = EntryCodes.classify(new StoredCode("!r:caw.test", LATER, null, null), OPEN, NOW);
    assertEquals("!r:caw.test", lookup.roomId());
    assertEquals(LATER, lookup.expiresAt());
  }

  @Test
  void aPlannedSessionsLinkWorksInItsWindowOnly() {
    Instant opens = NOW.plusSeconds(60);
    StoredCode planned = new StoredCode("!r:caw.test", LATER, null, null, opens);
    assertEquals(Status.NOT_YET, status(planned, OPEN));
    assertEquals(Status.VALID, EntryCodes.classify(planned, OPEN, opens).status());
    var appointment = new be.praatbrug.bridge.appointments.AppointmentStore.Stored("a", "!r:caw.test",
        "@c:caw.test", null, null, "caw", opens.plusSeconds(900), LATER, "planned", false, false);
    var early = EntryCodes.forAppointment(EntryCodes.classify(planned, OPEN, NOW), planned, appointment, NOW);
    assertEquals(Status.NOT_YET, early.status());
    assertEquals(opens, early.slot().opensAt());
    assertEquals(Status.PASSED, EntryCodes.forAppointment(EntryCodes.classify(planned, OPEN, LATER),
        planned, appointment, LATER).status());
    var cancelled = new be.praatbrug.bridge.appointments.AppointmentStore.Stored("a", "!r:caw.test",
        "@c:caw.test", null, null, "caw", opens.plusSeconds(900), LATER, "cancelled", false, false);
    assertEquals(Status.CANCELLED, EntryCodes.forAppointment(EntryCodes.classify(planned,
        OPEN.closedAt(NOW), NOW), planned, cancelled, NOW).status());
  }

  @Test
  void everyRefusalHasItsOwnErrcode() {
    assertEquals(8, java.util.Arrays.stream(Status.values())
        .map(EntryCodes::errCode).flatMap(java.util.Optional::stream).distinct().count());
  }

  @Test
  void aValidCodeNamesThePlaceItOpens() {
    var named = EntryCodes.classify(new StoredCode("!r:caw.test", LATER, null, null, null, 3), OPEN, NOW);
    assertEquals(new EntryCodes.Lookup(Status.VALID, "!r:caw.test", LATER, null, 3), named);
    assertEquals(be.praatbrug.policy.rooms.Place.CLIENT,
        EntryCodes.classify(new StoredCode("!r:caw.test", LATER, null, null), OPEN, NOW).place());
    // A refused code opens no place at all: the page learns nothing of the room's places.
    assertEquals(be.praatbrug.policy.rooms.Place.CLIENT, EntryCodes.classify(
        new StoredCode("!r:caw.test", LATER, NOW, null, null, 3), OPEN, NOW).place());
    // A planned session's window keeps the place.
    Instant opens = NOW.minusSeconds(60);
    StoredCode planned = new StoredCode("!r:caw.test", LATER, null, null, opens, 2);
    var appointment = new be.praatbrug.bridge.appointments.AppointmentStore.Stored("a", "!r:caw.test",
        "@c:caw.test", null, null, "caw", NOW.plusSeconds(900), LATER, "planned", false, false);
    var inWindow = EntryCodes.forAppointment(EntryCodes.classify(planned, OPEN, NOW), planned,
        appointment, NOW);
    assertEquals(Status.VALID, inWindow.status());
    assertEquals(2, inWindow.place());
    assertEquals(opens, inWindow.slot().opensAt());
  }
}
