package be.praatbrug.bridge.appointments;

import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.appointments.PlannedAppointment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Stored appointments as the policy core and the counsellor page see them (with the room's name). */
public final class AppointmentViews {

  private AppointmentViews() {}

  public static PlannedAppointment of(AppointmentStore.Stored appointment, RoomRegistry registry) {
    CounsellingRoom room = registry.room(appointment.roomId());
    return new PlannedAppointment(appointment.appointmentId(), appointment.roomId(),
        room == null ? appointment.roomId() : room.name(), appointment.counsellorId(),
        appointment.controlRoomId(), appointment.clientRef(), appointment.start(), appointment.end());
  }

  /** The planned sessions of a counsellor for commands. */
  public static List<PlannedAppointment> all(List<AppointmentStore.Stored> stored, RoomRegistry registry) {
    return stored.stream().map(appointment -> of(appointment, registry)).toList();
  }

  /** The counsellor page's list: times, room, client reference and when the link opens. */
  public static JsonArray forDesk(List<AppointmentStore.Stored> stored, RoomRegistry registry,
      PolicyRepository policies) {
    JsonArray planned = new JsonArray();
    for (AppointmentStore.Stored appointment : stored) {
      PlannedAppointment view = of(appointment, registry);
      planned.add(new JsonObject()
          .put("room_id", view.roomId())
          .put("room_name", view.roomName())
          .put("client_ref", view.clientRef())
          .put("starts_at", view.start().toEpochMilli())
          .put("ends_at", view.end().toEpochMilli())
          .put("opens_at", view.start()
              .minus(policies.get(appointment.policyName()).appointments().openBefore()).toEpochMilli()));
    }
    return planned;
  }
}
