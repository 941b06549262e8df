package be.praatbrug.bridge.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Room members and encryption kept from transactions instead of one {@code /state} per message. */
class RoomStateStoreTest {

  private static final String ROOM = "!chat:caw.test";
  private static final String BOT = "@praatbrug:caw.test";

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final RecordingMatrixClient matrix = new RecordingMatrixClient(BOT)
      .answer("roomState", args -> Future.succeededFuture(state(true, member(BOT, "join"),
          member("@an:caw.test", "join"), member("@bo:caw.test", "invite"), member("@cas:caw.test", "leave"))));
  private final RoomStateStore store = new RoomStateStore(matrix, now::get);

  @Test
  void aRoomIsReadOnceAndThenAnsweredFromTheStore() {
    RoomStateStore.RoomState first = store.get(ROOM).result();
    RoomStateStore.RoomState second = store.get(ROOM).result();
    assertEquals(Set.of(BOT, "@an:caw.test", "@bo:caw.test"), first.members(), "joined and invited, not who left");
    assertEquals("m.megolm.v1.aes-sha2", first.encryption().orElseThrow().getString("algorithm"));
    assertEquals(first, second);
    assertEquals(1, matrix.count("roomState"));
  }

  @Test
  void stateEventsInTransactionsKeepTheRoomCurrentWithoutAnotherRead() {
    store.get(ROOM);
    store.observe(transaction(member("@dirk:caw.test", "join"), member("@an:caw.test", "leave"),
        new JsonObject().put("type", "m.room.message").put("room_id", ROOM).put("content", new JsonObject())));
    RoomStateStore.RoomState now = store.get(ROOM).result();
    assertTrue(now.isMember("@dirk:caw.test"));
    assertFalse(now.isMember("@an:caw.test"));
    assertEquals(1, matrix.count("roomState"));
  }

  @Test
  void aRoomThatBecomesEncryptedIsEncryptedForTheNextMessage() {
    RecordingMatrixClient plain = new RecordingMatrixClient(BOT)
        .answer("roomState", args -> Future.succeededFuture(state(false, member(BOT, "join"))));
    RoomStateStore rooms = new RoomStateStore(plain, now::get);
    assertTrue(rooms.get(ROOM).result().encryption().isEmpty());
    rooms.observe(transaction(new JsonObject().put("type", "m.room.encryption").put("state_key", "")
        .put("room_id", ROOM).put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2"))));
    assertTrue(rooms.get(ROOM).result().encryption().isPresent());
    assertEquals(1, plain.count("roomState"));
  }

  @Test
  void anEntryOlderThanAnHourIsReadAgain() {
    store.get(ROOM);
    now.addAndGet(RoomStateStore.FRESH_MS - 1);
    store.get(ROOM);
    assertEquals(1, matrix.count("roomState"));
    now.addAndGet(1);
    store.get(ROOM);
    assertEquals(2, matrix.count("roomState"));
  }

  @Test
  void readsAtTheSameMomentShareOneRequest() {
    Promise<JsonArray> answer = Promise.promise();
    RecordingMatrixClient slow = new RecordingMatrixClient(BOT).answer("roomState", args -> answer.future());
    RoomStateStore rooms = new RoomStateStore(slow, now::get);
    Future<RoomStateStore.RoomState> first = rooms.get(ROOM);
    Future<RoomStateStore.RoomState> second = rooms.get(ROOM);
    answer.complete(state(true, member(BOT, "join")));
    assertEquals(Set.of(BOT), first.result().members());
    assertEquals(Set.of(BOT), second.result().members());
    assertEquals(1, slow.count("roomState"));
    rooms.get(ROOM);
    assertEquals(1, slow.count("roomState"), "the shared answer was kept");
  }

  @Test
  void aStateEventDuringTheReadMakesItsAnswerUsedOnceButNotKept() {
    Promise<JsonArray> answer = Promise.promise();
    RecordingMatrixClient slow = new RecordingMatrixClient(BOT).answer("roomState", args -> answer.future());
    RoomStateStore rooms = new RoomStateStore(slow, now::get);
    Future<RoomStateStore.RoomState> during = rooms.get(ROOM);
    // The answer may be from before this join: keeping it could lose the new member for an hour.
    rooms.observe(transaction(member("@dirk:caw.test", "join")));
    answer.complete(state(true, member(BOT, "join")));
    assertEquals(Set.of(BOT), during.result().members());
    assertEquals(0, rooms.size());
    rooms.get(ROOM);
    assertEquals(2, slow.count("roomState"));
  }

  @Test
  void aFailedReadIsNotKeptAndTheNextUseAsksAgain() {
    RecordingMatrixClient failing = new RecordingMatrixClient(BOT)
        .answer("roomState", args -> Future.failedFuture(new MatrixException(ErrCode.M_FORBIDDEN, "not in room")));
    RoomStateStore rooms = new RoomStateStore(failing, now::get);
    assertTrue(rooms.get(ROOM).failed());
    assertTrue(rooms.get(ROOM).failed());
    assertEquals(2, failing.count("roomState"));
  }

  @Test
  void atMostTwoThousandRoomsAreKeptTheLeastRecentlyUsedGoFirst() {
    for (int i = 0; i <= RoomStateStore.MAX_ROOMS; i++) {
      store.get("!room" + i + ":caw.test");
    }
    assertEquals(RoomStateStore.MAX_ROOMS, store.size());
    store.get("!room1:caw.test");
    assertEquals(RoomStateStore.MAX_ROOMS + 1, matrix.count("roomState"), "room 1 was still kept");
    store.get("!room0:caw.test");
    assertEquals(RoomStateStore.MAX_ROOMS + 2, matrix.count("roomState"), "room 0 went first");
  }

  private static JsonObject member(String userId, String membership) {
    return new JsonObject().put("type", "m.room.member").put("state_key", userId).put("room_id", ROOM)
        .put("content", new JsonObject().put("membership", membership));
  }

  private static JsonArray state(boolean encrypted, JsonObject... members) {
    JsonArray state = new JsonArray();
    if (encrypted) {
      state.add(new JsonObject().put("type", "m.room.encryption").put("state_key", "")
          .put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")));
    }
    for (JsonObject member : members) {
      state.add(member);
    }
    return state;
  }

  private static JsonObject transaction(JsonObject... events) {
    return new JsonObject().put("events", new JsonArray(java.util.List.of((Object[]) events)));
  }
}
