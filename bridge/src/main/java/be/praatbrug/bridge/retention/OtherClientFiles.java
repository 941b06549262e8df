package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import be.praatbrug.policy.retention.UploadAttribution;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files sent into counselling rooms from Element and other clients that do not register them with
 * the bridge: when a local user's message in a managed room can carry a file, the user's upload of
 * just before it (and a thumbnail's, Synapse's media admin API) is kept as that room's file, so retention deletes
 * them with the room's messages ({@link UploadAttribution} says which). Reads each pushed event's
 * room, sender, type, time and the length of its ciphertext; never decrypts, never a file name.
 * Works beside the transaction (never delays a decision); a lookup that fails leaves the file to
 * Synapse's {@code media_retention} backstop.
 */
public final class OtherClientFiles {

  private static final Logger LOG = LoggerFactory.getLogger(OtherClientFiles.class);
  /** More uploads than one message ever carries (a file and its thumbnail). */
  private static final int RECENT_UPLOADS = 10;
  /** Senders remembered before the ones quiet for longer than the rule's window are dropped. */
  private static final int MAX_SENDERS = 1_000;

  private final RetentionCalls calls;
  private final RoomFiles files;
  private final Predicate<String> isManaged;
  private final Predicate<String> isOwnAccount;
  /** Each watched sender's newest message in a managed room, by the homeserver's clock. */
  private final Map<String, Instant> lastMessage = new ConcurrentHashMap<>();
  private final AtomicLong attributed = new AtomicLong();

  /**
   * @param isManaged whether a room is a counselling room of this bridge
   * @param isOwnAccount the bot and the guest accounts: their uploads are found another way
   */
  public OtherClientFiles(RetentionCalls calls, RoomFiles files, Predicate<String> isManaged,
      Predicate<String> isOwnAccount) {
    this.calls = calls;
    this.files = files;
    this.isManaged = isManaged;
    this.isOwnAccount = isOwnAccount;
  }

  /** Looks at a pushed transaction's events (on the event loop: quick, lookups run beside it). */
  public void observe(JsonObject transactionBody) {
    for (Object item : transactionBody.getJsonArray("events", new JsonArray())) {
      if (item instanceof JsonObject event) {
        message(event);
      }
    }
  }

  /** Files found so far (tests, logs). */
  public long attributed() {
    return attributed.get();
  }

  private void message(JsonObject event) {
    String roomId = event.getValue("room_id") instanceof String room ? room : null;
    String sender = event.getValue("sender") instanceof String user ? user : null;
    String type = event.getValue("type") instanceof String kind ? kind : "";
    if (roomId == null || sender == null || !(event.getValue("origin_server_ts") instanceof Number ts)
        || !isManaged.test(roomId) || isOwnAccount.test(sender)
        || !calls.serverName().equals(MatrixEvent.serverOf(sender))) {
      return;
    }
    Instant sentAt = Instant.ofEpochMilli(ts.longValue());
    Instant previous = lastMessage.get(sender);
    int references = event.containsKey("state_key") ? 0 : fileReferences(type, event.getValue("content"));
    if (references == 0) {
      // Still the sender's latest event (a state event too: an avatar's member event follows its
      // upload): uploads before it belong to it or to an earlier one.
      latest(sender, sentAt);
      return;
    }
    if (previous != null && !sentAt.isAfter(previous)) {
      return; // a resent or older event: its files were looked for when it first came
    }
    latest(sender, sentAt);
    calls.recentUploadsOf(sender, RECENT_UPLOADS)
        .map(uploads -> UploadAttribution.carriedBy(sentAt, previous, references, uploads.stream()
            .filter(RetentionCalls.StoredMedia::canBeEncryptedAttachment)
            .map(RetentionCalls.StoredMedia::toFile).toList()))
        .compose(carried -> register(roomId, carried))
        .onFailure(failure -> LOG.warn("files of a message in {} could not be looked up ({}); Synapse's"
            + " media_retention backstop still deletes them", roomId, failure.toString()));
  }

  /** Keeps the sender's newest event time; forgets senders quiet for longer than the rule looks back. */
  private void latest(String sender, Instant sentAt) {
    lastMessage.merge(sender, sentAt, (old, now) -> now.isAfter(old) ? now : old);
    if (lastMessage.size() > MAX_SENDERS) {
      Instant stale = sentAt.minus(UploadAttribution.WINDOW);
      lastMessage.values().removeIf(at -> at.isBefore(stale));
    }
  }

  private static int fileReferences(String type, Object content) {
    int length = content instanceof JsonObject body && body.getValue("ciphertext") instanceof String text
        ? text.length() : -1;
    return UploadAttribution.fileReferences(type, length);
  }

  private Future<Void> register(String roomId, List<StoredFile> carried) {
    Future<Void> chain = Future.succeededFuture();
    for (StoredFile file : carried) {
      chain = chain.compose(done -> files.register(roomId, file).map(isNew -> {
        if (isNew) {
          attributed.incrementAndGet();
          LOG.info("a file sent from another client into {} is kept for retention ({} bytes)", roomId,
              file.bytes());
        }
        return null;
      }));
    }
    return chain;
  }
}
