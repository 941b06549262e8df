package be.praatbrug.bridge.door;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter that moves on every change to the waiting line, and the pages waiting for it to move:
 * a person's page asks "anything new since version v?" and is answered the moment a place, a take
 * or the duty changes, instead of polling every few seconds (the first question's latency).
 */
final class LineChanges {

  private final AtomicLong version = new AtomicLong();
  private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

  long version() {
    return version.get();
  }

  /** Runs {@code listener} once, at the next change (or now, if {@code seen} is already old). */
  void afterChange(long seen, Runnable listener) {
    waiting.add(listener);
    if (version.get() != seen && waiting.remove(listener)) {
      listener.run();
    }
  }

  /** Forgets a listener whose page stopped waiting (timed out, or the connection closed). */
  void cancel(Runnable listener) {
    waiting.remove(listener);
  }

  int listeners() {
    return waiting.size();
  }

  void changed() {
    version.incrementAndGet();
    for (Runnable listener : List.copyOf(waiting)) {
      if (waiting.remove(listener)) {
        listener.run();
      }
    }
  }
}
