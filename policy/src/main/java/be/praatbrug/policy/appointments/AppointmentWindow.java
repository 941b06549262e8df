package be.praatbrug.policy.appointments;

import be.praatbrug.policy.rules.Policy;
import java.time.Instant;

/**
 * When a planned session's link and code let the client in: from {@code open_before} before the
 * start until the end of the slot. Before that the client page says when to come back; after it,
 * that the appointment has passed.
 */
public record AppointmentWindow(Instant opensAt, Instant closesAt) {

  public static AppointmentWindow of(Instant start, Instant end, Policy.Appointments rules) {
    return new AppointmentWindow(start.minus(rules.openBefore()), end);
  }

  public enum Phase { BEFORE, OPEN, AFTER }

  public Phase phaseAt(Instant now) {
    if (now.isBefore(opensAt)) {
      return Phase.BEFORE;
    }
    return now.isBefore(closesAt) ? Phase.OPEN : Phase.AFTER;
  }
}
