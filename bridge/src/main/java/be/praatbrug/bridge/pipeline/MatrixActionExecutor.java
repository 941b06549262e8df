package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.clients.ClientRecordReplies;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.entry.GuestAccounts;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.ops.FaultPoint;
import be.praatbrug.bridge.rooms.Admissions;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the policy core's actions: on the homeserver as the bot, and in the store through
 * {@link RoomLifecycle}. The one place where decisions become effects.
 */
public final class MatrixActionExecutor implements ActionExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(MatrixActionExecutor.class);

  private final MatrixClient matrix;
  private final RoomLifecycle rooms;
  private final RoomRegistry registry;
  private final ConsentService consent;
  private final GuestAccounts guests;
  private final Notices notices;
  private final DirectChats directChats;
  private final ClientRecordReplies clientRecords;
  private final Admissions admissions;
  private final be.praatbrug.bridge.appointments.AppointmentActions appointments;
  private final be.praatbrug.bridge.door.DoorActions door;

  /** The parts that carry out actions; all exist in the running bridge. */
  public record Parts(MatrixClient matrix, RoomLifecycle rooms, RoomRegistry registry,
      ConsentService consent, GuestAccounts guests, Notices notices, DirectChats directChats,
      ClientRecordReplies clientRecords, Admissions admissions,
      be.praatbrug.bridge.appointments.AppointmentActions appointments,
      be.praatbrug.bridge.door.DoorActions door) {}

  public MatrixActionExecutor(Parts parts) {
    this.matrix = parts.matrix();
    this.rooms = parts.rooms();
    this.registry = parts.registry();
    this.consent = parts.consent();
    this.guests = parts.guests();
    this.notices = parts.notices();
    this.directChats = parts.directChats();
    this.clientRecords = parts.clientRecords();
    this.admissions = parts.admissions();
    this.appointments = parts.appointments();
    this.door = parts.door();
  }

  @Override
  public Future<Void> execute(Action action, String idempotencyKey) {
    if (action instanceof Action.Kick kick) {
      // Count the person out at once, so the next event in this room is judged without them.
      registry.setMembership(kick.roomId(), kick.userId(), "leave");
      // Recorded once: a person already out (a resent event) was removed and recorded before.
      return matrix.kick(kick.roomId(), kick.userId(), kick.reason())
          .onSuccess(removed -> {
            if (removed) {
              rooms.recordRemoval(kick);
            }
          }).mapEmpty();
    }
    if (action instanceof Action.Invite invite) {
      registry.setMembership(invite.roomId(), invite.userId(), "invite", matrix.botUserId());
      return matrix.invite(invite.roomId(), invite.userId())
          .onSuccess(sent -> FaultPoint.reach(FaultPoint.INVITE_SENT));
    }
    if (action instanceof Action.SetState set) {
      return matrix.sendState(set.roomId(), set.eventType(), set.stateKey(), new JsonObject(set.content()))
          .mapEmpty();
    }
    if (action instanceof Action.SendNotice notice) {
      // In an encrypted room the notice goes through the bot's E2EE device, never in plain text.
      Future<Void> sent = notices.send(notice.roomId(), notice.plainText(), idempotencyKey);
      if (!registry.isManaged(notice.roomId())) {
        return sent;
      }
      // In a counselling room, encrypting (key queries, key sharing) takes round trips: the room's
      // next event, maybe an intruder to remove, must not wait for a greeting.
      sent.onFailure(failure -> LOG.warn("a notice in a counselling room failed: {}", failure.toString()));
      return Future.succeededFuture();
    }
    if (action instanceof Action.LeaveAsGuest leave) {
      return matrix.leaveAs(leave.roomId(), leave.userId());
    }
    if (action instanceof Action.JoinRoom join) {
      return matrix.joinRoom(join.roomId());
    }
    if (action instanceof Action.CreateCounsellingRoom create) {
      return rooms.create(create);
    }
    if (action instanceof Action.IssueKnockCode issue) {
      return rooms.issueCode(issue, false);
    }
    if (action instanceof Action.AdmitClient admit) {
      return admissions.admit(admit);
    }
    if (action instanceof Action.StartSession start) {
      return rooms.startSession(start);
    }
    if (action instanceof Action.EndSession end) {
      // A link client's account ends with the session: its keys and token go with it.
      return rooms.endSession(end).compose(ended -> admissions.forget(end.roomId()))
          .compose(forgotten -> guests.endIn(end.roomId())).mapEmpty();
    }
    if (action instanceof Action.DirectMessage message) {
      // Not waited for: the room's next event must not wait for a chat to be made elsewhere.
      directChats.with(message.userId())
          .compose(chat -> notices.send(chat, message.plainText(), idempotencyKey))
          .onFailure(failure -> LOG.warn("a direct message about {} failed: {}", message.roomId(),
              failure.toString()));
      return Future.succeededFuture();
    }
    if (action instanceof Action.ShowClientRecord show) {
      return clientRecords.show(show);
    }
    if (action instanceof Action.SetClientLabel label) {
      return clientRecords.setLabel(label);
    }
    if (action instanceof Action.PlanAppointment plan) {
      return appointments.plan(plan, idempotencyKey);
    }
    if (action instanceof Action.MoveAppointment move) {
      return appointments.move(move, idempotencyKey);
    }
    if (action instanceof Action.CancelAppointment cancel) {
      return appointments.cancel(cancel);
    }
    if (action instanceof Action.SetDoorDuty duty) {
      return door.setDuty(duty, idempotencyKey);
    }
    if (action instanceof Action.ShowDoorLine show) {
      return door.showLine(show, idempotencyKey);
    }
    if (action instanceof Action.TakeFromDoor take) {
      return door.take(take, idempotencyKey);
    }
    if (action instanceof Action.CreateOverlegRoom create) {
      return rooms.createOverleg(create);
    }
    if (action instanceof Action.StartReferral start) {
      return rooms.startReferral(start);
    }
    if (action instanceof Action.CompleteReferral complete) {
      return rooms.completeReferral(complete);
    }
    if (action instanceof Action.EndReferral end) {
      return rooms.endReferral(end);
    }
    if (action instanceof Action.ShowConsentText show) {
      return consent.show(show);
    }
    if (action instanceof Action.RecordConsent record) {
      return consent.record(record);
    }
    if (action instanceof Action.WithdrawConsent withdraw) {
      return consent.withdraw(withdraw);
    }
    return Future.failedFuture(new IllegalArgumentException("no executor for " + action));
  }
}
