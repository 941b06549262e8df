package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BotRoomsTest {

  private static final String BOT = "@praatbrug:caw.test";

  private static JsonObject member(String room, String user, String membership) {
    return new JsonObject().put("type", "m.room.member").put("room_id", room).put("state_key", user)
        .put("content", new JsonObject().put("membership", membership));
  }

  @Test
  void followsTheBotsOwnMembershipOnly() {
    BotRooms rooms = new BotRooms(BOT);
    rooms.addAll(new JsonArray().add("!dm:caw.test"));
    rooms.observe(new JsonObject().put("events", new JsonArray()
        .add(member("!new:caw.test", BOT, "invite"))
        .add(member("!other:caw.test", "@someone:caw.test", "join"))
        .add(member("!dm:caw.test", BOT, "leave"))));

    assertTrue(rooms.contains("!new:caw.test"), "invited: its room keys are wanted");
    assertFalse(rooms.contains("!other:caw.test"), "someone else's join says nothing about the bot");
    assertFalse(rooms.contains("!dm:caw.test"), "left");
  }
}
