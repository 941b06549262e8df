package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import be.praatbrug.bridge.widget.CallWidgetState;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.PolicyContext;
import be.praatbrug.policy.rooms.RoomSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Counselling rooms of caw.test under the shipped {@code caw} policy (calls on), for the rooms tests. */
public final class RoomFixture {

  public static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
  public static final String BOT = "@praatbrug:caw.test";
  public static final String LIEN = "@lien:caw.test";
  public static final BotContext BOT_CONTEXT = new BotContext(BOT, "caw.test");

  private RoomFixture() {}

  public static CounsellingRoom openRoom(String roomId, String clientId) {
    return new CounsellingRoom(roomId, "caw", LIEN, "!control:caw.test", "rustige-groene-boot", "open",
        clientId, null, NOW, clientId == null ? null : NOW, null);
  }

  /** The repository's own policy files. */
  public static PolicyRepository policies() throws Exception {
    PolicyRepository policies = new PolicyRepository(Path.of("..", "policy", "policies"), "caw.test", "caw");
    policies.load();
    return policies;
  }

  /** The call widget's state as the bridge builds it from its config. */
  public static Map<String, Map<String, Object>> callWidget() {
    Map<String, Map<String, Object>> widget = new LinkedHashMap<>();
    for (CallWidgetState.StateEvent event : CallWidgetState.forRoom(new WidgetSection(
        "https://praatbrug.caw.test", "https://matrix.caw.test", List.of(), false), BOT)) {
      widget.put(RoomSnapshot.stateKey(event.type(), event.stateKey()), JsonBodies.plainMap(event.content()));
    }
    return widget;
  }

  public static PolicyContext context(PolicyRepository policies) {
    return new PolicyContext(BOT_CONTEXT, policies.get("caw"), new byte[32], Set.of(), callWidget(),
        Clients.NONE);
  }

  static JsonObject stateEvent(String type, String stateKey, Map<String, Object> content) {
    // Through JSON text, as the homeserver's answer arrives.
    return new JsonObject().put("type", type).put("state_key", stateKey)
        .put("content", new JsonObject(new JsonObject(content).encode()));
  }

  /**
   * {@code GET /rooms/{id}/state} of an open room that meets its policy: the bot and the counsellor
   * in it, every governed setting as the policy wants it, plus a creation event nobody reads.
   */
  public static JsonArray stateMeetingPolicy(PolicyContext context) {
    JsonArray state = new JsonArray()
        .add(stateEvent("m.room.create", "", Map.of("creator", BOT, "room_version", "10")))
        .add(stateEvent("m.room.member", LIEN, Map.of("membership", "join")))
        .add(stateEvent("m.room.member", BOT, Map.of("membership", "join")));
    context.expectedState(LIEN, true).forEach((key, content) -> state.add(stateEvent(
        key.substring(0, key.indexOf('|')), key.substring(key.indexOf('|') + 1), content)));
    return state;
  }
}
