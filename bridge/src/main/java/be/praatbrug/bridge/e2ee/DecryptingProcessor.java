package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.EventProcessor;
import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  private final EventProcessor next;
  private final Supplier<BotDevice> device;
  private final Predicate<String> mayRead;

  public DecryptingProcessor(EventProcessor next, Supplier<BotDevice> device, Predicate<String> mayRead) {
    this.next = next;
    this.device = device;
    this.mayRead = mayRead;
  }

  @Override
  public Future<EventOutcome> process(MatrixEvent event) {
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
      bot.decrypt(raw)
          .transform(later -> {
            if (later.succeeded()) {
              return next.process(decrypted(event, later.result()));
            }
            LOG.warn("encrypted event {} not decrypted: {}", event.eventId(), later.cause().getMessage());
            // The key never came: the decision core tells the sender instead of leaving them waiting.
            return later.cause() instanceof RoomKeyMissingException ? next.process(unreadable(event))
                : Future.succeededFuture(new EventOutcome.Ignored("encrypted, not decrypted"));
          })
          .onFailure(failure -> LOG.warn("encrypted event {} not handled: {}", event.eventId(), failure.getMessage()));
      return Future.succeededFuture(new EventOutcome.Ignored("encrypted: waiting for its room key"));
    }, failure -> Future.succeededFuture(new EventOutcome.Ignored("encrypted, not decrypted: " + failure.getMessage())));
  }

  private static MatrixEvent unreadable(MatrixEvent event) {
    return new MatrixEvent(event.roomId(), event.eventId(), event.sender(), MatrixEvent.UNREADABLE_ENCRYPTED, null, null);
  }

  private static MatrixEvent decrypted(MatrixEvent event, DecryptedEvent plain) {
    return new MatrixEvent(event.roomId(), event.eventId(), event.sender(), plain.type(), null,
        JsonBodies.plainMap(plain.content()));
  }
}
