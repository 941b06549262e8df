package be.praatbrug.bridge.entry;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A budget of wrong hand-typed codes for the whole bridge, against guessing spread over many
 * addresses (each of which stays under its own limit).
 *
 * <p>While fewer than {@code budget} wrong codes came in the window, every lookup goes at once.
 * Beyond it, lookups take turns, one per {@code interval} for everyone together: guessing is
 * slowed to that pace, and a valid code still gets its answer, only later. Only when the queue
 * is longer than {@code maxWait} does a lookup get "busy, try again" instead of a turn, so a
 * flood of requests cannot pile up without end. Links are never paced: they cannot be guessed.
 * Used from the event loop only.
 */
final class GuessPacer {

  /** The queue is longer than the longest wait: try again after {@link #retryAfter}. */
  static final class Busy extends Exception {
    private final Duration retryAfter;

    Busy(Duration retryAfter) {
      super("too many wrong codes everywhere; try again later", null, false, false);
      this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
      return retryAfter;
    }
  }

  private final Vertx vertx;
  private final int budget;
  private final Duration window;
  private final Duration interval;
  private final Duration maxWait;
  private final Clock clock;
  private final Deque<Instant> wrong = new ArrayDeque<>();
  private Instant nextTurn = Instant.EPOCH;

  GuessPacer(Vertx vertx, int budget, Duration window, Duration interval, Duration maxWait, Clock clock) {
    this.vertx = vertx;
    this.budget = budget;
    this.window = window;
    this.interval = interval;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /** Completes when this lookup may go; fails with {@link Busy} when the queue is too long. */
  Future<Void> turn() {
    Instant now = clock.instant();
    if (!overBudget(now)) {
      return Future.succeededFuture();
    }
    Instant slot = nextTurn.isAfter(now) ? nextTurn : now;
    Duration wait = Duration.between(now, slot);
    if (wait.compareTo(maxWait) > 0) {
      return Future.failedFuture(new Busy(wait));
    }
    nextTurn = slot.plus(interval);
    if (wait.isZero()) {
      return Future.succeededFuture();
    }
    Promise<Void> go = Promise.promise();
    vertx.setTimer(Math.max(1, wait.toMillis()), timer -> go.complete());
    return go.future();
  }

  /** One wrong code, from anyone. */
  void recordWrong() {
    Instant now = clock.instant();
    prune(now);
    wrong.addLast(now);
  }

  /** Wrong codes in the current window (for tests and logs). */
  int wrongInWindow() {
    prune(clock.instant());
    return wrong.size();
  }

  private boolean overBudget(Instant now) {
    prune(now);
    return wrong.size() >= budget;
  }

  private void prune(Instant now) {
    Instant cutoff = now.minus(window);
    while (!wrong.isEmpty() && !wrong.peekFirst().isAfter(cutoff)) {
      wrong.removeFirst();
    }
  }
}
