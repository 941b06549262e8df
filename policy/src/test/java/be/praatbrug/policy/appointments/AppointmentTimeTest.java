package be.praatbrug.policy.appointments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppointmentTimeTest {

  private static final Duration DEFAULT = Duration.ofMinutes(45);
  /** Thursday 3 December 2026, 18:15 in Brussels (winter time, UTC+1). */
  private static final Instant THURSDAY_EVENING = Instant.parse("2026-12-03T17:15:00Z");

  private static AppointmentTime.Result parse(String words, Instant now) {
    return AppointmentTime.parse(Arrays.asList(words.split(" ")), now, DEFAULT);
  }

  private static Instant startOf(String words, Instant now) {
    AppointmentTime.Result result = parse(words, now);
    assertTrue(result.ok(), () -> words + ": " + result.problem());
    return result.slot().start();
  }

  private static LocalDateTime brussels(Instant instant) {
    return LocalDateTime.ofInstant(instant, AppointmentTime.ZONE);
  }

  @ParameterizedTest
  @CsvSource({
      "10/12 14:00, 2026-12-10T14:00",
      "10/12/2026 14:00, 2026-12-10T14:00",
      "10-12-26 14u, 2026-12-10T14:00",
      "2026-12-10 14h30, 2026-12-10T14:30",
      "10.12 9.30, 2026-12-10T09:30",
      "morgen 9u30, 2026-12-04T09:30",
      "Morgen 9U30, 2026-12-04T09:30",
      "tomorrow 9:30, 2026-12-04T09:30",
      "overmorgen 8u, 2026-12-05T08:00",
      "vandaag 20:00, 2026-12-03T20:00",
      "today 23:59, 2026-12-03T23:59",
      "dinsdag 14:00, 2026-12-08T14:00",
      "di 14:00, 2026-12-08T14:00",
      "tuesday 14:00, 2026-12-08T14:00",
      "vrijdag 7u05, 2026-12-04T07:05",
      "donderdag 19:00, 2026-12-03T19:00",
      "donderdag 9:00, 2026-12-10T09:00",
      "zondag 0:00, 2026-12-06T00:00",
      // A date earlier in the year means next year.
      "10/01 10:00, 2027-01-10T10:00",
      "3/12 19:00, 2026-12-03T19:00",
  })
  void readsDaysAndHoursInBrusselsTime(String words, String expected) {
    assertEquals(LocalDateTime.parse(expected), brussels(startOf(words, THURSDAY_EVENING)));
  }

  @ParameterizedTest
  @CsvSource({
      "morgen 9u30 45m, 45",
      "morgen 9u30 90min, 90",
      "morgen 9u30 1u, 60",
      "morgen 9u30 1h, 60",
      "morgen 9u30 1u30, 90",
      "morgen 9u30 2uur, 120",
      "morgen 9u30, 45",
  })
  void readsLengths(String words, long minutes) {
    AppointmentTime.Result result = parse(words, THURSDAY_EVENING);
    assertTrue(result.ok(), result::problem);
    assertEquals(Duration.ofMinutes(minutes), result.slot().length());
    assertEquals(result.slot().start().plus(Duration.ofMinutes(minutes)), result.slot().end());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "vandaag 9:00 | ligt in het verleden",
      "3/12 18:15 | ligt in het verleden",
      "31/02 10:00 | bestaat niet",
      "31/11 10:00 | bestaat niet",
      "10/13 10:00 | bestaat niet",
      "morgen 25:00 | is geen uur",
      "morgen 9:60 | is geen uur",
      "morgen 14: | is geen uur",
      "morgen nu | is geen uur",
      "gisteren 10:00 | is geen dag",
      "morgen 10:00 3m | tussen 5 minuten en 8 uur",
      "morgen 10:00 9u | tussen 5 minuten en 8 uur",
      "morgen 10:00 lang | is geen duur",
      "morgen 10:00 1u75 | is geen duur",
      "morgen | Zeg wanneer",
      "morgen 10:00 45m extra | Te veel woorden",
      "10/12/2028 10:00 | meer dan een jaar",
  })
  void refusesWithAReasonInDutchThenEnglish(String words, String reason) {
    AppointmentTime.Result result = parse(words, THURSDAY_EVENING);
    assertFalse(result.ok(), words);
    assertTrue(result.problem().contains(reason), result.problem());
    String[] lines = result.problem().split("\n");
    assertEquals(2, lines.length, result.problem());
  }

  @Test
  void echoesOnlyAShortPieceOfWhatWasTyped() {
    AppointmentTime.Result result = parse("morgen een-heel-lang-verhaal-dat-niet-terug-mag", THURSDAY_EVENING);
    assertFalse(result.ok());
    assertFalse(result.problem().contains("terug-mag"), result.problem());
  }

  @Test
  void summerTimeWeekMovesTheUtcOffsetNotTheWallClock() {
    // Friday 27 March 2026, 10:00 Brussels (UTC+1); summer time starts Sunday 29 March.
    Instant friday = Instant.parse("2026-03-27T09:00:00Z");
    assertEquals(Instant.parse("2026-03-28T13:00:00Z"), startOf("zaterdag 14:00", friday));
    assertEquals(Instant.parse("2026-03-29T12:00:00Z"), startOf("zondag 14:00", friday));
    assertEquals(Instant.parse("2026-03-30T07:00:00Z"), startOf("maandag 9u", friday));
    assertEquals(Instant.parse("2026-03-29T00:30:00Z"), startOf("29/03 1u30", friday));
    assertEquals(Instant.parse("2026-03-29T01:00:00Z"), startOf("29/03 3:00", friday));
  }

  @Test
  void theSkippedHourDoesNotExist() {
    Instant friday = Instant.parse("2026-03-27T09:00:00Z");
    AppointmentTime.Result result = parse("zondag 2u30", friday);
    assertFalse(result.ok());
    assertTrue(result.problem().contains("bestaat niet op zondag 29 maart 2026"), result.problem());
    assertTrue(result.problem().contains("zomertijd"), result.problem());
  }

  @Test
  void winterTimeWeekAndTheHourThatHappensTwice() {
    // Friday 23 October 2026, 10:00 Brussels (UTC+2); summer time ends Sunday 25 October 03:00.
    Instant friday = Instant.parse("2026-10-23T08:00:00Z");
    assertEquals(Instant.parse("2026-10-24T12:00:00Z"), startOf("zaterdag 14:00", friday));
    assertEquals(Instant.parse("2026-10-25T13:00:00Z"), startOf("zondag 14:00", friday));
    // 02:30 happens twice: the first one (still summer time) is meant.
    assertEquals(Instant.parse("2026-10-25T00:30:00Z"), startOf("zondag 2u30", friday));
    // A session over the changed hour lasts its real length.
    AppointmentTime.Result night = parse("25/10 1u30 2u", friday);
    assertEquals(Duration.ofHours(2), Duration.between(night.slot().start(), night.slot().end()));
    assertEquals(Instant.parse("2026-10-24T23:30:00Z"), night.slot().start());
  }

  @Test
  void sameWeekdayMeansTodayWhileTheHourIsAhead() {
    // Tuesday 8 December 2026, 10:00 Brussels.
    Instant tuesday = Instant.parse("2026-12-08T09:00:00Z");
    assertEquals(LocalDateTime.parse("2026-12-08T14:00"), brussels(startOf("dinsdag 14:00", tuesday)));
    assertEquals(LocalDateTime.parse("2026-12-15T09:00"), brussels(startOf("dinsdag 9:00", tuesday)));
  }

  @Test
  void newYearsEveAndLeapDays() {
    Instant newYearsEve = Instant.parse("2026-12-31T22:30:00Z"); // 23:30 Brussels
    assertEquals(LocalDateTime.parse("2027-01-01T10:00"), brussels(startOf("morgen 10:00", newYearsEve)));
    assertEquals(LocalDateTime.parse("2027-01-02T10:00"), brussels(startOf("2/1 10:00", newYearsEve)));
    // 29/02 in 2027 does not exist, in 2028 it does.
    Instant earlyIn2027 = Instant.parse("2027-03-01T09:00:00Z");
    assertFalse(parse("29/02/2027 10:00", earlyIn2027).ok());
    assertEquals(LocalDateTime.parse("2028-02-29T10:00"), brussels(startOf("29/02 10:00", earlyIn2027)));
  }

  @Test
  void hourAndLengthAreReadApart() {
    assertEquals(Optional.of(LocalTime.of(14, 0)), AppointmentTime.time("14u"));
    assertEquals(Optional.of(LocalTime.of(1, 0)), AppointmentTime.time("1u"));
    assertEquals(Optional.of(Duration.ofHours(1)), AppointmentTime.length("1u"));
    assertEquals(Optional.empty(), AppointmentTime.length("14:00"));
    assertEquals(Optional.empty(), AppointmentTime.time("45m"));
  }

  @Test
  void formatsInFlemishDutch() {
    Instant start = Instant.parse("2026-12-08T13:00:00Z");
    assertEquals("dinsdag 8 december om 14:00", DutchTime.dayAndTime(start));
    assertEquals("Tuesday 8 December at 14:00", DutchTime.dayAndTimeEn(start));
    assertEquals("14:00", DutchTime.hour(start));
  }
}
