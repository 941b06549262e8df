package be.praatbrug.bridge.rooms;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Function;

/**
 * Rooms to reconcile after a removal failed, at most {@code concurrency} at a time; the rest wait
 * their turn. Why: when the homeserver is overloaded in a burst, many kicks can fail together, and
 * a state fetch for every one of those rooms at once would add to the very load that made them fail.
 */
public final class BoundedRepairs {

  private record Waiting(String roomId, Promise<Integer> turn) {}

  private final Function<String, Future<Integer>> reconcile;
  private final int concurrency;
  private final Queue<Waiting> waiting = new ArrayDeque<>();
  private int running;

  /** @param reconcile one room's reconciliation ({@link Reconciler#reconcile}) */
  public BoundedRepairs(Function<String, Future<Integer>> reconcile, int concurrency) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency < 1: " + concurrency);
    }
    this.reconcile = reconcile;
    this.concurrency = concurrency;
  }

  /** Reconciles the room when its turn comes; completes as that reconciliation does. */
  public Future<Integer> repair(String roomId) {
    Promise<Integer> turn = Promise.promise();
    synchronized (this) {
      waiting.add(new Waiting(roomId, turn));
    }
    startWhatFits();
    return turn.future();
  }

  private synchronized Waiting next() {
    if (running >= concurrency || waiting.isEmpty()) {
      return null;
    }
    running++;
    return waiting.poll();
  }

  private void startWhatFits() {
    for (Waiting one = next(); one != null; one = next()) {
      Future<Integer> done;
      try {
        done = reconcile.apply(one.roomId());
      } catch (RuntimeException bug) {
        done = Future.failedFuture(bug);
      }
      if (done.isComplete()) {
        // Looped rather than called back, so that rooms finishing at once do not grow the stack.
        finished(one, done);
        continue;
      }
      Waiting later = one;
      Future<Integer> pending = done;
      pending.onComplete(result -> {
        finished(later, pending);
        startWhatFits();
      });
    }
  }

  private void finished(Waiting one, Future<Integer> done) {
    synchronized (this) {
      running--;
    }
    one.turn().handle(done);
  }
}
