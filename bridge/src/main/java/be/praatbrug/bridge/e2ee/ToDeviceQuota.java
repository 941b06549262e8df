package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code perWindow} to-device messages per sender in each window are worked on; the rest
 * are dropped before any decryption, key query or write. A device sends the bot a few room keys,
 * key forwards and requests at a time; one account sending thousands is someone filling the
 * bot's queue, and must not hold up anyone else's. Used from the event loop only.
 */
final class ToDeviceQuota {

  private static final Logger LOG = LoggerFactory.getLogger(ToDeviceQuota.class);

  private final int perWindow;
  private final long windowNanos;
  private final Map<String, Count> counts = new HashMap<>();
  private long windowStart;

  private static final class Count {
    int taken;
    int dropped;
  }

  ToDeviceQuota(int perWindow, long windowMillis) {
    this.perWindow = perWindow;
    this.windowNanos = windowMillis * 1_000_000L;
    this.windowStart = System.nanoTime();
  }

  /** The messages whose sender has quota left; a sender's first drop in a window is logged (a count). */
  JsonArray filter(JsonArray events) {
    JsonArray taken = new JsonArray();
    for (Object item : events) {
      String sender = item instanceof JsonObject event ? event.getString("sender", "") : "";
      if (take(sender)) {
        taken.add(item);
      } else if (dropped(sender) == 1) {
        LOG.warn("to-device messages beyond {} a minute from one sender are dropped", perWindow);
      }
    }
    return taken;
  }

  /** Whether one more message of {@code sender} may be worked on in this window. */
  boolean take(String sender) {
    long now = System.nanoTime();
    if (now - windowStart >= windowNanos) {
      counts.clear();
      windowStart = now;
    }
    Count count = counts.computeIfAbsent(sender, s -> new Count());
    if (count.taken < perWindow) {
      count.taken++;
      return true;
    }
    count.dropped++;
    return false;
  }

  /** Messages of {@code sender} dropped in this window. */
  int dropped(String sender) {
    Count count = counts.get(sender);
    return count == null ? 0 : count.dropped;
  }
}
