package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rooms.FamilyCommands;
import be.praatbrug.policy.rooms.SessionCommands;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a consent decision changes in the rooms, as the policy core decides it.
 *
 * <p>Consent given: Synapse treats a second knock as a no-op, so a knock that waited for consent
 * would wait for ever. Every open room the person knocks on is looked at again at once, with the
 * code of the waiting knock (read back from the room's state, never kept by the bridge): a valid
 * code lets them in, otherwise the counsellor hears that consent is there.
 *
 * <p>Consent withdrawn: the client's running session ends, as when the counsellor ends it, and the
 * counsellor is told why.
 */
public final class ConsentFollowUp implements ConsentService.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(ConsentFollowUp.class);

  private final MatrixClient matrix;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final BotContext bot;
  private final byte[] knockCodeKey;
  private final Clock clock;
  private final ActionExecutor executor;
  private final Map<String, Map<String, Object>> callWidgetState;
  private final String guestLocalpartPrefix;
  private final Map<String, Long> lastQuickExit = new java.util.concurrent.ConcurrentHashMap<>();
  private java.util.function.Function<Set<String>, Future<Set<String>>> consentOnRecord =
      users -> Future.succeededFuture(Set.of());

  public ConsentFollowUp(MatrixClient matrix, RoomRegistry registry, PolicyRepository policies,
      BotContext bot, byte[] knockCodeKey, Clock clock, ActionExecutor executor,
      Map<String, Map<String, Object>> callWidgetState, String guestLocalpartPrefix) {
    this.matrix = matrix;
    this.registry = registry;
    this.policies = policies;
    this.bot = bot;
    this.knockCodeKey = knockCodeKey.clone();
    this.clock = clock;
    this.executor = executor;
    this.callWidgetState = callWidgetState;
    this.guestLocalpartPrefix = guestLocalpartPrefix;
  }

  /** How the consent of knockers is checked (the ledger, with a child's parent in the session). */
  public void useConsentCheck(
      java.util.function.Function<Set<String>, Future<Set<String>>> consentOnRecord) {
    this.consentOnRecord = consentOnRecord;
  }

  @Override
  public void linkConsentGiven(String clientRef) {
    registry.openFamilyRoomsWith(clientRef).forEach(this::lookAtKnocksAgain);
  }

  @Override
  public void placeTaken(String roomId) {
    lookAtKnocksAgain(roomId);
  }

  /** Every knock waiting in {@code roomId} whose consent counts now goes in. */
  private void lookAtKnocksAgain(String roomId) {
    for (String knocker : registry.knockersIn(roomId)) {
      consentOnRecord.apply(Set.of(knocker))
          .compose(consented -> consented.contains(knocker) ? admitWaitingKnock(roomId, knocker)
              : Future.succeededFuture(0))
          .onFailure(failure -> LOG.warn("a waiting knock in {} was not looked at again: {}",
              roomId, failure.toString()));
    }
  }

  @Override
  public void consentGiven(String userId) {
    for (String roomId : registry.roomsKnockedOnBy(userId)) {
      admitWaitingKnock(roomId, userId).onFailure(failure -> LOG.warn(
          "a waiting knock in {} was not looked at again after consent: {}", roomId,
          failure.toString()));
    }
  }

  /** Looks at one waiting knock again, now that consent is on record; returns the actions taken. */
  public Future<Integer> admitWaitingKnock(String roomId, String userId) {
    return matrix.roomState(roomId).compose(state -> {
      CounsellingRoom room = registry.room(roomId);
      if (room == null) {
        return Future.succeededFuture(0);
      }
      registry.loadState(roomId, state);
      PolicyContext context = new PolicyContext(bot, policies.get(room.policyName()), knockCodeKey,
          Set.of(userId), callWidgetState,
          new Clients(guestLocalpartPrefix, registry.clientsInSession()));
      RoomSnapshot snapshot = registry.snapshot(roomId, clock.instant());
      Decision decision = RoomPolicyDecider.knockAfterConsent(context, snapshot, userId,
          knockReason(state, userId));
      if (!(decision instanceof Decision.Act act)) {
        return Future.succeededFuture(0);
      }
      LOG.info("a knock in {} ({}) that waited for consent: {}", roomId, room.name(),
          act.actions().stream().map(action -> action.getClass().getSimpleName()).toList());
      String batch = "after-consent." + roomId + "." + clock.millis();
      return executor.executeInOrder(act.actions(), index -> batch + "." + index)
          .map(done -> act.actions().size());
    });
  }

  @Override
  public void consentWithdrawn(String clientRef) {
    for (String roomId : registry.openRoomsOfClient(clientRef)) {
      endAfterWithdrawal(roomId).onFailure(failure -> LOG.error(
          "the session in {} did not end after the client withdrew consent: {}", roomId,
          failure.toString()));
    }
    registry.openPlacesOf(clientRef).forEach((roomId, userId) ->
        participantWithdrew(roomId, userId).onFailure(failure -> LOG.error(
            "a participant in {} was not removed after withdrawing consent: {}", roomId,
            failure.toString())));
  }

  @Override
  public void consentWithdrawnBy(String userId) {
    registry.openPlacesHeldBy(userId).forEach(roomId ->
        participantWithdrew(roomId, userId).onFailure(failure -> LOG.error(
            "a participant in {} was not removed after withdrawing consent: {}", roomId,
            failure.toString())));
  }

  /** A family session's participant on a named place withdrew consent: they leave, the rest goes on. */
  public Future<Void> participantWithdrew(String roomId, String userId) {
    CounsellingRoom room = registry.room(roomId);
    if (room == null || !room.isOpen()) {
      return Future.succeededFuture();
    }
    String noticeRoom = room.controlRoomId() != null ? room.controlRoomId() : roomId;
    List<Action> actions = FamilyCommands.participantWithdrew(
        registry.snapshot(roomId, clock.instant()), userId, noticeRoom);
    String batch = "withdrawn." + roomId + "." + userId + "." + clock.millis();
    return executor.executeInOrder(actions, index -> batch + "." + index);
  }

  /** Ends the session in {@code roomId} because its client withdrew consent. */
  public Future<Void> endAfterWithdrawal(String roomId) {
    CounsellingRoom room = registry.room(roomId);
    if (room == null || !room.isOpen()) {
      return Future.succeededFuture();
    }
    String noticeRoom = room.controlRoomId() != null ? room.controlRoomId() : roomId;
    List<Action> actions = SessionCommands.endAfterWithdrawal(
        registry.snapshot(roomId, clock.instant()), bot, noticeRoom);
    String batch = "withdrawn." + roomId + "." + clock.millis();
    return executor.executeInOrder(actions, index -> batch + "." + index);
  }

  /**
   * The client left in a hurry (quick exit on the client page): the counsellor hears it in her
   * direct chat with the bot, at most once a minute per room (a client may tap it again and again).
   */
  public Future<Void> clientLeftInAHurry(String roomId) {
    return clientLeftInAHurry(roomId, null);
  }

  /** The same for a family session's participant ({@code ref}: their place's record, else null). */
  public Future<Void> clientLeftInAHurry(String roomId, String ref) {
    CounsellingRoom room = registry.room(roomId);
    if (room == null || !room.isOpen()) {
      return Future.succeededFuture();
    }
    long now = clock.millis();
    String key = ref == null ? roomId : roomId + "#" + ref;
    Long last = lastQuickExit.get(key);
    if (last != null && now - last < 60_000) {
      return Future.succeededFuture();
    }
    lastQuickExit.put(key, now);
    String noticeRoom = room.controlRoomId() != null ? room.controlRoomId() : roomId;
    List<Action> actions = SessionCommands.clientLeftInAHurry(
        registry.snapshot(roomId, clock.instant()), noticeRoom, ref);
    LOG.info("the client in {} left with the quick exit", roomId);
    return executor.executeInOrder(actions, index -> "quick-exit." + roomId + "." + now + "." + index);
  }

  /** The reason (the typed code) of {@code userId}'s knock in the room's state, or null. */
  static String knockReason(JsonArray state, String userId) {
    for (int i = 0; i < state.size(); i++) {
      JsonObject event = state.getJsonObject(i);
      if ("m.room.member".equals(event.getString("type")) && userId.equals(event.getString("state_key"))) {
        JsonObject content = event.getJsonObject("content", new JsonObject());
        return "knock".equals(content.getString("membership")) ? content.getString("reason") : null;
      }
    }
    return null;
  }
}
