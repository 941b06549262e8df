package be.praatbrug.policy.rooms;

import be.praatbrug.policy.rules.Policy;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The room state a policy requires, and whether a room's actual state still meets it.
 *
 * <p>The bridge creates rooms with exactly this state and puts it back whenever it drifts, whoever
 * caused the drift (a member, a server admin, or an older policy). Comparison is semantic: only the
 * fields the policy governs count, so harmless extras never cause an endless revert loop.
 */
public final class ExpectedRoomState {

  public static final String MEGOLM = "m.megolm.v1.aes-sha2";

  /** State types the policy governs, in the order they are put back (power levels first). */
  public static final List<String> GOVERNED_TYPES = List.of(
      "m.room.power_levels", "m.room.join_rules", "m.room.history_visibility",
      "m.room.guest_access", "m.room.server_acl", "m.room.retention", "m.room.encryption");

  /** Settings only the bot may change; everything else falls under {@code state_default}. */
  private static final List<String> BOT_ONLY_EVENTS = List.of(
      "m.room.name", "m.room.topic", "m.room.avatar", "m.room.canonical_alias",
      "m.room.power_levels", "m.room.join_rules", "m.room.history_visibility",
      "m.room.guest_access", "m.room.server_acl", "m.room.encryption", "m.room.retention",
      "m.room.tombstone", "im.vector.modular.widgets", "io.element.widgets.layout");

  private ExpectedRoomState() {}

  /** Every governed state event's content, keyed by type (all have state key ""). */
  public static Map<String, Map<String, Object>> of(
      Policy policy, String botUserId, String counsellorId, boolean open) {
    Map<String, Map<String, Object>> state = new LinkedHashMap<>();
    state.put("m.room.power_levels", powerLevels(policy, botUserId, counsellorId));
    // A closed room takes no more knocks; only the bot could still invite.
    state.put("m.room.join_rules", Map.of("join_rule", open ? policy.joinRule() : "invite"));
    state.put("m.room.history_visibility", Map.of("history_visibility", policy.historyVisibility()));
    state.put("m.room.guest_access", Map.of("guest_access", policy.guestAccess()));
    state.put("m.room.server_acl", Map.of(
        "allow", policy.aclServers(), "deny", List.of(), "allow_ip_literals", false));
    // Synapse reads max_lifetime in milliseconds (the MSC says seconds).
    state.put("m.room.retention", Map.of("max_lifetime", policy.maxLifetime().toMillis()));
    if (policy.encryptionRequired()) {
      state.put("m.room.encryption", Map.of("algorithm", MEGOLM));
    }
    return state;
  }

  static Map<String, Object> powerLevels(Policy policy, String botUserId, String counsellorId) {
    Policy.PowerLevels levels = policy.powerLevels();
    Map<String, Object> events = new LinkedHashMap<>();
    BOT_ONLY_EVENTS.forEach(type -> events.put(type, 100));
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("users", Map.of(botUserId, 100, counsellorId, levels.counsellor()));
    content.put("users_default", 0);
    content.put("events_default", levels.eventsDefault());
    content.put("state_default", levels.stateDefault());
    content.put("invite", levels.invite());
    content.put("kick", levels.kick());
    content.put("ban", levels.ban());
    content.put("redact", levels.redact());
    content.put("events", events);
    content.put("notifications", Map.of("room", 50));
    return content;
  }

  /** Whether {@code actual} (may be {@code null}: absent) meets {@code expected} for that type. */
  public static boolean meets(String type, Map<String, Object> expected, Map<String, Object> actual) {
    if (actual == null) {
      return false;
    }
    return switch (type) {
      case "m.room.power_levels" -> powerLevelsMeet(expected, actual);
      case "m.room.server_acl" -> sameSet(expected.get("allow"), actual.get("allow"))
          && sameSet(expected.get("deny"), actual.get("deny") == null ? List.of() : actual.get("deny"))
          && Boolean.FALSE.equals(actual.getOrDefault("allow_ip_literals", true));
      default -> expected.entrySet().stream()
          .allMatch(entry -> sameValue(entry.getValue(), actual.get(entry.getKey())));
    };
  }

  private static boolean powerLevelsMeet(Map<String, Object> expected, Map<String, Object> actual) {
    for (String field : List.of("users_default", "events_default", "state_default", "invite", "kick",
        "ban", "redact")) {
      // Absent fields have spec defaults that differ from ours, so absent means "not met".
      if (!sameValue(expected.get(field), actual.get(field))) {
        return false;
      }
    }
    if (!sameMap(expected.get("users"), actual.get("users"))) {
      return false;
    }
    Map<?, ?> expectedEvents = (Map<?, ?>) expected.get("events");
    if (!(actual.get("events") instanceof Map<?, ?> actualEvents)) {
      return false;
    }
    return expectedEvents.entrySet().stream()
        .allMatch(entry -> sameValue(entry.getValue(), actualEvents.get(entry.getKey())));
  }

  private static boolean sameMap(Object expected, Object actual) {
    if (!(expected instanceof Map<?, ?> want) || !(actual instanceof Map<?, ?> have)) {
      return false;
    }
    if (want.size() != have.size()) {
      return false;
    }
    return want.entrySet().stream().allMatch(entry -> sameValue(entry.getValue(), have.get(entry.getKey())));
  }

  private static boolean sameSet(Object expected, Object actual) {
    if (!(expected instanceof List<?> want) || !(actual instanceof List<?> have)) {
      return false;
    }
    return new HashSet<>(want).equals(new HashSet<>(have));
  }

  /** JSON numbers arrive as Integer or Long; compare them by value. */
  private static boolean sameValue(Object expected, Object actual) {
    if (expected instanceof Number want && actual instanceof Number have) {
      return want.longValue() == have.longValue() && !(have instanceof Double || have instanceof Float);
    }
    return Objects.equals(expected, actual);
  }
}
