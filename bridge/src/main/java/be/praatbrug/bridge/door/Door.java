package be.praatbrug.bridge.door;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.door.DoorLineStore.Ticket;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The door as the person at it sees it: whether it takes questions now, a place in the line after
 * consent, the place while waiting, and the browser's device once a counsellor took them. Consent
 * is recorded at the door, under a new client record, before anything else happens: the room a
 * counsellor opens later belongs to that record, so the person is let in without a code.
 */
public final class Door {

  /** The door takes no questions now: {@code closed_hours}, {@code line_full} or {@code nobody_on_duty}. */
  static final class Closed extends RuntimeException {
    private final String reason;

    Closed(String reason) {
      super("the door is closed: " + reason, null, false, false);
      this.reason = reason;
    }

    String reason() {
      return reason;
    }
  }

  /** The consent text changed since the page showed it. */
  static final class ConsentOutdated extends RuntimeException {
    ConsentOutdated() {
      super("the consent text changed", null, false, false);
    }
  }

  /** The place is gone: the person is in the room already. */
  static final class Gone extends RuntimeException {
    Gone() {
      super("no such place in the line", null, false, false);
    }
  }

  private final PolicyRepository policies;
  private final WaitingLine line;
  private final ConsentService consent;
  private final ClientRecords clients;
  private final DoorActions actions;
  private final Clock clock;
  private volatile boolean loaded;

  Door(PolicyRepository policies, WaitingLine line, ConsentService consent, ClientRecords clients,
      DoorActions actions, Clock clock) {
    this.policies = policies;
    this.line = line;
    this.consent = consent;
    this.clients = clients;
    this.actions = actions;
    this.clock = clock;
  }

  /** The door, its line and the counsellors' actions on it, over one store. */
  public static Door of(Database database, byte[] secret, PolicyRepository policies,
      ConsentService consent, ClientRecords clients, DoorActions.Parts takeParts, Clock clock) {
    WaitingLine line = new WaitingLine(new DoorLineStore(database), secret, clock);
    DoorActions actions = new DoorActions(line, takeParts);
    return new Door(policies, line, consent, clients, actions, clock);
  }

  public Future<Void> load() {
    return line.load().map(done -> {
      loaded = true;
      return done;
    });
  }

  /** Until the line is read from the store, no ticket can be found (and none may be called gone). */
  boolean loaded() {
    return loaded;
  }

  /**
   * Forgets people who are in their room now (the row with the nickname goes), who gave up, and
   * handovers that never happened (run every minute).
   */
  public Future<Integer> sweep() {
    var inRoom = line.taken().stream().filter(actions::inRoom).map(Ticket::number).toList();
    inRoom.forEach(actions::forget);
    return Future.join(inRoom.stream().map(line::remove).toList())
        .compose(removed -> line.sweep().map(stale -> stale + inRoom.size()));
  }

  public DoorActions actions() {
    return actions;
  }

  WaitingLine line() {
    return line;
  }

  Optional<Policy> policy() {
    return policies.door();
  }

  Instant now() {
    return clock.instant();
  }

  /** Why the door takes no question now, if it does not. */
  Optional<String> closedReason() {
    Optional<Policy> policy = policies.door();
    if (policy.isEmpty()) {
      return Optional.of("no_door");
    }
    if (!policy.get().door().openAt(now())) {
      return Optional.of("closed_hours");
    }
    if (line.onDutyCount() == 0) {
      return Optional.of("nobody_on_duty");
    }
    if (line.waiting().size() >= policy.get().door().places()) {
      return Optional.of("line_full");
    }
    return Optional.empty();
  }

  /** Consent under a new record, then a place in the line. */
  Future<WaitingLine.Entered> enter(String nickname, String language, String consentVersion) {
    Optional<String> closed = closedReason();
    if (closed.isPresent()) {
      return Future.failedFuture(new Closed(closed.get()));
    }
    Optional<ConsentText> shown = consent.current(language);
    if (shown.isEmpty() || !shown.get().version().equals(consentVersion)) {
      return Future.failedFuture(new ConsentOutdated());
    }
    int places = policies.door().orElseThrow().door().places();
    return clients.fresh(ClientRecord.DOOR)
        .compose(ref -> consent.recordFromDoor(ref, shown.get()).map(ref))
        .compose(ref -> line.enter(nickname, ref, places))
        .recover(failure -> Future.failedFuture(failure instanceof WaitingLine.LineFull
            ? new Closed("line_full") : failure));
  }

  /** What the person's page shows now: their place, or the device to come into the room with. */
  Future<JsonObject> view(Ticket ticket) {
    if (ticket.waiting() || ticket.roomId() == null) {
      int waiting = line.waiting().size();
      // Taken but the room is still being made: first in line for another moment.
      int place = Math.max(1, line.place(ticket));
      return Future.succeededFuture(new JsonObject().put("state", "waiting")
          .put("number", ticket.number()).put("place", place).put("waiting", Math.max(waiting, place))
          .put("estimate_minutes", DoorApi.minutes(line.estimate(place)))
          .put("on_duty", line.onDutyCount()));
    }
    if (actions.inRoom(ticket)) {
      return line.remove(ticket.number()).compose(removed -> Future.failedFuture(new Gone()));
    }
    return actions.handOver(ticket).map(device -> new JsonObject().put("state", "taken")
        .put("user_id", device.userId()).put("device_id", device.deviceId())
        .put("access_token", device.accessToken())
        .put("room_id", ticket.roomId()).put("counsellor_id", ticket.takenBy()));
  }

  /**
   * The door as the counsellor page shows it to {@code counsellor}: whether there is one, whether
   * she is on duty, whether it takes questions, and the line (number, nickname, since when; never
   * a question, which the bridge does not have).
   */
  public Future<JsonObject> deskView(String counsellor) {
    io.vertx.core.json.JsonArray waiting = new io.vertx.core.json.JsonArray();
    line.waiting().forEach(ticket -> waiting.add(new JsonObject().put("number", ticket.number())
        .put("nickname", ticket.nickname()).put("waiting_since", ticket.enteredAt().toEpochMilli())));
    return Future.succeededFuture(new JsonObject().put("enabled", policies.door().isPresent())
        .put("on_duty", line.onDuty(counsellor)).put("open", closedReason().isEmpty())
        .put("reason", closedReason().orElse(null)).put("line", waiting));
  }

  Future<Void> leave(Ticket ticket) {
    actions.forget(ticket.number());
    return line.leave(ticket);
  }
}
