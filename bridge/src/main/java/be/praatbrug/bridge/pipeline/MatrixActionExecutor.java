package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.clients.ClientRecordReplies;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.entry.GuestAccounts;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.ops.FaultPoint;
import be.praatbrug.bridge.rooms.Admissions;
import be.praatbrug.bridge.rooms.FamilyPlaces;
import be.praatbrug.bridge.rooms.RoomLifecycle;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes the policy core's actions: on the homeserver as the bot, and in the store through
 * {@link RoomLifecycle}. The one place where decisions become effects: one step per kind of
 * {@link Action}, looked up by the action's class. {@code MatrixActionExecutorTest} holds the steps
 * against {@code Action}'s permitted kinds, so a new action without a step fails the build.
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
  private final FamilyPlaces family;
  private final Map<Class<? extends Action>, Step<? extends Action>> steps = new HashMap<>();

  /** What one kind of action does. */
  @FunctionalInterface
  private interface Step<A extends Action> {
    Future<Void> run(A action, String idempotencyKey);
  }

  /** The parts that carry out actions; all exist in the running bridge. */
  public record Parts(MatrixClient matrix, RoomLifecycle rooms, RoomRegistry registry,
      ConsentService consent, GuestAccounts guests, Notices notices, DirectChats directChats,
      ClientRecordReplies clientRecords, Admissions admissions,
      be.praatbrug.bridge.appointments.AppointmentActions appointments,
      be.praatbrug.bridge.door.DoorActions door, FamilyPlaces family) {}

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
    this.family = parts.family();
    onMembership();
    onRoomsAndSessions();
    onChatsAndRecords();
    onReferralsAndConsent();
  }

  private <A extends Action> void on(Class<A> kind, Step<A> step) {
    if (steps.put(kind, step) != null) {
      throw new IllegalStateException("two steps for " + kind.getSimpleName());
    }
  }

  /** The kinds of action this executor has a step for. */
  Set<Class<? extends Action>> kinds() {
    return Set.copyOf(steps.keySet());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Future<Void> execute(Action action, String idempotencyKey) {
    Step<Action> step = (Step<Action>) steps.get(action.getClass());
    if (step == null) {
      return Future.failedFuture(new IllegalArgumentException("no executor for " + action));
    }
    return step.run(action, idempotencyKey);
  }

  private void onMembership() {
    on(Action.Kick.class, (kick, key) -> {
      // Count the person out at once, so the next event in this room is judged without them.
      registry.setMembership(kick.roomId(), kick.userId(), "leave");
      // Recorded once: a person already out (a resent event) was removed and recorded before.
      return matrix.kick(kick.roomId(), kick.userId(), kick.reason())
          .<Void>map(removed -> {
            if (removed) {
              try {
                rooms.recordRemoval(kick);
              } catch (RuntimeException e) {
                // The person is out: the kick stands, whatever the record does.
                LOG.error("a removal from {} was not recorded: {}", kick.roomId(), e.toString());
              }
            }
            return null;
          });
    });
    on(Action.Invite.class, (invite, key) -> {
      registry.setMembership(invite.roomId(), invite.userId(), "invite", matrix.botUserId());
      return matrix.invite(invite.roomId(), invite.userId()).map(sent -> {
        FaultPoint.reach(FaultPoint.INVITE_SENT);
        return sent;
      });
    });
    on(Action.SetState.class, (set, key) -> matrix.sendState(set.roomId(), set.eventType(),
        set.stateKey(), new JsonObject(set.content())).mapEmpty());
    on(Action.LeaveAsGuest.class, (leave, key) -> matrix.leaveAs(leave.roomId(), leave.userId()));
    on(Action.JoinRoom.class, (join, key) -> matrix.joinRoom(join.roomId()));
    on(Action.AdmitClient.class, (admit, key) -> admissions.admit(admit));
  }

  private void onRoomsAndSessions() {
    on(Action.CreateCounsellingRoom.class, (create, key) -> rooms.create(create));
    on(Action.IssueKnockCode.class, (issue, key) -> issue.place() == Place.CLIENT
        ? rooms.issueCode(issue, false) : family.issueCode(issue, false));
    on(Action.AddPlace.class, (add, key) -> family.add(add));
    // A child's waiting knock may go in now that the parent already in counts as one.
    on(Action.SetParentPlace.class, (mark, key) -> family.setParent(mark, key)
        .map(marked -> {
          consent.placeTaken(mark.roomId());
          return marked;
        }));
    on(Action.PlaceEntered.class, (entered, key) -> family.entered(entered)
        .map(recorded -> {
          if (entered.justJoined()) {
            consent.placeTaken(entered.roomId());
          }
          return recorded;
        }));
    // The place's guest accounts end with it: the page can no longer act for its record.
    on(Action.FreePlace.class, (free, key) -> family.free(free)
        .compose(freed -> guests.endInPlace(free.roomId(), free.place())).mapEmpty());
    on(Action.StartSession.class, (start, key) -> rooms.startSession(start)
        .compose(started -> family.sessionStarted(start.roomId())));
    on(Action.EndSession.class, (end, key) -> {
      String counsellorId = registry.room(end.roomId()).counsellorId();
      // A link client's account ends with the session: its keys and token go with it.
      return rooms.endSession(end).compose(ended -> admissions.forget(end.roomId()))
          .compose(forgotten -> family.sessionEnded(end.roomId(), counsellorId))
          .compose(forgotten -> guests.endIn(end.roomId())).mapEmpty();
    });
    on(Action.CreateOverlegRoom.class, (create, key) -> rooms.createOverleg(create));
    on(Action.PlanAppointment.class, (plan, key) -> appointments.plan(plan, key));
    on(Action.MoveAppointment.class, (move, key) -> appointments.move(move, key));
    on(Action.CancelAppointment.class, (cancel, key) -> appointments.cancel(cancel));
    on(Action.SetDoorDuty.class, (duty, key) -> door.setDuty(duty, key));
    on(Action.ShowDoorLine.class, (show, key) -> door.showLine(show, key));
    on(Action.TakeFromDoor.class, (take, key) -> door.take(take, key));
  }

  private void onChatsAndRecords() {
    on(Action.SendNotice.class, (notice, key) -> {
      // In an encrypted room the notice goes through the bot's E2EE device, never in plain text.
      Future<Void> sent = notices.send(notice.roomId(), notice.plainText(), key);
      if (!registry.isManaged(notice.roomId())) {
        return sent;
      }
      // In a counselling room, encrypting (key queries, key sharing) takes round trips: the room's
      // next event, maybe an intruder to remove, must not wait for a greeting.
      sent.onFailure(failure -> LOG.warn("a notice in a counselling room failed: {}", failure.toString()));
      return Future.succeededFuture();
    });
    on(Action.DirectMessage.class, (message, key) -> {
      // Not waited for: the room's next event must not wait for a chat to be made elsewhere.
      directChats.with(message.userId())
          .compose(chat -> notices.send(chat, message.plainText(), key))
          .onFailure(failure -> LOG.warn("a direct message about {} failed: {}", message.roomId(),
              failure.toString()));
      return Future.succeededFuture();
    });
    on(Action.ShowClientRecord.class, (show, key) -> clientRecords.show(show));
    on(Action.SetClientLabel.class, (label, key) -> clientRecords.setLabel(label));
  }

  private void onReferralsAndConsent() {
    on(Action.StartReferral.class, (start, key) -> rooms.startReferral(start));
    on(Action.CompleteReferral.class, (complete, key) -> rooms.completeReferral(complete));
    on(Action.EndReferral.class, (end, key) -> rooms.endReferral(end));
    on(Action.ShowConsentText.class, (show, key) -> consent.show(show));
    on(Action.RecordConsent.class, (record, key) -> consent.record(record));
    on(Action.WithdrawConsent.class, (withdraw, key) -> consent.withdraw(withdraw));
  }
}
