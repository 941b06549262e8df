package be.praatbrug.policy.appointments;

import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which messages about a planned session are due for the counsellor, and their text.
 *
 * <p>Pure: the bridge asks at every tick with what its store says was already sent, and sends
 * (once, guarded by the store) what this returns. A bridge that was down catches up: a reminder
 * still goes out while the slot runs, never after it.
 */
public final class AppointmentReminders {

  public enum Kind { REMINDER, NOT_ARRIVED }

  /** What the store knows about one appointment's messages and its client. */
  public record Sent(boolean reminder, boolean notArrived, boolean clientArrived) {}

  private AppointmentReminders() {}

  public static List<Kind> due(PlannedAppointment appointment, Instant now,
      Policy.Appointments rules, Sent sent) {
    List<Kind> due = new ArrayList<>();
    if (!now.isBefore(appointment.end())) {
      return due;
    }
    if (!sent.reminder() && !now.isBefore(appointment.start().minus(rules.reminderBefore()))) {
      due.add(Kind.REMINDER);
    }
    if (!sent.notArrived() && !sent.clientArrived() && !now.isBefore(appointment.start())) {
      due.add(Kind.NOT_ARRIVED);
    }
    return due;
  }

  /** The earliest moment something may become due, for the bridge's next look (or null: never). */
  public static Instant nextCheck(PlannedAppointment appointment, Policy.Appointments rules,
      Sent sent) {
    if (!sent.reminder()) {
      return appointment.start().minus(rules.reminderBefore());
    }
    if (!sent.notArrived() && !sent.clientArrived()) {
      return appointment.start();
    }
    return null;
  }

  /**
   * How a slot that is over ends up in the ledger: {@code null} while it runs, else missed when no
   * session ever started in its room (a client who came late but came is not a no-show).
   */
  public static Outcome outcome(PlannedAppointment appointment, Instant now, boolean clientCame) {
    if (now.isBefore(appointment.end())) {
      return null;
    }
    return clientCame ? Outcome.ATTENDED : Outcome.MISSED;
  }

  public enum Outcome { ATTENDED, MISSED }

  public static String text(Kind kind, PlannedAppointment appointment, Instant now,
      Policy.Appointments rules) {
    AppointmentWindow window = AppointmentWindow.of(appointment.start(), appointment.end(), rules);
    String who = appointment.clientRef() == null ? "een nieuwe cliënt" : "cliënt " + appointment.clientRef();
    String whoEn = appointment.clientRef() == null ? "a new client" : "client " + appointment.clientRef();
    return switch (kind) {
      case REMINDER -> {
        // Rounded up: a reminder sent a second after it fell due still says "over 10 min".
        long minutes = Math.max(0, (Duration.between(now, appointment.start()).toSeconds() + 59) / 60);
        String soonNl = now.isBefore(appointment.start()) ? "begint over " + minutes + " min" : "is begonnen";
        String soonEn = now.isBefore(appointment.start()) ? "starts in " + minutes + " min" : "has started";
        yield "⏰ Je gesprek met " + who + " in '" + appointment.roomName() + "' " + soonNl + " ("
            + appointment.whenNl() + "). De link van de cliënt werkt van "
            + DutchTime.hour(window.opensAt()) + " tot " + DutchTime.hour(window.closesAt()) + ".\n"
            + "⏰ Your session with " + whoEn + " in '" + appointment.roomName() + "' " + soonEn + " ("
            + appointment.whenEn() + "). The client's link works from "
            + DutchTime.hour(window.opensAt()) + " until " + DutchTime.hour(window.closesAt()) + ".";
      }
      case NOT_ARRIVED -> "🕒 Het gesprek in '" + appointment.roomName() + "' is om "
          + DutchTime.hour(appointment.start()) + " begonnen, maar " + who + " is nog niet "
          + "aangekomen. De link blijft werken tot " + DutchTime.hour(appointment.end()) + ".\n"
          + "🕒 The session in '" + appointment.roomName() + "' started at "
          + DutchTime.hour(appointment.start()) + ", but " + whoEn + " has not arrived yet. The "
          + "link keeps working until " + DutchTime.hour(appointment.end()) + ".";
    };
  }
}
