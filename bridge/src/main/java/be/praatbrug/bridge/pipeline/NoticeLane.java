package be.praatbrug.bridge.pipeline;

import be.praatbrug.policy.Action;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices into another room than the event's (a counsellor told in her chat with the bot that
 * someone was removed), one at a time per room; the ones that come in while one is on its way go
 * out together, as one message, when it has gone.
 *
 * <p>Why: when one person joins 200 rooms at once, each removal has a notice for its counsellor.
 * Sent side by side they are 200 more messages for the homeserver to encrypt, store and deliver
 * while it should be taking the kicks, and 200 pings for a handful of counsellors. Together they
 * are a few messages, in the order the removals happened. Nobody waits for this lane: a failure is
 * logged and the next batch still goes.
 */
final class NoticeLane {

  /** At most this many notices in one message, so that it stays readable. */
  static final int MOST_TOGETHER = 20;

  private static final Logger LOG = LoggerFactory.getLogger(NoticeLane.class);

  private record Waiting(String text, String key) {}

  private final ActionExecutor executor;
  /** Rooms with a notice on its way, and what waits behind it (maybe nothing). */
  private final Map<String, Deque<Waiting>> busy = new HashMap<>();

  NoticeLane(ActionExecutor executor) {
    this.executor = executor;
  }

  /** Sends now when nothing is on its way to the room, else after it (with whatever else waits). */
  void send(Action.SendNotice notice, String idempotencyKey) {
    synchronized (this) {
      Deque<Waiting> behind = busy.get(notice.roomId());
      if (behind != null) {
        behind.add(new Waiting(notice.plainText(), idempotencyKey));
        return;
      }
      busy.put(notice.roomId(), new ArrayDeque<>());
    }
    start(notice, idempotencyKey);
  }

  private void start(Action.SendNotice notice, String idempotencyKey) {
    Future<Void> sent;
    try {
      sent = executor.execute(notice, idempotencyKey);
    } catch (RuntimeException bug) {
      sent = Future.failedFuture(bug);
    }
    sent.onComplete(done -> {
      if (done.failed()) {
        LOG.warn("a notice into {} failed: {}", notice.roomId(), done.cause().toString());
      }
      next(notice.roomId());
    });
  }

  private void next(String roomId) {
    List<Waiting> batch = new ArrayList<>();
    synchronized (this) {
      Deque<Waiting> behind = busy.get(roomId);
      while (!behind.isEmpty() && batch.size() < MOST_TOGETHER) {
        batch.add(behind.poll());
      }
      if (batch.isEmpty()) {
        busy.remove(roomId);
        return;
      }
    }
    String text = batch.stream().map(Waiting::text).collect(Collectors.joining("\n\n"));
    start(new Action.SendNotice(roomId, text), keyOf(batch));
  }

  /**
   * One notice keeps its own key. A batch gets a key of its own, the same for the same notices: a
   * batch under its first notice's key would be taken for that notice alone by the homeserver,
   * which drops a repeated transaction id, and the others would be lost.
   */
  private static String keyOf(List<Waiting> batch) {
    if (batch.size() == 1) {
      return batch.get(0).key();
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      batch.forEach(waiting -> digest.update((waiting.key() + "\n").getBytes(StandardCharsets.UTF_8)));
      return "praatbrug.batch." + HexFormat.of().formatHex(digest.digest(), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
