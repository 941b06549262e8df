package be.praatbrug.bridge.appointments;

import be.praatbrug.bridge.appointments.AppointmentStore.Message;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.LedgerRecords;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.appointments.AppointmentReminders;
import be.praatbrug.policy.appointments.PlannedAppointment;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the counsellor's reminder before a planned session and the "nog niet aangekomen" notice
 * when it starts without the client, each once: the store's claim decides who sends, so a restart
 * (reminders due while the bridge was down go out at its first look) or a second process after a
 * leader failover never sends one twice. When a slot is over it is settled once the same way: a
 * slot in whose room no session ever started goes into the ledger as missed (a no-show in the
 * client's file export).
 */
public final class ReminderJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReminderJob.class);

  private final AppointmentStore store;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final Notices notices;
  private final LedgerRecords records;
  private final Clock clock;
  private boolean running;
  private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();

  public ReminderJob(AppointmentStore store, RoomRegistry registry, PolicyRepository policies,
      Notices notices, LedgerRecords records, Clock clock) {
    this.store = store;
    this.registry = registry;
    this.policies = policies;
    this.notices = notices;
    this.records = records;
    this.clock = clock;
  }

  /** One look at every planned session; a look still running is not doubled. Returns messages sent. */
  public Future<Integer> runOnce() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    Instant now = clock.instant();
    return store.toWatch(now)
        .compose(watched -> {
          List<Future<Boolean>> sends = new ArrayList<>();
          for (AppointmentStore.Stored appointment : watched) {
            if (!now.isBefore(appointment.end())) {
              sends.add(settleOnce(AppointmentViews.of(appointment, registry), now));
              continue;
            }
            if (appointment.reminderSent() && appointment.notArrivedSent()) {
              continue;
            }
            Policy policy = policies.get(appointment.policyName());
            PlannedAppointment planned = AppointmentViews.of(appointment, registry);
            AppointmentReminders.Sent sent = new AppointmentReminders.Sent(appointment.reminderSent(),
                appointment.notArrivedSent(), arrived(appointment.roomId()));
            for (AppointmentReminders.Kind kind : AppointmentReminders.due(planned, now,
                policy.appointments(), sent)) {
              sends.add(sendOnce(planned, kind, now, policy));
            }
          }
          return Future.join(sends).map(all -> (int) sends.stream()
              .filter(send -> send.succeeded() && send.result()).count());
        })
        .onFailure(failure -> LOG.warn("appointment reminders failed: {}", failure.toString()))
        .eventually(() -> {
          running = false;
          passes.incrementAndGet();
          return Future.succeededFuture();
        });
  }

  /** Looks finished since start (metrics: shows the job is alive; tests wait on it). */
  public long passes() {
    return passes.get();
  }

  private Future<Boolean> sendOnce(PlannedAppointment planned, AppointmentReminders.Kind kind,
      Instant now, Policy policy) {
    Message message = kind == AppointmentReminders.Kind.REMINDER ? Message.REMINDER : Message.NOT_ARRIVED;
    if (planned.controlRoomId() == null) {
      return Future.succeededFuture(false);
    }
    // Stable per appointment, start and message: a resend after a crash mid-send is deduplicated.
    String txnId = "praatbrug.appointment." + planned.appointmentId() + "."
        + planned.start().toEpochMilli() + "." + message.name().toLowerCase(java.util.Locale.ROOT);
    return store.claim(planned.appointmentId(), message, planned.start(), now).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture(false);
      }
      return notices.send(planned.controlRoomId(),
              AppointmentReminders.text(kind, planned, now, policy.appointments()), txnId)
          .compose(sent -> store.markSent(planned.appointmentId(), message, clock.instant()))
          .map(marked -> {
            LOG.info("appointment {}: {} sent to the counsellor", planned.appointmentId(), message);
            return true;
          })
          .recover(failure -> {
            LOG.warn("appointment {}: {} not sent, retrying at the next look: {}",
                planned.appointmentId(), message, failure.toString());
            return store.release(planned.appointmentId(), message).map(false);
          });
    });
  }

  /** Records how a slot that is over went; true when it was recorded as missed. */
  private Future<Boolean> settleOnce(PlannedAppointment planned, Instant now) {
    return store.claim(planned.appointmentId(), Message.SETTLED, planned.start(), now).compose(mine -> {
      if (!mine) {
        return Future.succeededFuture(false);
      }
      return store.hadSession(planned.roomId())
          .compose(came -> {
            boolean missed = AppointmentReminders.outcome(planned, now, came)
                == AppointmentReminders.Outcome.MISSED;
            if (missed) {
              records.record(Entries.appointment(EntryKind.APPOINTMENT_MISSED, planned.clientRef(),
                  planned.appointmentId(), planned.roomId(), planned.counsellorId(), planned.start(),
                  planned.end(), null, now));
            }
            return store.markSent(planned.appointmentId(), Message.SETTLED, clock.instant())
                .map(missed);
          })
          .recover(failure -> {
            LOG.warn("appointment {}: not settled, retrying at the next look: {}",
                planned.appointmentId(), failure.toString());
            return store.release(planned.appointmentId(), Message.SETTLED).map(false);
          });
    });
  }

  private boolean arrived(String roomId) {
    CounsellingRoom room = registry.room(roomId);
    return room != null && (room.clientId() != null || room.sessionStartedAt() != null);
  }
}
