package be.praatbrug.bridge.appointments;

import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.LedgerRecords;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.appointments.AppointmentWindow;
import be.praatbrug.policy.appointments.DutchTime;
import be.praatbrug.policy.appointments.PlannedAppointment;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@code !afspraak}: plans (room, appointment, windowed code, ledger, notice), moves
 * and cancels. The decisions were made in {@code policy/}; this keeps store, registry and ledger in
 * step.
 */
public final class AppointmentActions {

  private static final Logger LOG = LoggerFactory.getLogger(AppointmentActions.class);

  private final AppointmentStore store;
  private final RoomLifecycle rooms;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final Notices notices;
  private final LedgerRecords records;
  private final Clock clock;

  public AppointmentActions(AppointmentStore store, RoomLifecycle rooms, RoomRegistry registry,
      PolicyRepository policies, Notices notices, LedgerRecords records, Clock clock) {
    this.store = store;
    this.rooms = rooms;
    this.registry = registry;
    this.policies = policies;
    this.notices = notices;
    this.records = records;
    this.clock = clock;
  }

  /** The room first, then the appointment, then the code: a link never exists without its window. */
  public Future<Void> plan(Action.PlanAppointment action, String txnId) {
    Policy policy = policies.get(action.policyName());
    AppointmentWindow window = AppointmentWindow.of(action.start(), action.end(), policy.appointments());
    String appointmentId = UUID.randomUUID().toString();
    return rooms.createRoomFor(action.roomId(), action.counsellorId(), action.policyName(),
            action.clientRef())
        .compose(room -> store.insert(new AppointmentStore.Stored(appointmentId, room.roomId(),
                action.counsellorId(), action.roomId(), action.clientRef(), policy.name(),
                action.start(), action.end(), "planned", false, false), clock.instant())
            .compose(stored -> rooms.issueWindowCode(room, window.opensAt(), window.closesAt()))
            .compose(code -> {
              LOG.info("appointment {} planned in {} ({}) from {} to {}", appointmentId, room.roomId(),
                  room.name(), action.start(), action.end());
              records.record(Entries.appointment(EntryKind.APPOINTMENT_PLANNED, action.clientRef(),
                  appointmentId, room.roomId(), action.counsellorId(), action.start(), action.end(),
                  null, clock.instant()));
              PlannedAppointment planned = new PlannedAppointment(appointmentId, room.roomId(),
                  room.name(), action.counsellorId(), action.roomId(), action.clientRef(),
                  action.start(), action.end());
              return notices.send(action.roomId(), plannedNotice(planned, room, code, window, policy), txnId);
            }));
  }

  public Future<Void> move(Action.MoveAppointment action, String txnId) {
    CounsellingRoom room = registry.room(action.appointmentRoomId());
    return store.forRoom(action.appointmentRoomId()).compose(found -> {
      if (found.isEmpty() || !found.get().planned()) {
        return notices.send(action.roomId(), "Die afspraak is er niet meer.\nThat appointment no longer exists.", txnId);
      }
      AppointmentStore.Stored appointment = found.get();
      Policy policy = policies.get(appointment.policyName());
      AppointmentWindow window = AppointmentWindow.of(action.start(), action.end(), policy.appointments());
      return store.move(appointment.appointmentId(), appointment.roomId(), action.start(),
              action.end(), window.opensAt())
          .compose(previous -> rooms.reloadCodes(appointment.roomId()).map(previous))
          .compose(previous -> {
            if (previous.isEmpty()) {
              return notices.send(action.roomId(), "Die afspraak is er niet meer.\nThat appointment no longer exists.", txnId);
            }
            records.record(Entries.appointment(EntryKind.APPOINTMENT_MOVED, appointment.clientRef(),
                appointment.appointmentId(), appointment.roomId(), appointment.counsellorId(),
                action.start(), action.end(), previous.get(), clock.instant()));
            String name = room == null ? appointment.roomId() : room.name();
            PlannedAppointment moved = new PlannedAppointment(appointment.appointmentId(),
                appointment.roomId(), name, appointment.counsellorId(), appointment.controlRoomId(),
                appointment.clientRef(), action.start(), action.end());
            return notices.send(action.roomId(), "🗓️ De afspraak in '" + name + "' is verzet naar "
                + moved.whenNl() + ". De link van de cliënt blijft dezelfde en werkt nu van "
                + DutchTime.hour(window.opensAt()) + " tot " + DutchTime.hour(window.closesAt())
                + "; laat de cliënt het nieuwe uur weten.\n🗓️ The appointment in '" + name
                + "' moved to " + moved.whenEn() + ". The client's link stays the same and now works from "
                + DutchTime.hour(window.opensAt()) + " until " + DutchTime.hour(window.closesAt())
                + "; tell the client the new time.", txnId);
          });
    });
  }

  /** Records the cancellation and stops the codes; the decision's own actions close the room. */
  public Future<Void> cancel(Action.CancelAppointment action) {
    Instant now = clock.instant();
    return store.forRoom(action.appointmentRoomId()).compose(found -> {
      if (found.isEmpty() || !found.get().planned()) {
        return Future.succeededFuture();
      }
      AppointmentStore.Stored appointment = found.get();
      return store.cancel(appointment.appointmentId(), appointment.roomId(), now).map(cancelled -> {
        registry.setCodes(appointment.roomId(), List.of());
        if (cancelled) {
          records.record(Entries.appointment(EntryKind.APPOINTMENT_CANCELLED, appointment.clientRef(),
              appointment.appointmentId(), appointment.roomId(), appointment.counsellorId(),
              appointment.start(), appointment.end(), null, now));
        }
        return null;
      });
    });
  }

  static String plannedNotice(PlannedAppointment planned, CounsellingRoom room,
      RoomLifecycle.WindowCode code, AppointmentWindow window, Policy policy) {
    String who = planned.clientRef() == null ? "een nieuwe cliënt (het dossier volgt als de cliënt binnenkomt)"
        : "cliëntdossier " + planned.clientRef();
    String whoEn = planned.clientRef() == null ? "a new client (the record follows when the client comes in)"
        : "client record " + planned.clientRef();
    long reminder = policy.appointments().reminderBefore().toMinutes();
    String opens = DutchTime.hour(window.opensAt());
    String closes = DutchTime.hour(window.closesAt());
    return "📅 Afspraak gepland: " + planned.whenNl() + " in '" + room.name() + "', voor " + who + ".\n"
        + "Link voor de cliënt (werkt van " + opens + " tot " + closes + "; de cliënt ziet er vooraf "
        + "wanneer het gesprek begint en kan het in de eigen agenda zetten): " + code.link() + "\n"
        + "Klopcode: " + code.code() + " (cliënt met Matrix-account: aankloppen op " + room.roomId()
        + " met de code als reden).\n"
        + "Je krijgt hier " + reminder + " minuten vooraf een herinnering. Verzetten: !afspraak verzet "
        + room.name() + " <dag> <uur>; annuleren: !afspraak annuleer " + room.name() + ".\n\n"
        + "📅 Appointment planned: " + planned.whenEn() + " in '" + room.name() + "', for " + whoEn + ".\n"
        + "Link for the client (works from " + opens + " until " + closes + "; before that it shows "
        + "when the session starts and offers a calendar file): " + code.link() + "\n"
        + "Knock code: " + code.code() + " (client with a Matrix account: knock on " + room.roomId()
        + " with the code as reason).\n"
        + "You get a reminder here " + reminder + " minutes before. Move: !appointment move "
        + room.name() + " <day> <time>; cancel: !appointment cancel " + room.name() + ".";
  }
}
