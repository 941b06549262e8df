package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.retention.FileDeletion;
import be.praatbrug.bridge.retention.RoomActivity;
import be.praatbrug.bridge.retention.RoomActivity.Marker;
import be.praatbrug.bridge.retention.RoomFiles;
import be.praatbrug.policy.retention.RetentionPlanner;
import be.praatbrug.policy.retention.RetentionPlanner.DeleteFiles;
import be.praatbrug.policy.retention.RetentionPlanner.DeleteRoom;
import be.praatbrug.policy.retention.RetentionPlanner.PurgeBefore;
import be.praatbrug.policy.retention.RetentionPlanner.PurgeUpToMarker;
import be.praatbrug.policy.retention.RetentionPlanner.RoomFacts;
import be.praatbrug.policy.retention.RetentionPlanner.SendMarker;
import be.praatbrug.policy.retention.RetentionPlanner.Step;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention that really deletes, everywhere: each pass asks {@link RetentionPlanner} what to do
 * with each counselling room (purge history older than the policy's {@code max_lifetime}, send a
 * content-free marker so the last real message is never the newest, delete the room's files from
 * the media store, delete a closed room once that long has passed) and does it through Synapse's
 * admin API (the bot must be a server admin). Every run is recorded: room, cut-off, status, and
 * for files their count and bytes; never names or content.
 */
public final class RetentionJob {

  /** The imperative parts a pass needs. */
  public record Parts(Vertx vertx, MatrixClient matrix, RetentionCalls calls, RoomStore store,
      RoomRegistry registry, PolicyRepository policies, Clock clock, LedgerRecords records,
      RoomFiles files, RoomActivity activity, Duration quietAfter) {}

  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  private static final long POLL_MS = 250;
  private static final int MAX_POLLS = 480;
  /** Enough newest events to find the last real one behind a marker or two. */
  private static final int RESTORE_EVENTS = 20;

  private final Parts parts;
  private final FileDeletion fileDeletion;
  private boolean running;
  private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();

  public RetentionJob(Parts parts) {
    this.parts = parts;
    this.fileDeletion = new FileDeletion(parts.calls(), parts.files(), parts.records()::record, parts.clock());
  }

