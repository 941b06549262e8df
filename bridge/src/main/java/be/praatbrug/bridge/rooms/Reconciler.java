package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.bridge.pipeline.DryRunExecutor;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomPolicyDecider;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
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
  /** Whose consent is on record among the people asked about (the consent ledger). */
  private final Function<Collection<String>, Future<Set<String>>> consentOnRecord;
  /** Rooms fetched and repaired at once in a pass ({@code rooms.reconcile_concurrency}). */
  private final int concurrency;
  /** Rooms being reconciled now; a second run for the same room waits for the next tick. */
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Rooms asked for while their reconciliation ran: it may have read them before the reason came. */
  private final java.util.Set<String> again = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Run lastRun;

  /** One pass over all rooms, for the admin status page. */
  public record Run(java.time.Instant finishedAt, int rooms, int repaired) {}

  public Reconciler(MatrixClient matrix, RoomRegistry registry, PolicyRepository policies,
      BotContext bot, byte[] knockCodeKey, Clock clock, ActionExecutor executor,
      Map<String, Map<String, Object>> callWidgetState, String guestLocalpartPrefix, int concurrency,
      Function<Collection<String>, Future<Set<String>>> consentOnRecord) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1: " + concurrency);
    }
    this.consentOnRecord = consentOnRecord;
    this.concurrency = concurrency;
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

  /**
   * Reconciles every room, at most {@code concurrency} at a time: one after another would take
   * thousands of round trips end to end, all at once would flood the homeserver. A room that fails
   * is logged and counted as not repaired; the others go on. Returns how many needed repair.
   */
  public Future<Integer> reconcileAll() {
    Pass pass = new Pass(registry.rooms());
    for (int worker = 0; worker < concurrency; worker++) {
      work(pass);
    }
    return pass.done.future().map(repaired -> {
      lastRun = new Run(clock.instant(), pass.total, repaired);
      return repaired;
    });
  }

  /** Takes the pass's rooms one by one until none are left; each completion starts the next. */
  private void work(Pass pass) {
    for (CounsellingRoom room = pass.queue.poll(); room != null; room = pass.queue.poll()) {
      String roomId = room.roomId();
      Future<Integer> one = reconcile(roomId).andThen(result -> pass.finished(roomId, result));
      if (!one.isComplete()) {
        one.onComplete(done -> work(pass));
        return;
      }
      // Completed at once (e.g. the room is being reconciled already): loop on rather than nest a
      // call per room, which would grow the stack with the number of rooms.
    }
  }

  /** One pass over all rooms; its counters are touched from whichever thread completes a room. */
  private static final class Pass {
    final Queue<CounsellingRoom> queue;
    final int total;
    final AtomicInteger left;
    final AtomicInteger repaired = new AtomicInteger();
    final Promise<Integer> done = Promise.promise();

    Pass(Collection<CounsellingRoom> rooms) {
      queue = new ConcurrentLinkedQueue<>(rooms);
      total = rooms.size();
      left = new AtomicInteger(total);
      if (total == 0) {
        done.complete(0);
      }
    }

    void finished(String roomId, AsyncResult<Integer> result) {
      if (result.failed()) {
        LOG.warn("reconciling {} failed: {}", roomId, result.cause().toString());
      } else if (result.result() > 0) {
        repaired.incrementAndGet();
      }
      if (left.decrementAndGet() == 0) {
        done.complete(repaired.get());
      }
    }
  }

  /** The last completed pass, if any since start. */
  public java.util.Optional<Run> lastRun() {
    return java.util.Optional.ofNullable(lastRun);
  }

  /**
   * Reloads one room's state from the homeserver and repairs it; returns the number of actions. A
   * room already being reconciled is done once more right after (0 now).
   */
  public Future<Integer> reconcile(String roomId) {
    if (!running.add(roomId)) {
      again.add(roomId);
      return Future.succeededFuture(0);
    }
    Future<Integer> actions;
    try {
      actions = reconcileNow(roomId);
    } catch (RuntimeException e) {
      // Thrown before any future: still one failed room, and not one marked running for good.
      actions = Future.failedFuture(e);
    }
    return actions.andThen(done -> {
      running.remove(roomId);
      if (again.remove(roomId)) {
        reconcile(roomId).onFailure(failure -> LOG.warn("reconciling {} again failed: {}", roomId,
            failure.toString()));
      }
    });
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
      RoomSnapshot snapshot = registry.snapshot(roomId, clock.instant());
      return consentOfInvited(policies.get(room.policyName()), snapshot).compose(consented -> {
        PolicyContext context = new PolicyContext(bot, policies.get(room.policyName()), knockCodeKey,
            consented, callWidgetState, new Clients(guestLocalpartPrefix, registry.clientsInSession()));
        List<Action> actions = RoomPolicyDecider.reconcile(context, snapshot);
        if (!actions.isEmpty()) {
          LOG.info("room {} ({}) drifted from policy {}: {}", roomId, room.name(), room.policyName(),
              actions.stream().map(action -> action.getClass().getSimpleName()).toList());
        }
        String batch = "reconcile." + roomId + "." + clock.millis();
        return executor.executeInOrder(actions, index -> batch + "." + index).map(done -> actions.size());
      });
    });
  }

  /** What reconciling one room under a policy being edited would do (nothing is done). */
  public record Preview(String roomName, List<Action> actions) {}

  /**
   * What saving {@code candidate} would do to the rooms now under a policy of the same name: each
   * room's reconciliation under the candidate, run through a {@link DryRunExecutor} on the state
   * the bridge keeps (no homeserver call, nothing changed). Rooms that would not change are left out.
   */
  public Future<List<Preview>> preview(Policy candidate) {
    List<CounsellingRoom> affected = registry.rooms().stream()
        .filter(room -> room.policyName().equals(candidate.name()))
        .sorted(java.util.Comparator.comparing(CounsellingRoom::createdAt)).toList();
    List<Future<Preview>> previews = new java.util.ArrayList<>();
    for (CounsellingRoom room : affected) {
      RoomSnapshot snapshot = registry.snapshot(room.roomId(), clock.instant());
      previews.add(consentOfInvited(candidate, snapshot).compose(consented -> {
        PolicyContext context = new PolicyContext(bot, candidate, knockCodeKey, consented,
            callWidgetState, new Clients(guestLocalpartPrefix, registry.clientsInSession()));
        DryRunExecutor dryRun = new DryRunExecutor();
        return dryRun.executeInOrder(RoomPolicyDecider.reconcile(context, snapshot), index -> "preview." + index)
            .map(done -> new Preview(room.name(), dryRun.planned()));
      }));
    }
    return Future.all(previews).map(all -> previews.stream().map(Future::result)
        .filter(preview -> !preview.actions().isEmpty()).toList());
  }

  /**
   * Consent matters for invites only (as on the event path), and is looked up only for the people
   * invited now, and only under a policy that requires it: most passes ask nothing.
   */
  private Future<Set<String>> consentOfInvited(Policy policy, RoomSnapshot snapshot) {
    if (!policy.consentRequired()) {
      return Future.succeededFuture(Set.of());
    }
    Set<String> invited = snapshot.memberships().entrySet().stream()
        .filter(member -> member.getValue().equals("invite"))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    return invited.isEmpty() ? Future.succeededFuture(Set.of()) : consentOnRecord.apply(invited);
  }
}
