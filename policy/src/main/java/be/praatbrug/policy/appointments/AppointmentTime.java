package be.praatbrug.policy.appointments;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a day, an hour and an optional length as counsellors type them, in Dutch or English:
 * {@code 10/12 14:00 45m}, {@code morgen 9u30}, {@code dinsdag 14u}, {@code tomorrow 2:30 1h}.
 *
 * <p>Pure: the moment "now" is given, times are wall-clock times in {@link #ZONE}. A time that does
 * not exist (the hour skipped when summer time starts), a date that does not exist (31/02) and a
 * moment in the past are refused with a message that says which, Dutch first.
 */
public final class AppointmentTime {

  /** Counselling in Flanders happens on Brussels time, whatever the server's zone. */
  public static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  public static final Duration SHORTEST = Duration.ofMinutes(5);
  public static final Duration LONGEST = Duration.ofHours(8);
  /** Further ahead than this is a typo more often than a plan. */
  public static final Duration FURTHEST = Duration.ofDays(366);

  private static final Pattern DATE = Pattern.compile("(\\d{1,2})[/.-](\\d{1,2})(?:[/.-](\\d{2}|\\d{4}))?");
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
  private static final Pattern TIME = Pattern.compile("(\\d{1,2})[:.uh](\\d{2})?");
  private static final Pattern LENGTH =
      Pattern.compile("(?:(\\d{1,3})(?:m|min|minuten|minutes))|(?:(\\d)(?:u|h|uur|hour|hours)(\\d{2})?)");

  private static final Map<String, DayOfWeek> WEEKDAYS = Map.ofEntries(
      Map.entry("maandag", DayOfWeek.MONDAY), Map.entry("ma", DayOfWeek.MONDAY),
      Map.entry("dinsdag", DayOfWeek.TUESDAY), Map.entry("di", DayOfWeek.TUESDAY),
      Map.entry("woensdag", DayOfWeek.WEDNESDAY), Map.entry("wo", DayOfWeek.WEDNESDAY),
      Map.entry("donderdag", DayOfWeek.THURSDAY), Map.entry("do", DayOfWeek.THURSDAY),
      Map.entry("vrijdag", DayOfWeek.FRIDAY), Map.entry("vr", DayOfWeek.FRIDAY),
      Map.entry("zaterdag", DayOfWeek.SATURDAY), Map.entry("za", DayOfWeek.SATURDAY),
      Map.entry("zondag", DayOfWeek.SUNDAY), Map.entry("zo", DayOfWeek.SUNDAY),
      Map.entry("monday", DayOfWeek.MONDAY), Map.entry("mon", DayOfWeek.MONDAY),
      Map.entry("tuesday", DayOfWeek.TUESDAY), Map.entry("tue", DayOfWeek.TUESDAY),
      Map.entry("wednesday", DayOfWeek.WEDNESDAY), Map.entry("wed", DayOfWeek.WEDNESDAY),
      Map.entry("thursday", DayOfWeek.THURSDAY), Map.entry("thu", DayOfWeek.THURSDAY),
      Map.entry("friday", DayOfWeek.FRIDAY), Map.entry("fri", DayOfWeek.FRIDAY),
      Map.entry("saturday", DayOfWeek.SATURDAY), Map.entry("sat", DayOfWeek.SATURDAY),
      Map.entry("sunday", DayOfWeek.SUNDAY), Map.entry("sun", DayOfWeek.SUNDAY));

  private AppointmentTime() {}

  /** A slot read from the words: its start and its length. */
  public record Slot(Instant start, Duration length) {
    public Instant end() {
      return start.plus(length);
    }
  }

  /** Either a slot or why the words are not one (Dutch, then English). */
  public record Result(Slot slot, String problem) {
    static Result of(Slot slot) {
      return new Result(slot, null);
    }

    static Result refused(String nl, String en) {
      return new Result(null, nl + "\n" + en);
    }

    public boolean ok() {
      return slot != null;
    }
  }

  /**
   * {@code words} is day, hour and optionally length, e.g. {@code [dinsdag, 14:00, 45m]}.
   *
   * @param defaultLength used when no length is given
   */
  public static Result parse(List<String> words, Instant now, Duration defaultLength) {
    if (words.size() < 2) {
      return Result.refused("Zeg wanneer: een dag en een uur, bv. 10/12 14:00, morgen 9u30 of dinsdag 14:00.",
          "Say when: a day and an hour, e.g. 10/12 14:00, tomorrow 9:30 or tuesday 14:00.");
    }
    if (words.size() > 3) {
      return Result.refused("Te veel woorden na de dag en het uur: '" + clip(words.get(3)) + "'.",
          "Too many words after the day and the hour: '" + clip(words.get(3)) + "'.");
    }
    ZonedDateTime here = now.atZone(ZONE);
    Optional<LocalTime> time = time(words.get(1));
    if (time.isEmpty()) {
      return Result.refused("'" + clip(words.get(1)) + "' is geen uur; schrijf bv. 14:00, 14u of 9u30.",
          "'" + clip(words.get(1)) + "' is not a time; write e.g. 14:00, 2:30 or 9h30.");
    }
    Duration length = defaultLength;
    if (words.size() == 3) {
      Optional<Duration> typed = length(words.get(2));
      if (typed.isEmpty()) {
        return Result.refused("'" + clip(words.get(2)) + "' is geen duur; schrijf bv. 45m, 1u of 1u30.",
            "'" + clip(words.get(2)) + "' is not a length; write e.g. 45m, 1h or 1h30.");
      }
      length = typed.get();
      if (length.compareTo(SHORTEST) < 0 || length.compareTo(LONGEST) > 0) {
        return Result.refused("Een gesprek duurt tussen 5 minuten en 8 uur.",
            "A session lasts between 5 minutes and 8 hours.");
      }
    }
    DayResult day = day(words.get(0), here.toLocalDate(), time.get(), here.toLocalTime());
    if (day.problem != null) {
      return day.problem;
    }
    LocalDateTime local = LocalDateTime.of(day.date, time.get());
    if (ZONE.getRules().getValidOffsets(local).isEmpty()) {
      // The hour skipped when summer time starts: 02:00–02:59 on the last Sunday of March.
      return Result.refused("Dat uur bestaat niet op " + DutchTime.date(day.date)
              + ": de klok springt dan van 2 naar 3 uur (zomertijd). Kies een ander uur.",
          "That time does not exist on " + day.date + ": clocks go from 2:00 to 3:00 (summer time). "
              + "Pick another time.");
    }
    // In the hour that happens twice (end of summer time) the first one is meant.
    Instant start = ZonedDateTime.ofLocal(local, ZONE, null).toInstant();
    if (!start.isAfter(now)) {
      return Result.refused("Dat moment (" + DutchTime.dayAndTime(start) + ") ligt in het verleden.",
          "That moment (" + start.atZone(ZONE).toLocalDateTime() + ") is in the past.");
    }
    if (start.isAfter(now.plus(FURTHEST))) {
      return Result.refused("Dat is meer dan een jaar vooruit; controleer de datum.",
          "That is more than a year ahead; check the date.");
    }
    return Result.of(new Slot(start, length));
  }

  private record DayResult(LocalDate date, Result problem) {}

  private static DayResult day(String typed, LocalDate today, LocalTime time, LocalTime nowTime) {
    String word = typed.toLowerCase(Locale.ROOT).replaceAll("[.,]$", "");
    switch (word) {
      case "vandaag", "today" -> {
        return new DayResult(today, null);
      }
      case "morgen", "tomorrow" -> {
        return new DayResult(today.plusDays(1), null);
      }
      case "overmorgen" -> {
        return new DayResult(today.plusDays(2), null);
      }
      default -> { }
    }
    DayOfWeek weekday = WEEKDAYS.get(word);
    if (weekday != null) {
      // "dinsdag" on a Tuesday means today while the hour is still ahead, else next week.
      LocalDate date = today.with(TemporalAdjusters.nextOrSame(weekday));
      if (date.equals(today) && !time.isAfter(nowTime)) {
        date = date.plusWeeks(1);
      }
      return new DayResult(date, null);
    }
    Matcher iso = ISO_DATE.matcher(word);
    if (iso.matches()) {
      return exact(typed, Integer.parseInt(iso.group(1)), Integer.parseInt(iso.group(2)),
          Integer.parseInt(iso.group(3)));
    }
    Matcher date = DATE.matcher(word);
    if (date.matches()) {
      int dayOfMonth = Integer.parseInt(date.group(1));
      int month = Integer.parseInt(date.group(2));
      if (date.group(3) != null) {
        int year = Integer.parseInt(date.group(3));
        return exact(typed, year < 100 ? 2000 + year : year, month, dayOfMonth);
      }
      // Without a year: this year, or next year once the date has passed (in December, "10/01").
      DayResult thisYear = exact(typed, today.getYear(), month, dayOfMonth);
      if (thisYear.problem != null && !(month == 2 && dayOfMonth == 29)) {
        return thisYear;
      }
      if (thisYear.problem == null && !thisYear.date.isBefore(today)) {
        return thisYear;
      }
      return exact(typed, today.getYear() + 1, month, dayOfMonth);
    }
    return new DayResult(null, Result.refused("'" + clip(typed) + "' is geen dag; schrijf bv. 10/12, "
            + "morgen, overmorgen of dinsdag.",
        "'" + clip(typed) + "' is not a day; write e.g. 10/12, tomorrow or tuesday."));
  }

  private static DayResult exact(String typed, int year, int month, int dayOfMonth) {
    try {
      return new DayResult(LocalDate.of(year, month, dayOfMonth), null);
    } catch (DateTimeException e) {
      return new DayResult(null, Result.refused("De datum '" + clip(typed) + "' bestaat niet.",
          "The date '" + clip(typed) + "' does not exist."));
    }
  }

  /** {@code 14:00}, {@code 14u}, {@code 9u30}, {@code 9h30}, {@code 9.30}, {@code 14h}. */
  static Optional<LocalTime> time(String typed) {
    Matcher matcher = TIME.matcher(typed.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int hour = Integer.parseInt(matcher.group(1));
    String minutes = matcher.group(2);
    int minute = minutes == null ? 0 : Integer.parseInt(minutes);
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    // "14:" or "14." alone is not an hour anyone means.
    if (minutes == null && (typed.endsWith(":") || typed.endsWith("."))) {
      return Optional.empty();
    }
    return Optional.of(LocalTime.of(hour, minute));
  }

  /** {@code 45m}, {@code 90min}, {@code 1u}, {@code 1h}, {@code 1u30}. */
  static Optional<Duration> length(String typed) {
    Matcher matcher = LENGTH.matcher(typed.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    if (matcher.group(1) != null) {
      return Optional.of(Duration.ofMinutes(Integer.parseInt(matcher.group(1))));
    }
    int extra = matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3));
    if (extra > 59) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofHours(Integer.parseInt(matcher.group(2))).plusMinutes(extra));
  }

  /** Echoes at most a few characters of what was typed; never a whole message. */
  private static String clip(String typed) {
    return typed.length() <= 16 ? typed : typed.substring(0, 16) + "…";
  }
}
