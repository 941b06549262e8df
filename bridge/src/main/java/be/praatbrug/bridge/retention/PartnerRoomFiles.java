package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.matrix.RetentionCalls.EventMeta;
import be.praatbrug.bridge.matrix.RetentionCalls.KnownRoom;
import be.praatbrug.bridge.retention.RoomFiles.PartnerRoom;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import be.praatbrug.policy.retention.UploadAttribution;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files this server's users send into a partner organisation's rooms (a CAW client in a CLB
 * counselling room). The partner's bridge and both Synapses delete the messages, but the file is
 * stored here, out of the partner's reach. Each pass finds the rooms this homeserver knows that a
 * partner server created and that carry {@code m.room.retention}, reads the metadata of their new
 * events (Synapse's admin API: the bot need not be in the room), takes the uploads of this
 * server's senders of just before each message that can carry a file ({@link UploadAttribution}),
 * and deletes every such file once it is older than the room's {@code max_lifetime}. Never content
 * or names; each deletion is recorded with count and bytes.
 */
public final class PartnerRoomFiles {

  private static final Logger LOG = LoggerFactory.getLogger(PartnerRoomFiles.class);
  private static final int EVENT_PAGE = 100;
  /** A bound on one room's reading per pass; the rest is read on the next. */
  private static final int MAX_PAGES = 50;

  private final RetentionCalls calls;
  private final RoomFiles files;
  private final Predicate<String> isManaged;
  private final Predicate<String> isOwnAccount;
  private final Supplier<List<String>> partnerServers;
  private final Clock clock;
  private final Consumer<EntryDraft> ledger;
  private final AtomicLong passes = new AtomicLong();
  private boolean running;

  /**
   * @param isManaged this bridge's own rooms (their files are the retention job's)
   * @param isOwnAccount the bot and the guest accounts (never in partners' rooms with uploads)
   * @param partnerServers the servers this organisation federates with
   * @param ledger where each deletion is recorded (count and bytes)
   */
  public PartnerRoomFiles(RetentionCalls calls, RoomFiles files, Predicate<String> isManaged,
      Predicate<String> isOwnAccount, Supplier<List<String>> partnerServers, Clock clock,
      Consumer<EntryDraft> ledger) {
    this.ledger = ledger;
    this.calls = calls;
    this.files = files;
    this.isManaged = isManaged;
    this.isOwnAccount = isOwnAccount;
    this.partnerServers = partnerServers;
    this.clock = clock;
  }

  /** Passes finished (metrics, tests). */
  public long passes() {
    return passes.get();
  }

  /** One pass over the partner rooms; a pass still running makes this one a no-op. */
  public Future<Void> runOnce() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    Instant now = clock.instant();
    Set<String> partners = Set.copyOf(partnerServers.get());
    return files.partnerRooms().compose(known -> calls.knownRooms().compose(listed -> {
      Set<String> current = new java.util.LinkedHashSet<>(listed.stream()
          .filter(room -> !isManaged.test(room.roomId()) && mayBeFrom(room, partners))
          .map(KnownRoom::roomId).toList());
      Future<Void> chain = Future.succeededFuture();
      for (String roomId : current) {
        chain = chain.compose(done -> forRoom(roomId, known.get(roomId), now, partners)
            .recover(failure -> logged(roomId, failure)));
      }
      // Rooms no longer listed (left, deleted): their files still go at the lifetime kept for them.
      for (PartnerRoom gone : known.values()) {
        if (!current.contains(gone.roomId())) {
          chain = chain.compose(done -> deleteExpired(gone.roomId(), now.minus(gone.maxLifetime()), now)
              .recover(failure -> logged(gone.roomId(), failure)));
        }
      }
      return chain;
    })).onComplete(done -> {
      running = false;
      passes.incrementAndGet();
      if (done.failed()) {
        LOG.warn("partner rooms' files: pass failed: {}", done.cause().toString());
      }
    });
  }

  /**
   * Whether a listed room may have been created on a partner's server: its id names the server
   * (room versions up to 11), or, where it does not, the list's creator (often empty for rooms
   * joined over federation) does not rule it out. The room's state decides ({@link #forRoom}).
   */
  private static boolean mayBeFrom(KnownRoom room, Set<String> partners) {
    int colon = room.roomId().indexOf(':');
    if (colon > 0) {
      return partners.contains(room.roomId().substring(colon + 1));
    }
    return room.creator().isEmpty() || partners.contains(serverOf(room.creator()));
  }

  private static String serverOf(String userId) {
    return userId.contains(":") ? MatrixEvent.serverOf(userId) : "";
  }

  private Future<Void> forRoom(String roomId, PartnerRoom before, Instant now, Set<String> partners) {
    return calls.retentionOf(roomId).compose(state -> {
      if (state.maxLifetime() == null || !partners.contains(serverOf(state.creator()))) {
        return Future.succeededFuture(); // not a partner's room with retention: nothing to delete by
      }
      Duration lifetime = state.maxLifetime();
      Instant from = before == null ? now.minus(lifetime).minus(UploadAttribution.WINDOW) : before.seenUpTo();
      return eventsAfter(roomId, from, null, new ArrayList<>(), 0)
          .compose(newestFirst -> attribute(roomId, newestFirst).map(newestFirst.isEmpty()
              ? from : newestFirst.get(0).at()))
          .compose(seen -> files.rememberPartnerRoom(new PartnerRoom(roomId, lifetime, seen)))
          .compose(done -> deleteExpired(roomId, now.minus(lifetime), now));
    });
  }

  /** The room's events after {@code after}, newest first. */
  private Future<List<EventMeta>> eventsAfter(String roomId, Instant after, String from,
      List<EventMeta> collected, int pages) {
    return calls.eventsBefore(roomId, from, EVENT_PAGE).compose(page -> {
      boolean reachedOld = false;
      for (EventMeta event : page.newestFirst()) {
        if (!event.at().isAfter(after)) {
          reachedOld = true;
          break;
        }
        collected.add(event);
      }
      return reachedOld || page.older() == null || pages + 1 >= MAX_PAGES
          ? Future.succeededFuture(collected)
          : eventsAfter(roomId, after, page.older(), collected, pages + 1);
    });
  }

  /** One message that can carry files: when, after which earlier message of its sender, how many. */
  private record FileMessage(Instant at, Instant previous, int references) {}

  private Future<Void> attribute(String roomId, List<EventMeta> newestFirst) {
    Map<String, List<FileMessage>> bySender = new LinkedHashMap<>();
    Map<String, Instant> lastMessage = new HashMap<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      EventMeta event = newestFirst.get(i);
      if (event.isState() || isOwnAccount.test(event.sender())
          || !calls.serverName().equals(MatrixEvent.serverOf(event.sender()))) {
        continue;
      }
      int references = UploadAttribution.fileReferences(event.type(), event.ciphertextLength());
      Instant previous = lastMessage.put(event.sender(), event.at());
      if (references > 0) {
        bySender.computeIfAbsent(event.sender(), sender -> new ArrayList<>())
            .add(new FileMessage(event.at(), previous, references));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<FileMessage>> sender : bySender.entrySet()) {
      chain = chain.compose(done -> calls.uploadsOf(sender.getKey()).compose(uploads -> {
        List<StoredFile> stored = uploads.stream()
            .map(media -> new StoredFile(media.mediaId(), media.uploadedAt(), media.bytes())).toList();
        Future<Void> registered = Future.succeededFuture();
        for (FileMessage message : sender.getValue()) {
          for (StoredFile file : UploadAttribution.carriedBy(message.at(), message.previous(),
              message.references(), stored)) {
            registered = registered.compose(ignored -> files.register(roomId, file).mapEmpty());
          }
        }
        return registered;
      }));
    }
    return chain;
  }

  private Future<Void> deleteExpired(String roomId, Instant cutoff, Instant startedAt) {
    return files.registered(roomId).compose(registered -> {
      List<StoredFile> expired = registered.stream().filter(file -> !file.uploadedAt().isAfter(cutoff)).toList();
      if (expired.isEmpty()) {
        return Future.succeededFuture();
      }
      int[] deleted = {0};
      Future<Void> chain = Future.succeededFuture();
      for (StoredFile file : expired) {
        chain = chain.compose(done -> calls.delete(file.mediaId()).map(gone -> {
          deleted[0] += gone ? 1 : 0;
          return null;
        }));
      }
      long bytes = expired.stream().mapToLong(StoredFile::bytes).sum();
      return chain.compose(done -> files.forget(expired.stream().map(StoredFile::mediaId).toList()))
          .compose(done -> {
            LOG.info("deleted {} files ({} bytes) this server's users sent into partner room {}", deleted[0],
                bytes, roomId);
            ledger.accept(Entries.retentionFilesDeleted(null, roomId, cutoff, deleted[0], bytes, clock.instant()));
            return files.recordRun(roomId, cutoff, deleted[0], bytes, "complete", startedAt, clock.instant());
          });
    });
  }

  private static Future<Void> logged(String roomId, Throwable failure) {
    LOG.warn("partner room {}: files not handled this pass: {}", roomId, failure.toString());
    return Future.succeededFuture();
  }
}
