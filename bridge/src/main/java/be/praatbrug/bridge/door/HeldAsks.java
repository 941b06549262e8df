package be.praatbrug.bridge.door;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The people's pages asking for their ticket, held until the line changes (long polling): one ask
 * per ticket at most (a second tab's ask answers the first one, marked displaced, so two tabs
 * cannot pile up asks), each answered exactly once, and forgotten when its connection closes.
 */
final class HeldAsks {

  private final Vertx vertx;
  private final LineChanges changes;
  private final Map<Long, Held> byTicket = new ConcurrentHashMap<>();

  HeldAsks(Vertx vertx, LineChanges changes) {
    this.vertx = vertx;
    this.changes = changes;
  }

  /**
   * Holds until the line moves past version {@code seen}, {@code waitMs} passed, or a newer ask for
   * the same ticket came; then {@code answer} runs once on the caller's context, with {@code true}
   * when displaced. Call on the request's context. Returns what forgets the ask unanswered (its
   * connection closed).
   */
  Runnable hold(long ticket, long seen, long waitMs, Consumer<Boolean> answer) {
    Held held = new Held(ticket, vertx.getOrCreateContext(), answer);
    Held older = byTicket.put(ticket, held);
    if (older != null) {
      older.finish(true);
    }
    held.timer = vertx.setTimer(waitMs, fired -> held.finish(false));
    changes.afterChange(seen, held);
    return held::forget;
  }

  int held() {
    return byTicket.size();
  }

  private final class Held implements Runnable {
    private final long ticket;
    private final Context context;
    private final Consumer<Boolean> answer;
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile long timer = -1;

    Held(long ticket, Context context, Consumer<Boolean> answer) {
      this.ticket = ticket;
      this.context = context;
      this.answer = answer;
    }

    /** The line changed (run by {@link LineChanges}, on whichever thread changed it). */
    @Override
    public void run() {
      finish(false);
    }

    void finish(boolean displaced) {
      if (forget()) {
        context.runOnContext(now -> answer.accept(displaced));
      }
    }

    /** True for the one caller that ends this ask. */
    boolean forget() {
      if (!done.compareAndSet(false, true)) {
        return false;
      }
      changes.cancel(this);
      byTicket.remove(ticket, this);
      context.runOnContext(now -> vertx.cancelTimer(timer));
      return true;
    }
  }
}