  /** One pass over all rooms; a pass still running makes the next one a no-op. */
  public Future<Void> runOnce() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    Future<Void> chain = Future.succeededFuture();
    for (CounsellingRoom room : parts.registry().rooms()) {
      chain = chain.compose(previous -> forRoom(room).recover(failure -> recordFailure(room, failure)));
    }
    return chain.andThen(done -> {
      running = false;
      passes.incrementAndGet();
    });
  }

  /** Passes finished since start (metrics: shows the job is alive; tests wait on it). */
  public long passes() {
    return passes.get();
  }

  private Future<Void> forRoom(CounsellingRoom room) {
    Policy policy = parts.policies().get(room.policyName());
    return activityKnown(room).compose(known -> filesOf(room)).compose(files -> {
      Instant now = parts.clock().instant();
      Marker marker = parts.activity().lastMarker(room.roomId());
      RoomFacts facts = new RoomFacts(policy.maxLifetime(), room.createdAt(), room.isOpen(),
          room.closedAt(), parts.activity().lastActivity(room.roomId()),
          marker == null ? null : marker.sentAt(), parts.activity().purgedToMarker(room.roomId()),
          files);
      Instant cutoff = now.minus(policy.maxLifetime());
      Future<Void> chain = Future.succeededFuture();
      for (Step step : RetentionPlanner.plan(facts, now, parts.quietAfter())) {
        chain = chain.compose(done -> run(step, room, cutoff, now));
      }
      return chain;
    });
  }

  /**
   * After a restart, the room's last activity and marker from its newest events, once; a room that
   * cannot be read now is tried again on the next pass and counts as active at the start meanwhile.
   */
  private Future<Void> activityKnown(CounsellingRoom room) {
    if (parts.activity().known(room.roomId())) {
      return Future.succeededFuture();
    }
    return parts.calls().newestEvents(room.roomId(), RESTORE_EVENTS)
        .<Void>map(events -> {
          parts.activity().restore(room.roomId(), events);
          return null;
        })
        .recover(failure -> {
          LOG.debug("retention: the newest events of {} could not be read: {}", room.roomId(), failure.toString());
          return Future.succeededFuture();
        });
  }

  /** The room's files: those the pages registered, and every upload of the room's guests. */
  private Future<List<StoredFile>> filesOf(CounsellingRoom room) {
    return parts.files().registered(room.roomId()).compose(registered ->
        parts.files().uploaders(room.roomId()).compose(uploaders -> {
          Future<List<StoredFile>> all = Future.succeededFuture(new ArrayList<>(registered));
          for (String uploader : uploaders) {
            all = all.compose(collected -> parts.calls().uploadsOf(uploader).map(uploads -> {
              uploads.forEach(media -> collected.add(media.toFile()));
              return collected;
            }));
          }
          return all;
        }));
  }

  private Future<Void> run(Step step, CounsellingRoom room, Instant cutoff, Instant startedAt) {
    if (step instanceof SendMarker) {
      return sendMarker(room);
    }
    if (step instanceof PurgeUpToMarker) {
      Marker marker = parts.activity().lastMarker(room.roomId());
      return parts.calls().purgeUpTo(room.roomId(), marker.eventId())
          .compose(purgeId -> finishPurge(room, cutoff, startedAt, purgeId))
          .map(done -> {
            parts.activity().purgedUpTo(room.roomId(), marker);
            return done;
          });
    }
    if (step instanceof PurgeBefore purge) {
      return purgeBefore(room, purge.cutoff(), startedAt);
    }
    if (step instanceof DeleteFiles files) {
      return fileDeletion.run(room.roomId(), room.clientRef(), files, cutoff, startedAt);
    }
    if (step instanceof DeleteRoom) {
      return delete(room, cutoff, startedAt);
    }
    return Future.failedFuture(new IllegalStateException("unknown retention step " + step));
  }

  private Future<Void> sendMarker(CounsellingRoom room) {
    Instant sentAt = parts.clock().instant();
    return parts.matrix().sendEvent(room.roomId(), RoomActivity.MARKER_TYPE,
            "retention-" + UUID.randomUUID(), new JsonObject())
        .map(eventId -> {
          parts.activity().markerSent(room.roomId(), new Marker(eventId, sentAt));
          return null;
        });
  }

  /** Up to the first event after the cut-off, so no expired event is kept as "the last one". */
  private Future<Void> purgeBefore(CounsellingRoom room, Instant cutoff, Instant startedAt) {
    return parts.calls().firstEventAfter(room.roomId(), cutoff).compose(first -> first.isPresent()
        ? parts.calls().purgeUpTo(room.roomId(), first.get())
        : parts.matrix().purgeHistory(room.roomId(), cutoff.toEpochMilli()))
        .compose(purgeId -> finishPurge(room, cutoff, startedAt, purgeId));
  }

  private Future<Void> finishPurge(CounsellingRoom room, Instant cutoff, Instant startedAt,
      Optional<String> purgeId) {
    if (purgeId.isEmpty()) {
      return parts.store().recordRetentionRun(room.roomId(), "purge", cutoff, null,
          "nothing-to-purge", startedAt, parts.clock().instant());
    }
    return poll(() -> parts.calls().purgeStatus(purgeId.get()), Set.of("complete", "failed"))
        .compose(status -> {
          LOG.info("purged history of {} up to {}: {}", room.roomId(), cutoff, status);
          if ("complete".equals(status)) {
            parts.records().record(Entries.retentionPurge(room.clientRef(), room.roomId(), cutoff,
                purgeId.get(), parts.clock().instant()));
          }
          return parts.store().recordRetentionRun(room.roomId(), "purge", cutoff, purgeId.get(),
              status, startedAt, parts.clock().instant());
        });
  }

  private Future<Void> delete(CounsellingRoom room, Instant cutoff, Instant startedAt) {
    return parts.matrix().deleteRoom(room.roomId()).compose(deleteId ->
        poll(() -> parts.matrix().deleteStatus(deleteId), Set.of("complete", "failed")).compose(status -> {
          LOG.info("deleted closed room {}: {}", room.roomId(), status);
          Future<Void> marked = "complete".equals(status)
              ? parts.store().markDeleted(room.roomId(), parts.clock().instant())
                  .compose(done -> parts.files().forgetRoom(room.roomId()))
                  .map(done -> {
                    parts.registry().forget(room.roomId());
                    parts.activity().forget(room.roomId());
                    return done;
                  })
              : Future.succeededFuture();
          return marked.compose(done -> parts.store().recordRetentionRun(room.roomId(), "delete",
              cutoff, deleteId, status, startedAt, parts.clock().instant()));
        }));
  }

  /** A run that could not even start (e.g. the bot is no server admin) is recorded too, with why. */
  private Future<Void> recordFailure(CounsellingRoom room, Throwable failure) {
    LOG.warn("retention for {} failed: {}", room.roomId(), failure.toString());
    String reason = failure instanceof MatrixException matrix
        ? matrix.rawErrCode() : failure.getClass().getSimpleName();
    Instant now = parts.clock().instant();
    Policy policy = parts.policies().get(room.policyName());
    return parts.store().recordRetentionRun(room.roomId(), "purge", now.minus(policy.maxLifetime()),
        null, "failed:" + reason, now, now).otherwise(ignored -> null);
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
        parts.vertx().setTimer(POLL_MS, timer -> pollAgain(status, finished, attempt + 1, result));
      }
    });
  }
}
