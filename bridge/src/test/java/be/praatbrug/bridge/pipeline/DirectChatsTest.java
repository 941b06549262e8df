package be.praatbrug.bridge.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.matrix.RecordingMatrixClient;
import be.praatbrug.bridge.matrix.RoomStateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The bot's direct chats: found again through m.direct, made when the person left them. */
class DirectChatsTest {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String SARA = "@sara:caw.test";
  private static final String OLD_CHAT = "!old:caw.test";

  private JsonObject direct = new JsonObject().put(SARA, new JsonArray().add(OLD_CHAT));
  private String saraMembership = "join";
  private final RecordingMatrixClient matrix = new RecordingMatrixClient(BOT)
      .answer("accountData", args -> Future.succeededFuture(direct.copy()))
      .answer("setAccountData", args -> {
        direct = (JsonObject) args.get(1);
        return Future.succeededFuture();
      })
      .answer("roomState", args -> Future.succeededFuture(new JsonArray()
          .add(member(BOT, "join")).add(member(SARA, saraMembership))))
      .answer("createRoom", args -> Future.succeededFuture("!new:caw.test"));

  @Test
  void theChatOnRecordIsUsedWhileThePersonIsInIt() {
    DirectChats chats = new DirectChats(matrix, new RoomStateStore(matrix, () -> 0L), () -> true);
    assertEquals(OLD_CHAT, chats.with(SARA).result());
    assertEquals(OLD_CHAT, chats.with(SARA).result());
    assertEquals(0, matrix.count("createRoom"));
    assertEquals(1, matrix.count("accountData"), "found once, then known");
    assertEquals(1, matrix.count("roomState"), "membership kept in the room-state store");
  }

  @Test
  void aPersonWhoLeftGetsANewEncryptedChatRecordedInMDirect() {
    saraMembership = "leave";
    DirectChats chats = new DirectChats(matrix, new RoomStateStore(matrix, () -> 0L), () -> true);
    assertEquals("!new:caw.test", chats.with(SARA).result());
    JsonObject request = (JsonObject) matrix.calls().stream()
        .filter(call -> call.method().equals("createRoom")).findFirst().orElseThrow().args().get(0);
    assertEquals(new JsonArray().add(SARA), request.getJsonArray("invite"));
    assertEquals("m.room.encryption", request.getJsonArray("initial_state").getJsonObject(0).getString("type"));
    assertEquals(new JsonArray().add(OLD_CHAT).add("!new:caw.test"), direct.getJsonArray(SARA));
  }

  @Test
  void withoutTheBotsDeviceANewChatIsNotEncrypted() {
    direct = new JsonObject();
    DirectChats chats = new DirectChats(matrix, new RoomStateStore(matrix, () -> 0L), () -> false);
    assertEquals("!new:caw.test", chats.with(SARA).result());
    JsonObject request = (JsonObject) matrix.calls().stream()
        .filter(call -> call.method().equals("createRoom")).findFirst().orElseThrow().args().get(0);
    assertTrue(request.getJsonArray("initial_state").isEmpty(), "the bot could not read or write it encrypted");
    assertEquals(0, matrix.count("roomState"), "no chat on record: nothing to look at");
  }

  private static JsonObject member(String userId, String membership) {
    return new JsonObject().put("type", "m.room.member").put("state_key", userId)
        .put("content", new JsonObject().put("membership", membership));
  }
}
