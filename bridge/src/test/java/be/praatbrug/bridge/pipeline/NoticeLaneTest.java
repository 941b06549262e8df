package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NoticeLaneTest {

  private static final String EVA = "!eva-direct:caw.test";
  private static final String JAN = "!jan-direct:caw.test";

  /** Records what was sent, with its key, and leaves each send pending until the test ends it. */
  private static final class HeldExecutor implements ActionExecutor {
    final List<Action.SendNotice> sent = new ArrayList<>();
    final List<String> keys = new ArrayList<>();
    final List<Promise<Void>> pending = new ArrayList<>();

    @Override
    public Future<Void> execute(Action action, String idempotencyKey) {
      sent.add((Action.SendNotice) action);
      keys.add(idempotencyKey);
      Promise<Void> promise = Promise.promise();
      pending.add(promise);
      return promise.future();
    }

    List<String> texts() {
      return sent.stream().map(Action.SendNotice::plainText).toList();
    }
  }

  private static Action.SendNotice notice(String room, String text) {
    return new Action.SendNotice(room, text);
  }

  /** Three removal notices for Eva's chat in a row, through a new lane. */
  private static NoticeLane threeRemovals(HeldExecutor executor) {
    NoticeLane lane = new NoticeLane(executor);
    send(lane, notice(EVA, "removed from room 1"), notice(EVA, "removed from room 2"),
        notice(EVA, "removed from room 3"));
    return lane;
  }

  /** Hands the notices to the lane in this order, with keys k1, k2, ... */
  private static void send(NoticeLane lane, Action.SendNotice... notices) {
    for (int i = 0; i < notices.length; i++) {
      lane.send(notices[i], "k" + (i + 1));
    }
  }

  @Test
  void noticesThatWaitGoOutTogetherInTheirOrderWhenTheOneOnItsWayHasGone() {
    HeldExecutor executor = new HeldExecutor();
    NoticeLane lane = threeRemovals(executor);
    assertEquals(List.of("removed from room 1"), executor.texts(), "one at a time per room");

    executor.pending.get(0).complete();
    assertEquals(List.of("removed from room 1", "removed from room 2\n\nremoved from room 3"), executor.texts());
    assertEquals("k1", executor.keys.get(0), "a notice alone keeps its key");
    assertTrue(executor.keys.get(1).startsWith("praatbrug.batch."));
    assertNotEquals("k2", executor.keys.get(1), "a batch under k2 would be dropped as k2's repeat");

    // The same notices batched again (a resent transaction) get the same key: sent once.
    HeldExecutor again = new HeldExecutor();
    threeRemovals(again);
    again.pending.get(0).complete();
    assertEquals(executor.keys, again.keys);

    // Nothing waits any more: the next notice goes at once, alone.
    executor.pending.get(1).complete();
    lane.send(notice(EVA, "removed from room 4"), "k4");
    assertEquals("removed from room 4", executor.texts().get(2));
    assertEquals("k4", executor.keys.get(2));
  }

  @Test
  void roomsDoNotWaitForEachOther() {
    HeldExecutor executor = new HeldExecutor();
    send(new NoticeLane(executor), notice(EVA, "for Eva"), notice(JAN, "for Jan"));
    assertEquals(List.of("for Eva", "for Jan"), executor.texts());
  }

  @Test
  void aFailedOrThrowingSendDoesNotStopTheNotices() {
    HeldExecutor held = new HeldExecutor();
    send(new NoticeLane(held), notice(EVA, "first"), notice(EVA, "second"));
    held.pending.get(0).fail("homeserver down");
    assertEquals(List.of("first", "second"), held.texts());

    List<String> attempts = new ArrayList<>();
    NoticeLane throwing = new NoticeLane((action, key) -> {
      attempts.add(((Action.SendNotice) action).plainText());
      throw new IllegalStateException("a bug that throws instead of failing the future");
    });
    send(throwing, notice(EVA, "one"), notice(EVA, "two"));
    assertEquals(List.of("one", "two"), attempts);
  }

  @Test
  void aLongQueueGoesInMessagesOfAtMostTwentyNotices() {
    HeldExecutor executor = new HeldExecutor();
    NoticeLane lane = new NoticeLane(executor);
    IntStream.rangeClosed(1, 46).forEach(i -> lane.send(notice(EVA, "removed from room " + i), "k" + i));
    for (int i = 0; i < 3; i++) {
      executor.pending.get(i).complete();
    }
    assertEquals(4, executor.sent.size());
    assertEquals(List.of(1, NoticeLane.MOST_TOGETHER, NoticeLane.MOST_TOGETHER, 5),
        executor.texts().stream().map(text -> text.split("\n\n").length).toList());
    assertTrue(executor.texts().get(3).endsWith("removed from room 46"));
  }
}
