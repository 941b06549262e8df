package be.praatbrug.bridge.consent;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one at a time per key (a client record), in the order it was asked for;
 * different keys run side by side. Nothing blocks: each piece of work starts when the previous one
 * for its key has completed, whether that succeeded or failed.
 *
 * <p>Why: a consent decision reads the ledger, then writes to it. Two decisions for one record at
 * the same moment (two tabs, a command and the client page) would both read "no consent yet" and
 * both write. A key is forgotten as soon as its last piece of work completes, so the map holds only
 * records with a decision under way.
 */
final class OnePerRecord {

  private final Map<String, Future<?>> tails = new HashMap<>();

  /** Runs {@code work} once every earlier piece of work for {@code key} has completed. */
  <T> Future<T> run(String key, Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    Future<?> previous;
    synchronized (tails) {
      previous = tails.getOrDefault(key, Future.succeededFuture());
      tails.put(key, result.future());
    }
    // Only if nothing was queued behind it: a later piece of work is the tail then.
    result.future().onComplete(done -> {
      synchronized (tails) {
        tails.remove(key, result.future());
      }
    });
    // Outside the lock: the work may complete at once and run callbacks that queue more.
    previous.onComplete(done -> start(work).onComplete(result));
    return result.future();
  }

  /** Keys with work under way or waiting. */
  int busyKeys() {
    synchronized (tails) {
      return tails.size();
    }
  }

  private static <T> Future<T> start(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
