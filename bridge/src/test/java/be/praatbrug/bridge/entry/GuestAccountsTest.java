package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.entry.GuestStore.Guest;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GuestAccountsTest {

  private static final Instant MADE = Instant.parse("2026-11-24T10:00:00Z");
  private static final Guest GUEST = new Guest("@praatbrug_guest_abc:caw.test", "!r:caw.test", MADE);
  private static final CounsellingRoom OPEN = new CounsellingRoom("!r:caw.test", "caw",
      "@an:caw.test", "!dm:caw.test", "rustige-groene-boot", "open", null, null, MADE, null, null);
  private static final Duration DAY = Duration.ofHours(24);

  @Test
  void aWaitingGuestLivesAsLongAsACode() {
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "knock", DAY, MADE.plus(Duration.ofHours(23))));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN, "knock", DAY, MADE.plus(DAY)));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN, "leave", DAY, MADE.plus(DAY)));
  }

  @Test
  void anAdmittedGuestLivesUntilTheSessionEnds() {
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "join", DAY, MADE.plus(Duration.ofDays(3))));
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "invite", DAY, MADE.plus(Duration.ofDays(3))));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN.closedAt(MADE.plusSeconds(60)), "join", DAY,
        MADE.plusSeconds(61)));
    assertTrue(GuestAccounts.isExpired(GUEST, null, null, DAY, MADE.plusSeconds(1)));
  }
}
