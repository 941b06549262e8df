package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomFixture;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.guests.GuestNamespace;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The answer to Synapse's transaction does not wait for a removal (a third person's join and the
 * kick it calls for): the event is handled at once, the kick and its notice go on after it, a kick
 * that fails has its room repaired, and a stop waits for removals under way, but not forever.
 * The executor stands in for the homeserver so that the kick's answer can be held back; the same
 * path runs against real Synapse in the removal ITs and the scale harness.
 */
class DecisionProcessorTest {

  private static final String ROOM = "!room:caw.test";
  private static final String CLIENT = "@anna:caw.test";
  private static final String STRANGER = "@mallory:caw.test";

  private final RoomRegistry registry = new RoomRegistry();
  private final List<Action> executed = new CopyOnWriteArrayList<>();
  private final Promise<Void> kickAnswer = Promise.promise();
  private final List<String> repaired = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private DecisionProcessor processor;

  @BeforeEach
  void openRoomWithCounsellorAndClient() throws Exception {
    vertx = Vertx.vertx();
    PolicyRepository policies = RoomFixture.policies();
    registry.put(RoomFixture.openRoom(ROOM, CLIENT));
    registry.loadState(ROOM, RoomFixture.stateMeetingPolicy(RoomFixture.context(policies)));
    registry.setMembership(ROOM, CLIENT, "join");
    ActionExecutor homeserver = (action, key) -> {
      executed.add(action);
      return action instanceof Action.Kick ? kickAnswer.future() : Future.succeededFuture();
    };
    processor = new DecisionProcessor(RoomFixture.BOT_CONTEXT, registry, policies, new byte[32],
        new GuestNamespace("praatbrug_guest_", "caw.test"), Map::of,
        Clock.fixed(RoomFixture.NOW, ZoneOffset.UTC), homeserver, null, RoomFixture.callWidget(), null);
    processor.useRepair(roomId -> {
      repaired.add(roomId);
      return Future.succeededFuture(1);
    });
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private EventOutcome.Handled strangerJoins() throws Exception {
    MatrixEvent join = new MatrixEvent(ROOM, "$join", STRANGER, "m.room.member", STRANGER,
        Map.of("membership", "join"));
    Future<EventOutcome> outcome = processor.process(join);
    // Answered while the kick is still on its way.
    assertTrue(outcome.isComplete(), "the event waited for its kick");
    return assertInstanceOf(EventOutcome.Handled.class, outcome.result());
  }

  private <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aThirdPersonsJoinIsAnsweredBeforeTheKickLandsAndTheNoticeFollowsIt() throws Exception {
    EventOutcome.Handled handled = strangerJoins();

    assertEquals(1, executed.size(), "only the kick is under way; the counsellor hears of it once it landed");
    Action.Kick kick = assertInstanceOf(Action.Kick.class, executed.get(0));
    assertEquals(ROOM, kick.roomId());
    assertEquals(STRANGER, kick.userId());
    assertFalse(handled.settled().isComplete());
    assertFalse(processor.removalsSettled(5_000).isComplete(), "a stop waits for it");

    kickAnswer.complete();

    await(handled.settled());
    assertEquals(2, executed.size(), executed.toString());
    Action.SendNotice notice = assertInstanceOf(Action.SendNotice.class, executed.get(1));
    assertEquals("!control:caw.test", notice.roomId());
    assertTrue(notice.plainText().contains(STRANGER), notice.plainText());
    assertEquals(List.of(), repaired);
    await(processor.removalsSettled(5_000));
  }

  @Test
  void aKickThatFailsAfterTheAnswerHasItsRoomRepaired() throws Exception {
    EventOutcome.Handled handled = strangerJoins();

    kickAnswer.fail(new IllegalStateException("homeserver unreachable"));

    CompletableFuture<Void> settled = handled.settled().toCompletionStage().toCompletableFuture();
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> settled.get(10, TimeUnit.SECONDS));
    assertEquals("homeserver unreachable", failed.getCause().getMessage(), "still a failure, for the metrics");
    assertEquals(List.of(ROOM), repaired);
    assertEquals(1, executed.size(), "no notice for a kick that did not happen");
  }

  @Test
  void aStopWaitsForARemovalUnderWayOnlyUntilItsTimeout() throws Exception {
    strangerJoins();
    long[] start = new long[1];
    Future<Void> waited = vertx.getOrCreateContext().<Void>executeBlocking(() -> null)
        .compose(onContext -> {
          start[0] = System.nanoTime();
          return processor.removalsSettled(200);
        });

    await(waited);

    long tookMs = (System.nanoTime() - start[0]) / 1_000_000;
    assertTrue(tookMs >= 150, "gave up after " + tookMs + " ms, before its timeout");
    assertFalse(kickAnswer.future().isComplete());
    assertEquals(Set.of(), Set.copyOf(repaired));
  }
}
