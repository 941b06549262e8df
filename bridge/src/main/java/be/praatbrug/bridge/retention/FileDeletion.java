package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.policy.retention.RetentionPlanner.DeleteFiles;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link DeleteFiles} step for a room: deletes the files from the homeserver's media
 * store one by one, forgets them, and records how many went and their bytes (retention run and
 * ledger), never which. Shared by the retention job (this bridge's rooms) and the partner rooms'
 * files.
 */
public final class FileDeletion {

  private static final Logger LOG = LoggerFactory.getLogger(FileDeletion.class);

  private final RetentionCalls calls;
  private final RoomFiles files;
  private final Consumer<EntryDraft> ledger;
  private final Clock clock;

  public FileDeletion(RetentionCalls calls, RoomFiles files, Consumer<EntryDraft> ledger, Clock clock) {
    this.calls = calls;
    this.files = files;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** @param clientRef the room's client reference, or null where it has none (a partner's room) */
  public Future<Void> run(String roomId, String clientRef, DeleteFiles step, Instant cutoff, Instant startedAt) {
    int[] deleted = {0};
    Future<Void> chain = Future.succeededFuture();
    for (String mediaId : step.mediaIds()) {
      chain = chain.compose(done -> calls.delete(mediaId).map(gone -> {
        deleted[0] += gone ? 1 : 0;
        return null;
      }));
    }
    return chain.compose(done -> files.forget(step.mediaIds())).compose(done -> {
      LOG.info("deleted {} files ({} bytes) of {}", deleted[0], step.bytes(), roomId);
      ledger.accept(Entries.retentionFilesDeleted(clientRef, roomId, cutoff, deleted[0], step.bytes(),
          clock.instant()));
      return files.recordRun(roomId, cutoff, deleted[0], step.bytes(), "complete", startedAt, clock.instant());
    });
  }
}
