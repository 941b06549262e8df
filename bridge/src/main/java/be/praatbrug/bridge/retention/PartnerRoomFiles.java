package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.matrix.RetentionCalls.EventMeta;
import be.praatbrug.bridge.matrix.RetentionCalls.EventPage;
import be.praatbrug.bridge.matrix.RetentionCalls.KnownRoom;
import be.praatbrug.bridge.retention.RoomFiles.PartnerRoom;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.retention.RetentionPlanner;
import be.praatbrug.policy.retention.RetentionPlanner.DeleteFiles;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import be.praatbrug.policy.retention.UploadAttribution;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
  /**
   * A bound on one room's reading per pass. Forwards, the rest is read on the next pass; on the
   * first look back, older events than that are left to Synapse's media backstop.
   */
  private static final int MAX_PAGES = 50;

  private final RetentionCalls calls;
  private final RoomFiles files;
  private final Predicate<String> isManaged;
  private final Predicate<String> isOwnAccount;
  private final Supplier<List<String>> partnerServers;
  private final Clock clock;
  private final FileDeletion fileDeletion;
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
    this.fileDeletion = new FileDeletion(calls, files, ledger, clock);
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
    Instant now = clock.instant();
    Set<String> partners;
    try {
      partners = Set.copyOf(partnerServers.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    running = true;
    return files.partnerRooms().compose(known -> calls.knownRooms().compose(listed -> {
      Set<String> current = new LinkedHashSet<>(listed.stream()
          .filter(room -> !isManaged.test(room.roomId()) && mayBeFrom(room, partners))
          .map(KnownRoom::roomId).toList());
      Future<Void> chain = Future.succeededFuture();
      for (String roomId : current) {
        chain = chain.compose(done -> forRoom(roomId, known.get(roomId), now, partners)
            .recover(failure -> logged(roomId, failure)));
      }
      // Rooms no longer listed (left, deleted): their files still go at the lifetime kept for them,
      // and the room is forgotten once none is left.
      for (PartnerRoom gone : known.values()) {
        if (!current.contains(gone.roomId())) {
          chain = chain.compose(done -> deleteExpired(gone.roomId(), now.minus(gone.maxLifetime()), now)
              .compose(left -> left == 0 ? files.forgetRoom(gone.roomId()) : Future.<Void>succeededFuture())
              .recover(failure -> logged(gone.roomId(), failure)));
        }
      }
      return chain;
    })).andThen(done -> {
      running = false;
      passes.incrementAndGet();
      if (done.failed()) {
        LOG.warn("partner rooms' files: pass failed: {}", done.cause().toString());
      }
    });
  }

  /**
   * Whether a listed room may have been created on a partner's server: its id names the server
   * (room versions up to 11), or, where it does not, the list's creator does not rule it out. The
   * room's state decides ({@link #forRoom}).
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
        // Not (or no longer) a partner's room with retention: files taken earlier still go in time.
        return before == null ? Future.succeededFuture()
            : deleteExpired(roomId, now.minus(before.maxLifetime()), now).mapEmpty();
      }
      Duration lifetime = state.maxLifetime();
      Future<Read> read = before == null
          ? firstRead(roomId, now.minus(lifetime).minus(UploadAttribution.WINDOW))
          : readOn(roomId, before.streamToken(), new ArrayList<>(), 0);
      return read.compose(events -> attribute(roomId, events.chronological())
              .compose(done -> files.rememberPartnerRoom(new PartnerRoom(roomId, lifetime, events.token()))))
          .compose(done -> deleteExpired(roomId, now.minus(lifetime), now).mapEmpty());
    });
  }

  /** Events read, oldest first, and the position to read on from next time. */
  private record Read(List<EventMeta> chronological, String token) {}

  /**
   * The first look at a room: back from the newest event until this server's events are older
   * than {@code notBefore} (times of our own server only: the partner's clock may differ), at most
   * {@link #MAX_PAGES} pages; later passes read on forwards from the newest position.
   */
  private Future<Read> firstRead(String roomId, Instant notBefore) {
    return calls.events(roomId, null, false, EVENT_PAGE).compose(first ->
        readBack(roomId, first, notBefore, new ArrayList<>(), 1).map(newestFirst -> {
          List<EventMeta> chronological = new ArrayList<>(newestFirst);
          java.util.Collections.reverse(chronological);
          return new Read(chronological, first.start());
        }));
  }

  private Future<List<EventMeta>> readBack(String roomId, EventPage page, Instant notBefore,
      List<EventMeta> collected, int pages) {
    boolean reachedOld = false;
    for (EventMeta event : page.events()) {
      if (isOurs(event) && event.at().isBefore(notBefore)) {
        reachedOld = true;
        break;
      }
      collected.add(event);
    }
    if (reachedOld || page.events().isEmpty() || page.end() == null || pages >= MAX_PAGES) {
      return Future.succeededFuture(collected);
    }
    return calls.events(roomId, page.end(), false, EVENT_PAGE)
        .compose(next -> readBack(roomId, next, notBefore, collected, pages + 1));
  }

  /** Forwards from {@code token}; what is left after {@link #MAX_PAGES} pages waits for the next pass. */
  private Future<Read> readOn(String roomId, String token, List<EventMeta> collected, int pages) {
    return calls.events(roomId, token, true, EVENT_PAGE).compose(page -> {
      collected.addAll(page.events());
      if (page.events().isEmpty() || page.end() == null) {
        return Future.succeededFuture(new Read(collected, token));
      }
      return pages + 1 >= MAX_PAGES ? Future.succeededFuture(new Read(collected, page.end()))
          : readOn(roomId, page.end(), collected, pages + 1);
    });
  }

  private boolean isOurs(EventMeta event) {
    return calls.serverName().equals(serverOf(event.sender()));
  }

  /** One message that can carry files: when, after which earlier event of its sender, how many. */
  private record FileMessage(Instant at, Instant previous, int references) {}

  private Future<Void> attribute(String roomId, List<EventMeta> chronological) {
    Map<String, List<FileMessage>> bySender = new LinkedHashMap<>();
    Map<String, Instant> lastEvent = new HashMap<>();
    for (EventMeta event : chronological) {
      if (!isOurs(event) || isOwnAccount.test(event.sender())) {
        continue;
      }
      // Every event of the sender bounds the next one's uploads (a member event follows an avatar's).
      Instant previous = lastEvent.put(event.sender(), event.at());
      int references = event.isState() ? 0 : UploadAttribution.fileReferences(event.type(), event.ciphertextLength());
      if (references > 0) {
        bySender.computeIfAbsent(event.sender(), sender -> new ArrayList<>())
            .add(new FileMessage(event.at(), previous, references));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (Map.Entry<String, List<FileMessage>> sender : bySender.entrySet()) {
      Instant since = sender.getValue().get(0).at().minus(UploadAttribution.WINDOW);
      chain = chain.compose(done -> calls.uploadsSince(sender.getKey(), since).compose(uploads -> {
        List<StoredFile> stored = uploads.stream().filter(RetentionCalls.StoredMedia::canBeEncryptedAttachment)
            .map(RetentionCalls.StoredMedia::toFile).toList();
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

  /** Deletes the room's files older than {@code cutoff}; answers how many of its files are left. */
  private Future<Integer> deleteExpired(String roomId, Instant cutoff, Instant startedAt) {
    return files.registered(roomId).compose(registered -> {
      Optional<DeleteFiles> expired = RetentionPlanner.expiredFiles(registered, cutoff);
      int left = registered.size() - expired.map(step -> step.mediaIds().size()).orElse(0);
      return expired.isEmpty() ? Future.succeededFuture(left)
          : fileDeletion.run(roomId, null, expired.get(), cutoff, startedAt).map(left);
    });
  }

  private static Future<Void> logged(String roomId, Throwable failure) {
    LOG.warn("partner room {}: files not handled this pass: {}", roomId, failure.toString());
    return Future.succeededFuture();
  }
}
