package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.e2ee.EncryptedNotices;
import be.praatbrug.bridge.matrix.RecordingMatrixClient;
import be.praatbrug.bridge.matrix.RoomStateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The bot's notices: plain where the room is plain, never plain where it is encrypted. */
class NoticesTest {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String ROOM = "!chat:caw.test";

  private boolean encrypted;
  private final RecordingMatrixClient matrix = new RecordingMatrixClient(BOT)
      .answer("roomState", args -> Future.succeededFuture(state()))
      .answer("sendEvent", args -> Future.succeededFuture("$sent"));
  private final Notices notices = new Notices(matrix,
      new EncryptedNotices(new RoomStateStore(matrix, () -> 0L), () -> null));

  @Test
  void aNoticeInAPlainRoomIsSentOnceUnderItsKey() {
    assertTrue(notices.send(ROOM, "Welkom / Welcome", "key-1").succeeded());
    RecordingMatrixClient.Call sent = matrix.calls().stream()
        .filter(call -> call.method().equals("sendEvent")).findFirst().orElseThrow();
    assertEquals(ROOM, sent.args().get(0));
    assertEquals("m.room.message", sent.args().get(1));
    assertEquals("key-1", sent.args().get(2));
    assertEquals("m.notice", ((JsonObject) sent.args().get(3)).getString("msgtype"));
  }

  @Test
  void anEncryptedRoomWithoutTheBotsDeviceGetsNothingInPlain() {
    encrypted = true;
    assertTrue(notices.send(ROOM, "geheim", "key-2").failed());
    assertEquals(0, matrix.count("sendEvent"));
  }

  @Test
  void manyNoticesToOneRoomReadItsStateOnce() {
    for (int i = 0; i < 5; i++) {
      notices.send(ROOM, "melding " + i, "key-" + i);
    }
    assertEquals(5, matrix.count("sendEvent"));
    assertEquals(1, matrix.count("roomState"), "one request per notice, not two");
  }

  private JsonArray state() {
    JsonArray state = new JsonArray().add(new JsonObject().put("type", "m.room.member").put("state_key", BOT)
        .put("content", new JsonObject().put("membership", "join")));
    if (encrypted) {
      state.add(new JsonObject().put("type", "m.room.encryption").put("state_key", "")
          .put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")));
    }
    return state;
  }
}
