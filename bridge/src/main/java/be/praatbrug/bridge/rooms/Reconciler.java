package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings every counselling room back in line with its policy, from the homeserver's own view of
 * the room: at startup (to repair what happened while the bridge was down, since resent
 * transactions can miss things), on a timer, and after a policy reload.
 */
public final class Reconciler {

  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final MatrixClient matrix;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final BotContext bot;
  private final byte[] knockCodeKey;
  private final Clock clock;
  private final ActionExecutor executor;
  private final Map<String, Map<String, Object>> callWidgetState;
  private final String guestLocalpartPrefix;
  /** Rooms being reconciled now; a second run for the same room waits for the next tick. */
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Run lastRun;

  /** One pass over all rooms, for the admin status page. */
  public record Run(java.time.Instant finishedAt, int rooms, int repaired) {}

  public Reconciler(MatrixClient matrix, RoomRegistry registry, PolicyRepository policies,
      BotContext bot, byte[] knockCodeKey, Clock clock, ActionExecutor executor,
      Map<String, Map<String, Object>> callWidgetState, String guestLocalpartPrefix) {
    this.callWidgetState = callWidgetState;
    this.guestLocalpartPrefix = guestLocalpartPrefix;
    this.matrix = matrix;
    this.registry = registry;
    this.policies = policies;
    this.bot = bot;
    this.knockCodeKey = knockCodeKey.clone();
    this.clock = clock;
    this.executor = executor;
  }

  /** Reconciles rooms one after another (gentle on the homeserver); returns how many needed repair. */
  public Future<Integer> reconcileAll() {
    int rooms = registry.rooms().size();
    Future<Integer> chain = Future.succeededFuture(0);
    for (CounsellingRoom room : registry.rooms()) {
      chain = chain.compose(repaired -> reconcile(room.roomId())
          .map(actions -> repaired + (actions > 0 ? 1 : 0))
          .otherwise(failure -> {
            LOG.warn("reconciling {} failed: {}", room.roomId(), failure.toString());
            return repaired;
          }));
    }
    return chain.onSuccess(repaired -> lastRun = new Run(clock.instant(), rooms, repaired));
  }

  /** The last completed pass, if any since start. */
  public java.util.Optional<Run> lastRun() {
    return java.util.Optional.ofNullable(lastRun);
  }

  /** Reloads one room's state from the homeserver and repairs it; returns the number of actions. */
  public Future<Integer> reconcile(String roomId) {
    if (!running.add(roomId)) {
      return Future.succeededFuture(0);
    }
    return reconcileNow(roomId).onComplete(done -> running.remove(roomId));
  }

  /** Ends warm referrals whose handover time is up: their rooms are reconciled now. */
  public void expireHandovers() {
    registry.expiredHandovers(clock.instant()).forEach(roomId -> reconcile(roomId)
        .onFailure(failure -> LOG.warn("ending the referral in {} failed: {}", roomId, failure.toString())));
  }

  private Future<Integer> reconcileNow(String roomId) {
    return matrix.roomState(roomId).compose(state -> {
      CounsellingRoom room = registry.room(roomId);
      if (room == null) {
        return Future.succeededFuture(0);
      }
      registry.loadState(roomId, state);
      PolicyContext context = new PolicyContext(bot, policies.get(room.policyName()), knockCodeKey,
          java.util.Set.of(), callWidgetState,
          new Clients(guestLocalpartPrefix, registry.clientsInSession()));
      List<Action> actions = RoomPolicyDecider.reconcile(context, registry.snapshot(roomId, clock.instant()));
      if (!actions.isEmpty()) {
        LOG.info("room {} ({}) drifted from policy {}: {}", roomId, room.name(), room.policyName(),
            actions.stream().map(action -> action.getClass().getSimpleName()).toList());
      }
      String batch = "reconcile." + roomId + "." + clock.millis();
      return executor.executeInOrder(actions, index -> batch + "." + index).map(done -> actions.size());
    });
  }
}
