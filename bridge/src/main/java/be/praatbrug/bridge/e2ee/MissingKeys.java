package be.praatbrug.bridge.e2ee;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Encrypted events waiting for their room key, one wait per session: the first event of a session
 * starts it, the key is asked for after a short grace (it usually comes in the same or the next
 * transaction), and all events of that session learn together that the key came or that the time
 * is up. One request and one cancellation per session, however many events wait.
 */
final class MissingKeys {

  private static final class Wait {
    final List<Promise<Void>> events = new ArrayList<>();
    long askTimer = -1;
    long giveUpTimer = -1;
  }

  private final Vertx vertx;
  private final long askAfterMs;
  private final long giveUpAfterMs;
  private final BiConsumer<JsonObject, String> ask;
  private final Consumer<String> finish;
  private final Map<String, Wait> waits = new ConcurrentHashMap<>();

  /**
   * @param ask sends the request for a session's key (given the first waiting event and the key)
   * @param finish ends that request (given the key), whether the key came or not
   */
  MissingKeys(Vertx vertx, long askAfterMs, long giveUpAfterMs, BiConsumer<JsonObject, String> ask, Consumer<String> finish) {
    this.vertx = vertx;
    this.askAfterMs = askAfterMs;
    this.giveUpAfterMs = giveUpAfterMs;
    this.ask = ask;
    this.finish = finish;
  }

  /**
   * Completes when the key of session {@code key} ({@link RoomCrypto#inboundKey}) is here; fails
   * with {@link RoomKeyMissingException} when it did not come in time.
   */
  Future<Void> awaitKey(String key, JsonObject event) {
    Promise<Void> arrived = Promise.promise();
    Wait wait;
    boolean first;
    synchronized (waits) {
      wait = waits.get(key);
      first = wait == null;
      if (first) {
        wait = new Wait();
        waits.put(key, wait);
      }
      wait.events.add(arrived);
    }
    if (first) {
      String sessionId = event.getJsonObject("content", new JsonObject()).getString("session_id", "");
      wait.askTimer = vertx.setTimer(askAfterMs, t -> ask.accept(event, key));
      wait.giveUpTimer = vertx.setTimer(giveUpAfterMs, t -> end(key, new RoomKeyMissingException(sessionId, giveUpAfterMs)));
    }
    return arrived.future();
  }

  /** The key of session {@code key} came: every event waiting for it goes on. */
  void arrived(String key) {
    end(key, null);
  }

  int waiting() {
    return waits.size();
  }

  private void end(String key, RuntimeException failure) {
    Wait wait;
    synchronized (waits) {
      wait = waits.remove(key);
    }
    if (wait == null) {
      return;
    }
    vertx.cancelTimer(wait.askTimer);
    vertx.cancelTimer(wait.giveUpTimer);
    finish.accept(key);
    for (Promise<Void> event : wait.events) {
      if (failure == null) {
        event.tryComplete();
      } else {
        event.tryFail(failure);
      }
    }
  }
}
