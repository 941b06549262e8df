package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention that really deletes: purges every counselling room's history older than its policy's
 * {@code max_lifetime}, and deletes closed rooms once that long has passed since closing.
 *
 * <p>Synapse's own retention feature is marked unstable, so the bridge calls the admin purge API
 * itself (the bot must be a Synapse admin) and records each run (room, cut-off, status; never
 * content).
 */
public final class RetentionJob {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final long POLL_MS = 250;
  private static final int MAX_POLLS = 480;

  private final Vertx vertx;
  private final MatrixClient matrix;
  private final RoomStore store;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final Clock clock;
  private final LedgerRecords records;
  private boolean running;

  public RetentionJob(Vertx vertx, MatrixClient matrix, RoomStore store, RoomRegistry registry,
      PolicyRepository policies, Clock clock, LedgerRecords records) {
    this.records = records;
    this.vertx = vertx;
    this.matrix = matrix;
    this.store = store;
    this.registry = registry;
    this.policies = policies;
    this.clock = clock;
  }

  /** One pass over all rooms; a pass still running makes the next one a no-op. */
  public Future<Void> runOnce() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    Future<Void> chain = Future.succeededFuture();
    for (CounsellingRoom room : registry.rooms()) {
      chain = chain.compose(previous -> forRoom(room).recover(failure -> recordFailure(room, failure)));
    }
    return chain.onComplete(done -> running = false);
  }

  private Future<Void> forRoom(CounsellingRoom room) {
    Policy policy = policies.get(room.policyName());
    Instant now = clock.instant();
    Instant cutoff = now.minus(policy.maxLifetime());
    if (!room.isOpen() && room.closedAt() != null && !room.closedAt().isAfter(cutoff)) {
      return delete(room, cutoff, now);
    }
    if (room.createdAt().isAfter(cutoff)) {
      return Future.succeededFuture(); // nothing in the room is old enough yet
    }
    return purge(room, cutoff, now);
  }

  private Future<Void> purge(CounsellingRoom room, Instant cutoff, Instant startedAt) {
    return matrix.purgeHistory(room.roomId(), cutoff.toEpochMilli()).compose(purgeId -> {
      if (purgeId.isEmpty()) {
        return store.recordRetentionRun(room.roomId(), "purge", cutoff, null, "nothing-to-purge",
            startedAt, clock.instant());
      }
      return poll(() -> matrix.purgeStatus(purgeId.get()), Set.of("complete", "failed"))
          .compose(status -> {
            LOG.info("purged history of {} up to {}: {}", room.roomId(), cutoff, status);
            if ("complete".equals(status)) {
              records.record(Entries.retentionPurge(room.clientRef(), room.roomId(), cutoff,
                  purgeId.get(), clock.instant()));
            }
            return store.recordRetentionRun(room.roomId(), "purge", cutoff, purgeId.get(), status,
                startedAt, clock.instant());
          });
    });
  }

  private Future<Void> delete(CounsellingRoom room, Instant cutoff, Instant startedAt) {
    return matrix.deleteRoom(room.roomId()).compose(deleteId ->
        poll(() -> matrix.deleteStatus(deleteId), Set.of("complete", "failed")).compose(status -> {
          LOG.info("deleted closed room {} ({}): {}", room.roomId(), room.name(), status);
          Future<Void> marked = "complete".equals(status)
              ? store.markDeleted(room.roomId(), clock.instant())
                  .onSuccess(done -> registry.forget(room.roomId()))
              : Future.succeededFuture();
          return marked.compose(done -> store.recordRetentionRun(room.roomId(), "delete", cutoff,
              deleteId, status, startedAt, clock.instant()));
        }));
  }

  /** A run that could not even start (e.g. the bot is no server admin) is recorded too, with why. */
  private Future<Void> recordFailure(CounsellingRoom room, Throwable failure) {
    LOG.warn("retention for {} failed: {}", room.roomId(), failure.toString());
    String reason = failure instanceof be.praatbrug.bridge.matrix.MatrixException matrix
        ? matrix.rawErrCode() : failure.getClass().getSimpleName();
    Instant now = clock.instant();
    Policy policy = policies.get(room.policyName());
    return store.recordRetentionRun(room.roomId(), "purge", now.minus(policy.maxLifetime()), null,
        "failed:" + reason, now, now).otherwise(ignored -> null);
  }

  /** Asks {@code status} until it says one of {@code finished}; "timeout" if it never does. */
  private Future<String> poll(Supplier<Future<String>> status, Set<String> finished) {
    Promise<String> result = Promise.promise();
    pollAgain(status, finished, 0, result);
    return result.future();
  }

  private void pollAgain(Supplier<Future<String>> status, Set<String> finished, int attempt,
      Promise<String> result) {
    status.get().onComplete(answer -> {
      if (answer.succeeded() && finished.contains(answer.result())) {
        result.complete(answer.result());
      } else if (attempt >= MAX_POLLS) {
        result.complete("timeout");
      } else {
        vertx.setTimer(POLL_MS, timer -> pollAgain(status, finished, attempt + 1, result));
      }
    });
  }
}
