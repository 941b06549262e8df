package be.praatbrug.bridge.entry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code maxAttempts} attempts per key (a client address, see
 * {@code web.ClientAddress#limitKey}) in a sliding window.
 *
 * <p>An attempt is taken ({@link #tryTake}) before the check it guards starts, in the same step
 * as the limit is checked, so parallel requests cannot all pass the check before any of them is
 * counted; a check that succeeds gives its attempt back ({@link #giveBack}), so only failures
 * count. Kept in memory: a restart forgives, which costs an attacker more than it gains them.
 * Used from the event loop only.
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

  /**
   * Takes one attempt for {@code key} if it has any left: {@link Duration#ZERO} when taken,
   * otherwise how long until one frees up (nothing is taken then).
   */
  public Duration tryTake(String key) {
    Duration wait = waitFor(key);
    if (wait.isZero() || wait.isNegative()) {
      record(key);
      return Duration.ZERO;
    }
    return wait;
  }

  /** Gives back the latest attempt of {@code key}: what it guarded succeeded. */
  public void giveBack(String key) {
    attempts.computeIfPresent(key, (k, recent) -> {
      recent.pollLast();
      return recent.isEmpty() ? null : recent;
    });
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
