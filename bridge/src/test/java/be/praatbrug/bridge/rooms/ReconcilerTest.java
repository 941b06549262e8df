package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static be.praatbrug.bridge.rooms.RoomFixture.openRoom;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation pass over many rooms: bounded parallel state fetches, every room done, and a
 * room that fails leaves the others alone. The homeserver is stood in for by {@link #homeserver},
 * which answers only the one call reconciliation makes ({@code GET /rooms/{id}/state}).
 */
class ReconcilerTest {

  private static final Clock CLOCK = Clock.fixed(RoomFixture.NOW, ZoneOffset.UTC);

  private final RoomRegistry registry = new RoomRegistry();
  private final Map<String, Integer> fetches = new ConcurrentHashMap<>();
  private final Set<String> repairedRooms = ConcurrentHashMap.newKeySet();
  private final List<Action> executed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ActionExecutor executor = (action, key) -> {
    repairedRooms.add(action.roomId());
    executed.add(action);
    return Future.succeededFuture();
  };
  /** Whose consent the consent ledger has; the people asked about are recorded. */
  private final Set<String> consentOnRecord = ConcurrentHashMap.newKeySet();
  private final List<Set<String>> consentAsked = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A MatrixClient whose {@code roomState} is {@code answer}, counting fetches per room. */
  private MatrixClient homeserver(Function<String, Future<JsonArray>> answer) {
    return (MatrixClient) Proxy.newProxyInstance(MatrixClient.class.getClassLoader(),
        new Class<?>[] {MatrixClient.class}, (proxy, method, args) -> {
          if (!method.getName().equals("roomState")) {
            throw new UnsupportedOperationException("reconciliation does not call " + method.getName());
          }
          String roomId = (String) args[0];
          fetches.merge(roomId, 1, Integer::sum);
          return answer.apply(roomId);
        });
  }

  private Reconciler reconciler(MatrixClient matrix, int concurrency) throws Exception {
    return new Reconciler(matrix, registry, RoomFixture.policies(), RoomFixture.BOT_CONTEXT, new byte[32],
        CLOCK, executor, RoomFixture.callWidget(), "praatbrug_guest_", concurrency, users -> {
          consentAsked.add(Set.copyOf(users));
          return Future.succeededFuture(users.stream().filter(consentOnRecord::contains)
              .collect(Collectors.toSet()));
        });
  }

  private List<String> rooms(int count) {
    List<String> ids = IntStream.range(0, count).mapToObj(i -> "!room" + i + ":caw.test").toList();
    ids.forEach(id -> registry.put(openRoom(id, null)));
    return ids;
  }

  @Test
  void fetchesAtMostTheConfiguredNumberOfRoomsAtOnceAndReconcilesThemAll() throws Exception {
    List<String> ids = rooms(30);
    List<Promise<JsonArray>> pending = new ArrayList<>();
    Reconciler reconciler = reconciler(homeserver(roomId -> {
      Promise<JsonArray> answer = Promise.promise();
      pending.add(answer);
      return answer.future();
    }), 4);

    Future<Integer> pass = reconciler.reconcileAll();
    int most = 0;
    Random order = new Random(21);
    while (!pending.isEmpty()) {
      most = Math.max(most, pending.size());
      // The homeserver answers in any order; an empty state needs repair in every room.
      pending.remove(order.nextInt(pending.size())).complete(new JsonArray());
    }

    assertEquals(4, most, "rooms fetched at once");
    assertEquals(ids.stream().collect(Collectors.toMap(id -> id, id -> 1)), fetches, "each room once");
    assertEquals(30, await(pass));
    assertEquals(new HashSet<>(ids), repairedRooms);
    assertEquals(new Reconciler.Run(RoomFixture.NOW, 30, 30), reconciler.lastRun().orElseThrow());
  }

  @Test
  void aRoomThatFailsDoesNotStopTheOthers() throws Exception {
    List<String> ids = rooms(12);
    Map<String, Promise<JsonArray>> pending = new HashMap<>();
    Reconciler reconciler = reconciler(homeserver(roomId -> {
      if (roomId.equals("!room3:caw.test")) {
        // Refused at once, before any I/O.
        return Future.failedFuture(new IllegalStateException("no connection"));
      }
      if (roomId.equals("!room5:caw.test")) {
        throw new IllegalArgumentException("a bug that throws instead of failing the future");
      }
      Promise<JsonArray> answer = Promise.promise();
      pending.put(roomId, answer);
      return answer.future();
    }), 3);

    Future<Integer> pass = reconciler.reconcileAll();
    while (!pending.isEmpty()) {
      String roomId = pending.keySet().iterator().next();
      Promise<JsonArray> answer = pending.remove(roomId);
      if (roomId.equals("!room7:caw.test")) {
        answer.fail(new IllegalStateException("M_FORBIDDEN"));
      } else {
        answer.complete(new JsonArray());
      }
    }

    assertEquals(new HashSet<>(ids), fetches.keySet(), "every room was tried");
    assertEquals(9, await(pass), "the failed rooms count as not repaired");
    Set<String> expected = new HashSet<>(ids);
    expected.removeAll(Set.of("!room3:caw.test", "!room5:caw.test", "!room7:caw.test"));
    assertEquals(expected, repairedRooms);
    // The room that threw is not left marked as being reconciled: the next run tries it again.
    assertTrue(reconciler.reconcile("!room5:caw.test").failed());
    assertEquals(2, fetches.get("!room5:caw.test"));
  }

  @Test
  void aRoomAskedForWhileItIsBeingReconciledIsReadOnceMoreAfter() throws Exception {
    String room = rooms(1).get(0);
    List<Promise<JsonArray>> pending = new ArrayList<>();
    Reconciler reconciler = reconciler(homeserver(roomId -> {
      Promise<JsonArray> answer = Promise.promise();
      pending.add(answer);
      return answer.future();
    }), 1);

    Future<Integer> first = reconciler.reconcile(room);
    // A failed kick's repair arrives while the room is read: that read may predate the intruder.
    assertEquals(0, await(reconciler.reconcile(room)));
    assertEquals(0, await(reconciler.reconcile(room)), "asked twice meanwhile: still one more read");
    assertEquals(1, fetches.get(room));
    pending.remove(0).complete(new JsonArray());
    await(first);
    assertEquals(2, fetches.get(room), "read again once the first read was done");
    pending.remove(0).complete(new JsonArray());
    assertTrue(pending.isEmpty());
    assertEquals(2, fetches.get(room), "and not a third time");
  }

  @Test
  void roomsThatMeetTheirPolicyNeedNoRepair() throws Exception {
    List<String> ids = rooms(5);
    JsonArray state = RoomFixture.stateMeetingPolicy(RoomFixture.context(RoomFixture.policies()));
    Reconciler reconciler = reconciler(homeserver(roomId -> Future.succeededFuture(state.copy())), 2);

    assertEquals(0, await(reconciler.reconcileAll()));
    assertEquals(Set.copyOf(ids), fetches.keySet());
    assertEquals(Set.of(), repairedRooms);
  }

  /**
   * Answers that are there at once (no I/O in between) must not nest one call per room: a pass over
   * 10,000 rooms would then run out of stack.
   */
  @Test
  void manyRoomsAnsweredAtOnceDoNotGrowTheStack() throws Exception {
    List<String> ids = rooms(10_000);
    JsonArray state = RoomFixture.stateMeetingPolicy(RoomFixture.context(RoomFixture.policies()));
    Reconciler reconciler = reconciler(homeserver(roomId -> Future.succeededFuture(state.copy())), 8);

    assertEquals(0, await(reconciler.reconcileAll()));
    assertEquals(ids.size(), fetches.size());
    assertTrue(fetches.values().stream().allMatch(count -> count == 1));
  }
  /** The room meeting its policy, plus one standing invite of {@code invitee} sent by {@code inviter}. */
  private static JsonArray stateWithInvite(String invitee, String inviter) throws Exception {
    JsonArray state = RoomFixture.stateMeetingPolicy(RoomFixture.context(RoomFixture.policies()));
    state.add(RoomFixture.stateEvent("m.room.member", invitee, Map.of("membership", "invite"))
        .put("sender", inviter));
    return state;
  }

  private List<String> kicked() {
    return executed.stream().filter(Action.Kick.class::isInstance)
        .map(action -> ((Action.Kick) action).userId()).toList();
  }

  /**
   * The invite rule of the event path, applied to invites the bridge did not see (it was down, or
   * a missed transaction): only the counsellor invites, and only people whose consent is on record.
   */
  @Test
  void anInviteSentByAnotherMemberIsRemovedOnReconcile() throws Exception {
    String room = rooms(1).get(0);
    consentOnRecord.add("@guest:caw.test");
    JsonArray state = stateWithInvite("@guest:caw.test", "@colleague:caw.test");
    Reconciler reconciler = reconciler(homeserver(id -> Future.succeededFuture(state.copy())), 1);

    assertEquals(2, await(reconciler.reconcile(room)));
    assertEquals(List.of("@guest:caw.test"), kicked());
    assertEquals("alleen de hulpverlener nodigt uit", ((Action.Kick) executed.get(0)).reason());
    assertTrue(executed.get(1) instanceof Action.SendNotice, "the counsellor hears of it");
  }

  @Test
  void theCounsellorsInviteStaysWithConsentAndGoesWithout() throws Exception {
    String room = rooms(1).get(0);
    JsonArray state = stateWithInvite("@guest:caw.test", RoomFixture.LIEN);
    Reconciler reconciler = reconciler(homeserver(id -> Future.succeededFuture(state.copy())), 1);

    assertEquals(2, await(reconciler.reconcile(room)), "no consent on record: the invite goes");
    assertEquals(List.of("@guest:caw.test"), kicked());
    assertEquals("nog geen toestemming", ((Action.Kick) executed.get(0)).reason());
    assertEquals(List.of(Set.of("@guest:caw.test")), consentAsked, "only the invited person is asked about");

    executed.clear();
    consentOnRecord.add("@guest:caw.test");
    assertEquals(0, await(reconciler.reconcile(room)), "with consent the counsellor's invite stands");
    assertEquals(List.of(), executed);
  }

  @Test
  void roomsWithoutInvitesAskTheConsentLedgerNothing() throws Exception {
    rooms(3);
    JsonArray state = RoomFixture.stateMeetingPolicy(RoomFixture.context(RoomFixture.policies()));
    Reconciler reconciler = reconciler(homeserver(roomId -> Future.succeededFuture(state.copy())), 2);

    assertEquals(0, await(reconciler.reconcileAll()));
    assertEquals(List.of(), consentAsked);
  }
  /**
   * The dry run of a policy edit: the rooms under that policy reconciled under the edited text from
   * the state the bridge keeps; the homeserver is not asked and nothing is executed.
   */
  @Test
  void aPreviewSaysWhatAnEditWouldChangeAndDoesNothing() throws Exception {
    List<String> ids = rooms(3);
    JsonArray state = RoomFixture.stateMeetingPolicy(RoomFixture.context(RoomFixture.policies()));
    ids.forEach(id -> registry.loadState(id, state.copy()));
    String current = java.nio.file.Files.readString(java.nio.file.Path.of("..", "policy", "policies", "caw.yaml"));
    String edited = current.replaceFirst("max_lifetime: 30d", "max_lifetime: 7d");
    assertTrue(!edited.equals(current), "the fixture policy has a 30-day lifetime to edit");
    Reconciler reconciler = reconciler(homeserver(roomId -> {
      throw new AssertionError("a preview must not call the homeserver");
    }), 2);

    List<Reconciler.Preview> previews = await(reconciler.preview(
        be.praatbrug.policy.rules.PolicyParser.parse("test", "caw", edited)));

    assertEquals(3, previews.size(), "every room under the policy would change");
    for (Reconciler.Preview preview : previews) {
      assertEquals("rustige-groene-boot", preview.roomName());
      assertEquals(List.of("m.room.retention"), preview.actions().stream()
          .filter(Action.SetState.class::isInstance).map(action -> ((Action.SetState) action).eventType()).toList());
    }
    assertEquals(List.of(), executed, "nothing was executed");
    assertEquals(List.of(), await(reconciler.preview(
        be.praatbrug.policy.rules.PolicyParser.parse("test", "caw", current))), "the text in force changes nothing");
  }
}
