package be.praatbrug.policy.appointments;

import java.time.Instant;
import java.util.Objects;

/**
 * A planned session as commands and reminders see it: when, in which room, for which record.
 *
 * @param roomName the room's handle ({@code rustige-groene-boot}), what the counsellor types
 * @param clientRef the client record, or {@code null} for a new client
 * @param controlRoomId the counsellor's direct chat with the bot, where reminders go
 */
public record PlannedAppointment(String appointmentId, String roomId, String roomName,
    String counsellorId, String controlRoomId, String clientRef, Instant start, Instant end) {

  public PlannedAppointment {
    Objects.requireNonNull(appointmentId, "appointmentId");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("an appointment ends after it starts");
    }
  }

  /** {@code dinsdag 10 december om 14:00–14:45}. */
  public String whenNl() {
    return DutchTime.dayAndTime(start) + "–" + DutchTime.hour(end);
  }

  public String whenEn() {
    return DutchTime.dayAndTimeEn(start) + "–" + DutchTime.hour(end);
  }
}
