package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms the bot is in or invited to: the only rooms whose room keys its device keeps (room
 * keys for other rooms are of no use to it and would let anyone fill its store). Loaded from the
 * homeserver at start ({@code /joined_rooms}) and kept current from the bot's own membership
 * events, which each transaction is scanned for before its to-device messages are worked on.
 */
final class BotRooms {

  private final String botUserId;
  private final Set<String> rooms = ConcurrentHashMap.newKeySet();

  BotRooms(String botUserId) {
    this.botUserId = botUserId;
  }

  void addAll(JsonArray joined) {
    joined.forEach(room -> {
      if (room instanceof String id) {
        rooms.add(id);
      }
    });
  }

  /** Applies the bot's membership changes among a transaction's room events. */
  void observe(JsonObject transactionBody) {
    for (Object item : transactionBody.getJsonArray("events", new JsonArray())) {
      if (item instanceof JsonObject event && "m.room.member".equals(event.getString("type"))
          && botUserId.equals(event.getString("state_key")) && event.getString("room_id") != null) {
        Object content = event.getValue("content");
        String membership = content instanceof JsonObject member ? member.getString("membership", "") : "";
        if (membership.equals("join") || membership.equals("invite")) {
          rooms.add(event.getString("room_id"));
        } else {
          rooms.remove(event.getString("room_id"));
        }
      }
    }
  }

  boolean contains(String roomId) {
    return rooms.contains(roomId);
  }
}
