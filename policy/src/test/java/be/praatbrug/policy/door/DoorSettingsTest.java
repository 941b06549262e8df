package be.praatbrug.policy.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Opening hours in the organisation's time zone, the next opening, and the honest estimate. */
class DoorSettingsTest {

  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  private static final DoorSettings WEEKDAYS = new DoorSettings(10, Map.of(
      DayOfWeek.MONDAY, List.of(DoorSettings.Span.parse("09:00-12:00"), DoorSettings.Span.parse("13:00-17:00")),
      DayOfWeek.FRIDAY, List.of(DoorSettings.Span.parse("20:00-24:00"))), BRUSSELS,
      List.of(new DoorSettings.CrisisLine("Zelfmoordlijn", "1813", null)));

  private static Instant brussels(String localDateTime) {
    return java.time.LocalDateTime.parse(localDateTime).atZone(BRUSSELS).toInstant();
  }

  @Test
  void openWithinASpanOfTheDayInBrusselsTimeAndClosedAtItsEnd() {
    // Monday 7 December 2026.
    assertFalse(WEEKDAYS.openAt(brussels("2026-12-07T08:59")));
    assertTrue(WEEKDAYS.openAt(brussels("2026-12-07T09:00")));
    assertTrue(WEEKDAYS.openAt(brussels("2026-12-07T11:59")));
    assertFalse(WEEKDAYS.openAt(brussels("2026-12-07T12:00")), "the lunch break is closed");
    assertTrue(WEEKDAYS.openAt(brussels("2026-12-07T13:00")));
    assertFalse(WEEKDAYS.openAt(brussels("2026-12-07T17:00")));
    assertFalse(WEEKDAYS.openAt(brussels("2026-12-08T10:00")), "a day left out is closed");
    // 08:30 UTC is 09:30 in Brussels in winter.
    assertTrue(WEEKDAYS.openAt(Instant.parse("2026-12-07T08:30:00Z")));
  }

  @Test
  void aSpanUntil24IsOpenUntilMidnight() {
    assertTrue(WEEKDAYS.openAt(brussels("2026-12-11T23:59:59")));
    assertFalse(WEEKDAYS.openAt(brussels("2026-12-12T00:00")));
  }

  @Test
  void theNextOpeningIsLaterTodayOrOnTheNextOpenDay() {
    assertEquals(Optional.of(brussels("2026-12-07T13:00")), WEEKDAYS.nextOpening(brussels("2026-12-07T12:10")));
    assertEquals(Optional.of(brussels("2026-12-11T20:00")), WEEKDAYS.nextOpening(brussels("2026-12-07T17:30")));
    assertEquals(Optional.of(brussels("2026-12-14T09:00")), WEEKDAYS.nextOpening(brussels("2026-12-12T00:30")));
    assertEquals(Optional.empty(), WEEKDAYS.nextOpening(brussels("2026-12-07T10:00")), "open now");
    DoorSettings never = new DoorSettings(1, Map.of(), BRUSSELS, List.of());
    assertEquals(Optional.empty(), never.nextOpening(brussels("2026-12-07T10:00")));
  }

  @Test
  void theEstimateIsTheMedianPickUpTimesThePlaceOrNoneWithoutData() {
    assertEquals(Optional.empty(), DoorSettings.estimate(1, List.of()));
    List<Duration> perPlace = List.of(Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofMinutes(4));
    assertEquals(Optional.of(Duration.ofMinutes(4)), DoorSettings.estimate(1, perPlace),
        "one slow pick-up does not drive the estimate");
    assertEquals(Optional.of(Duration.ofMinutes(12)), DoorSettings.estimate(3, perPlace));
    assertEquals(Optional.empty(), DoorSettings.estimate(0, perPlace));
  }
}
