package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventActionsTest {

  private static final String ROOM = "!counselling:caw.test";
  private static final String CONTROL = "!direct:caw.test";

  /** Records what was started and leaves each action pending until the test completes it. */
  private static final class HeldExecutor implements ActionExecutor {
    final List<Action> started = new ArrayList<>();
    final Map<Action, Promise<Void>> pending = new HashMap<>();

    @Override
    public Future<Void> execute(Action action, String idempotencyKey) {
      started.add(action);
      Promise<Void> promise = Promise.promise();
      pending.put(action, promise);
      return promise.future();
    }
  }

  @Test
  void aNoticeElsewhereIsStartedInItsTurnButNotWaitedFor() {
    HeldExecutor executor = new HeldExecutor();
    Action kick = new Action.Kick(ROOM, "@stranger:caw.test", "not invited");
    Action notice = new Action.SendNotice(CONTROL, "someone was removed");
    Action after = new Action.SendNotice(ROOM, "in the room itself");
    Future<Void> done = EventActions.run(executor, new NoticeLane(executor), ROOM, List.of(kick, notice, after), i -> "key" + i);

    assertEquals(List.of(kick), executor.started, "the kick first, alone");
    executor.pending.get(kick).complete();
    assertEquals(List.of(kick, notice, after), executor.started, "the notice started, the next did not wait");
    assertFalse(done.isComplete(), "the notice in the event's own room is waited for");
    executor.pending.get(after).complete();
    assertTrue(done.succeeded(), "done while the notice elsewhere is still on its way");
  }

  @Test
  void aReplyInTheEventsOwnRoomIsWaitedForAndAFailureStopsTheRest() {
    HeldExecutor executor = new HeldExecutor();
    Action reply = new Action.SendNotice(CONTROL, "answer");
    Action next = new Action.SendNotice(CONTROL, "second answer");
    Future<Void> done = EventActions.run(executor, new NoticeLane(executor), CONTROL, List.of(reply, next), i -> "key" + i);
    assertEquals(List.of(reply), executor.started);
    executor.pending.get(reply).fail("homeserver down");
    assertTrue(done.failed());
    assertEquals(List.of(reply), executor.started, "nothing after a failed action");
  }

  @Test
  void aFailedNoticeElsewhereDoesNotFailTheEvent() {
    HeldExecutor executor = new HeldExecutor();
    Action notice = new Action.SendNotice(CONTROL, "someone was removed");
    Future<Void> done = EventActions.run(executor, new NoticeLane(executor), ROOM, List.of(notice), i -> "key" + i);
    executor.pending.get(notice).fail("no keys");
    assertTrue(done.succeeded());
  }

  @Test
  void onlyKicksInTheEventsRoomWithNoticesElsewhereCountAsARemoval() {
    Action kick = new Action.Kick(ROOM, "@stranger:caw.test", "not invited");
    Action notice = new Action.SendNotice(CONTROL, "someone was removed");
    assertTrue(EventActions.isRemoval(List.of(kick, notice), ROOM));
    assertTrue(EventActions.isRemoval(List.of(kick), ROOM));
    assertFalse(EventActions.isRemoval(List.of(notice), ROOM), "a notice alone removes nobody");
    assertFalse(EventActions.isRemoval(List.of(kick, new Action.Invite(ROOM, "@client:caw.test")), ROOM),
        "a kick beside other work waits with it");
    assertFalse(EventActions.isRemoval(List.of(kick, new Action.SendNotice(ROOM, "in the room")), ROOM),
        "a reply in the event's own room keeps its order");
    assertFalse(EventActions.isRemoval(List.of(kick, notice), CONTROL),
        "a command that turns someone away elsewhere (!gesprek weigeren) answers in order");
    assertFalse(EventActions.isRemoval(List.of(), ROOM));
  }

  @Test
  void aRemovalThatFailsAfterTheAnswerHasItsRoomReconciled() {
    List<String> reconciled = new ArrayList<>();
    Promise<Void> kick = Promise.promise();
    Future<Void> settled = EventActions.repairedIfFailed(kick.future(), ROOM, room -> {
      reconciled.add(room);
      return Future.succeededFuture(1);
    });
    assertFalse(settled.isComplete());
    kick.fail("homeserver busy");
    assertEquals(List.of(ROOM), reconciled);
    assertTrue(settled.failed(), "still a failure, for the metrics");
    assertEquals("homeserver busy", settled.cause().getMessage());
  }

  @Test
  void aRemovalThatWorksReconcilesNothingAndAFailedRepairIsNoNewError() {
    List<String> reconciled = new ArrayList<>();
    assertTrue(EventActions.repairedIfFailed(Future.succeededFuture(), ROOM, room -> {
      reconciled.add(room);
      return Future.succeededFuture(0);
    }).succeeded());
    assertTrue(reconciled.isEmpty());

    Future<Void> settled = EventActions.repairedIfFailed(Future.failedFuture("kick refused"), ROOM,
        room -> Future.failedFuture("homeserver down"));
    assertEquals("kick refused", settled.cause().getMessage(), "the removal's own failure is reported");
  }
}
