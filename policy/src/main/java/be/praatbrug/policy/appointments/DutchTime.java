package be.praatbrug.policy.appointments;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Appointment moments as people in Flanders read them: "dinsdag 10 december om 14:00". */
public final class DutchTime {

  private static final Locale NL_BE = Locale.forLanguageTag("nl-BE");
  private static final DateTimeFormatter DAY_AND_TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM 'om' HH:mm", NL_BE).withZone(AppointmentTime.ZONE);
  private static final DateTimeFormatter DAY_AND_TIME_EN =
      DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm", Locale.ENGLISH).withZone(AppointmentTime.ZONE);
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", NL_BE);
  private static final DateTimeFormatter HOUR =
      DateTimeFormatter.ofPattern("HH:mm").withZone(AppointmentTime.ZONE);

  private DutchTime() {}

  /** {@code dinsdag 10 december om 14:00} (Brussels time). */
  public static String dayAndTime(Instant moment) {
    return DAY_AND_TIME.format(moment);
  }

  /** {@code Tuesday 10 December at 14:00} (Brussels time). */
  public static String dayAndTimeEn(Instant moment) {
    return DAY_AND_TIME_EN.format(moment);
  }

  /** {@code zondag 29 maart 2026}. */
  public static String date(LocalDate date) {
    return DATE.format(date);
  }

  /** {@code 14:45} (Brussels time). */
  public static String hour(Instant moment) {
    return HOUR.format(moment);
  }
}
