package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What passes the decrypting step on to the decisions without a bot device in the way. */
class DecryptingProcessorTest {

  private final List<MatrixEvent> passedOn = new CopyOnWriteArrayList<>();
  private final DecryptingProcessor processor = new DecryptingProcessor(event -> {
    passedOn.add(event);
    return Future.succeededFuture(new EventOutcome.Ignored("recorded"));
  }, () -> null, roomId -> true);

  @Test
  void theBridgesOwnUnreadableMarkComingFromTheHomeserverIsRefused() {
    MatrixEvent forged = new MatrixEvent("!dm:caw.test", "$1", "@someone:caw.test", MatrixEvent.UNREADABLE_ENCRYPTED, null, Map.of());
    EventOutcome outcome = processor.process(forged).result();
    assertInstanceOf(EventOutcome.Ignored.class, outcome);
    assertTrue(passedOn.isEmpty(), "the decisions saw a forged mark");
  }

  @Test
  void otherEventsGoOnUnchanged() {
    MatrixEvent message = new MatrixEvent("!dm:caw.test", "$2", "@someone:caw.test", "m.room.message", null,
        Map.of("msgtype", "m.text", "body", "!hulp"));
    processor.process(message);
    assertEquals(List.of(message), passedOn);
  }
}
