package be.praatbrug.bridge.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code maxAttempts} attempts per key (a client IP address) in a sliding window.
 *
 * <p>Knock codes have about 40 bits of entropy; with ten wrong guesses per address per ten
 * minutes, trying them all would take longer than any code lives. Kept in memory: a restart
 * forgives, which costs an attacker more than it gains them. Used from the event loop only.
 */
public final class AttemptThrottle {

  private final int maxAttempts;
  private final Duration window;
  private final Clock clock;
  private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();
  private Instant lastSweep;

  public AttemptThrottle(int maxAttempts, Duration window, Clock clock) {
    this.maxAttempts = maxAttempts;
    this.window = window;
    this.clock = clock;
    this.lastSweep = clock.instant();
  }

  /** Zero when {@code key} may try now; otherwise how long until it may. */
  public Duration waitFor(String key) {
    Deque<Instant> recent = prune(key);
    if (recent == null || recent.size() < maxAttempts) {
      return Duration.ZERO;
    }
    return Duration.between(clock.instant(), recent.peekFirst().plus(window));
  }

  /** Counts one attempt by {@code key}; once a window, forgets keys that went idle. */
  public void record(String key) {
    Instant now = clock.instant();
    if (!now.isBefore(lastSweep.plus(window))) {
      lastSweep = now;
      forgetIdle();
    }
    attempts.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
  }

  /** Forgets keys whose attempts have all left the window, so memory stays bounded. */
  public void forgetIdle() {
    attempts.keySet().forEach(this::prune);
  }

  private Deque<Instant> prune(String key) {
    Instant cutoff = clock.instant().minus(window);
    return attempts.computeIfPresent(key, (k, recent) -> {
      while (!recent.isEmpty() && !recent.peekFirst().isAfter(cutoff)) {
        recent.removeFirst();
      }
      return recent.isEmpty() ? null : recent;
    });
  }
}
