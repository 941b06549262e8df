package be.praatbrug.bridge.rooms;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Compact, deeply immutable copies of what {@link RoomRegistry} keeps per room.
 *
 * <p>With thousands of rooms the same values recur: join rules, encryption and retention settings
 * are equal in every room of a policy, power levels in every room of one counsellor, and user ids,
 * memberships and state keys repeat everywhere. Parsed JSON keeps a fresh tree of linked maps and
 * strings per room; here equal contents share one copy (held weakly, so a forgotten room leaves
 * nothing behind) and strings are interned, which keeps the registry's heap close to what really
 * differs between rooms. The copies are immutable, so sharing them between rooms is safe.
 */
final class CompactState {

  private final Map<Map<String, Object>, WeakReference<Map<String, Object>>> contents = new WeakHashMap<>();

  /** The shared copy of a state event's content. */
  synchronized Map<String, Object> content(Map<String, Object> content) {
    Map<String, Object> copy = map(content);
    WeakReference<Map<String, Object>> known = contents.get(copy);
    Map<String, Object> shared = known == null ? null : known.get();
    if (shared != null) {
      return shared;
    }
    contents.put(copy, new WeakReference<>(copy));
    return copy;
  }

  /** A user id, room id, state key or the like: one instance per distinct value. */
  static String text(String value) {
    return value == null ? null : value.intern();
  }

  /** A membership, as the constant of its kind (the homeserver's own spellings are all there is). */
  static String membership(String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "join" -> "join";
      case "invite" -> "invite";
      case "knock" -> "knock";
      case "leave" -> "leave";
      case "ban" -> "ban";
      default -> value.intern();
    };
  }

  private static Map<String, Object> map(Map<?, ?> source) {
    List<Map.Entry<String, Object>> entries = new ArrayList<>(source.size());
    boolean hasNull = false;
    for (Map.Entry<?, ?> entry : source.entrySet()) {
      Object value = value(entry.getValue());
      hasNull |= value == null;
      entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(text(String.valueOf(entry.getKey())), value));
    }
    if (hasNull) {
      // JSON null is a value of its own, and the compact immutable maps refuse it.
      Map<String, Object> withNulls = new LinkedHashMap<>();
      entries.forEach(entry -> withNulls.put(entry.getKey(), entry.getValue()));
      return Collections.unmodifiableMap(withNulls);
    }
    @SuppressWarnings("unchecked")
    Map.Entry<String, Object>[] array = entries.toArray(Map.Entry[]::new);
    return Map.ofEntries(array);
  }

  private static Object value(Object value) {
    if (value instanceof Map<?, ?> nested) {
      return map(nested);
    }
    if (value instanceof List<?> list) {
      List<Object> items = new ArrayList<>(list.size());
      boolean hasNull = false;
      for (Object item : list) {
        Object copy = value(item);
        hasNull |= copy == null;
        items.add(copy);
      }
      return hasNull ? Collections.unmodifiableList(items) : List.copyOf(items);
    }
    if (value instanceof String text) {
      return text(text);
    }
    return value;
  }
}
