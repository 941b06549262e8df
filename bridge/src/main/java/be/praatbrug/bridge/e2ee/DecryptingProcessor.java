package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.EventProcessor;
import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the bot's E2EE device in front of event processing: an {@code m.room.encrypted} event in
 * a room where the bot may read (its direct chats, not counselling rooms) is decrypted and handed
 * on as the event it carries, so encrypted commands work like plain ones. When the room key is not
 * there yet the event is decided later, once the key came or was asked for and forwarded (at most 20 s), instead of holding up
 * the transaction that may be the one bringing the key. When it never comes, the event is decided
 * as {@link MatrixEvent#UNREADABLE_ENCRYPTED}, so the sender hears that it was not read.
 */
public final class DecryptingProcessor implements EventProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(DecryptingProcessor.class);
  private static final long REPORT_EVERY_NANOS = 60_000_000_000L;

  private final EventProcessor next;
  private final Supplier<BotDevice> device;
  private final Predicate<String> mayRead;
  /** When the last "could not read" went to a room (System.nanoTime). */
  private final Map<String, Long> lastReport = new ConcurrentHashMap<>();

  public DecryptingProcessor(EventProcessor next, Supplier<BotDevice> device, Predicate<String> mayRead) {
    this.next = next;
    this.device = device;
    this.mayRead = mayRead;
  }

  @Override
  public Future<EventOutcome> process(MatrixEvent event) {
    if (MatrixEvent.UNREADABLE_ENCRYPTED.equals(event.type())) {
      // The bridge's own mark; from the homeserver it would be someone asking for bot notices.
      return Future.succeededFuture(new EventOutcome.Ignored("reserved event type"));
    }
    BotDevice bot = device.get();
    // The bot's own encrypted messages need no reading; the policy core ignores them as its own.
    if (!"m.room.encrypted".equals(event.type()) || bot == null || bot.userId().equals(event.sender())
        || !mayRead.test(event.roomId())) {
      return next.process(event);
    }
    JsonObject raw = new JsonObject().put("room_id", event.roomId()).put("event_id", event.eventId())
        .put("sender", event.sender()).put("content", new JsonObject(event.content()));
    return bot.decryptIfKnown(raw).compose(now -> {
      if (now.isPresent()) {
        return next.process(decrypted(event, now.get()));
      }
      bot.decryptOnceKeyArrives(raw)
          .transform(later -> {
            if (later.succeeded()) {
              return next.process(decrypted(event, later.result()));
            }
            LOG.warn("encrypted event {} not decrypted: {}", event.eventId(), later.cause().getMessage());
            // The key never came (or starts after this message): the decision core tells the sender
            // instead of leaving them waiting; at most once a minute per room, however many were lost.
            return neverReadable(later.cause()) && firstReportInAWhile(event.roomId()) ? next.process(unreadable(event))
                : Future.succeededFuture(new EventOutcome.Ignored("encrypted, not decrypted"));
          })
          .onFailure(failure -> LOG.warn("encrypted event {} not handled: {}", event.eventId(), failure.getMessage()));
      return Future.succeededFuture(new EventOutcome.Ignored("encrypted: waiting for its room key"));
    }, failure -> Future.succeededFuture(new EventOutcome.Ignored("encrypted, not decrypted: " + failure.getMessage())));
  }

  private static boolean neverReadable(Throwable failure) {
    return failure instanceof RoomKeyMissingException
        || failure instanceof CryptoException crypto && crypto.reason() == CryptoException.Reason.UNKNOWN_MESSAGE_INDEX;
  }

  private boolean firstReportInAWhile(String roomId) {
    long now = System.nanoTime();
    Long last = lastReport.get(roomId);
    if (last != null && now - last < REPORT_EVERY_NANOS) {
      return false;
    }
    lastReport.put(roomId, now);
    return true;
  }

  private static MatrixEvent unreadable(MatrixEvent event) {
    return new MatrixEvent(event.roomId(), event.eventId(), event.sender(), MatrixEvent.UNREADABLE_ENCRYPTED, null, null);
  }

  private static MatrixEvent decrypted(MatrixEvent event, DecryptedEvent plain) {
    // Inside the encryption the same reserved type is refused as outside it.
    String type = MatrixEvent.UNREADABLE_ENCRYPTED.equals(plain.type()) ? "m.room.encrypted" : plain.type();
    return new MatrixEvent(event.roomId(), event.eventId(), event.sender(), type, null, JsonBodies.plainMap(plain.content()));
  }
}
