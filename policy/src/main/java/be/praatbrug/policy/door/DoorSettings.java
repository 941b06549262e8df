package be.praatbrug.policy.door;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The organisation's door (anonymous first contact on its website): when it is open, how many
 * people may wait at once, and whom to call in a crisis, which the door shows whether open or not.
 *
 * @param places how many people may wait in the line at once
 * @param hours per weekday the opening spans; a day without spans is closed
 * @param zone the time zone the hours are in
 * @param crisis the numbers the door always shows
 */
public record DoorSettings(int places, Map<DayOfWeek, List<Span>> hours, ZoneId zone,
    List<CrisisLine> crisis) {

  /** One opening span of a day, {@code from} inclusive to {@code until} exclusive; 24:00 is midnight. */
  public record Span(LocalTime from, boolean untilMidnight, LocalTime until) {

    /** Parses {@code 09:00-17:00}; {@code 24:00} as the end means the end of the day. */
    public static Span parse(String text) {
      String[] parts = text.split("-");
      boolean midnight = parts[1].equals("24:00");
      return new Span(LocalTime.parse(parts[0]), midnight, midnight ? LocalTime.MAX : LocalTime.parse(parts[1]));
    }

    boolean contains(LocalTime time) {
      return !time.isBefore(from) && (untilMidnight || time.isBefore(until));
    }

    public String untilText() {
      return untilMidnight ? "24:00" : until.toString();
    }
  }

  /** A number to call, e.g. {@code Zelfmoordlijn, 1813, "dag en nacht, gratis"}; note may be null. */
  public record CrisisLine(String name, String number, String note) {}

  public DoorSettings {
    if (places < 1) {
      throw new IllegalArgumentException("a door needs at least one place");
    }
    EnumMap<DayOfWeek, List<Span>> copy = new EnumMap<>(DayOfWeek.class);
    hours.forEach((day, spans) -> copy.put(day, List.copyOf(spans)));
    hours = java.util.Collections.unmodifiableMap(copy);
    crisis = List.copyOf(crisis);
  }

  /** Whether the door takes questions at {@code now} (as far as its hours go). */
  public boolean openAt(Instant now) {
    ZonedDateTime local = now.atZone(zone);
    return hours.getOrDefault(local.getDayOfWeek(), List.of()).stream()
        .anyMatch(span -> span.contains(local.toLocalTime()));
  }

  /** When the door opens next after {@code now} (within a week), if it is closed now. */
  public Optional<Instant> nextOpening(Instant now) {
    if (openAt(now)) {
      return Optional.empty();
    }
    ZonedDateTime local = now.atZone(zone);
    for (int days = 0; days <= 7; days++) {
      LocalDate date = local.toLocalDate().plusDays(days);
      Optional<Instant> first = hours.getOrDefault(date.getDayOfWeek(), List.of()).stream()
          .map(span -> date.atTime(span.from()).atZone(zone).toInstant())
          .filter(start -> start.isAfter(now))
          .min(Instant::compareTo);
      if (first.isPresent()) {
        return first;
      }
    }
    return Optional.empty();
  }

  /**
   * How long someone at {@code place} may expect to wait, from what recent people really waited:
   * each recent wait divided by the place they started at is one pick-up's time, and the median
   * of those times the place is the estimate. No recent pick-ups: no estimate rather than a guess.
   *
   * @param recentWaitsPerPlace for each recently taken person, their wait divided by their place
   *     when they came in
   */
  public static Optional<Duration> estimate(int place, List<Duration> recentWaitsPerPlace) {
    if (place < 1 || recentWaitsPerPlace.isEmpty()) {
      return Optional.empty();
    }
    List<Duration> sorted = recentWaitsPerPlace.stream().sorted().toList();
    Duration median = sorted.get(sorted.size() / 2);
    return Optional.of(median.multipliedBy(place));
  }
}
