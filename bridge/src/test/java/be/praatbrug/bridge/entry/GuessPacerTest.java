package be.praatbrug.bridge.entry;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class GuessPacerTest {

  @Test
  void withinTheBudgetEveryLookupGoesAtOnce(Vertx vertx) throws Exception {
    GuessPacer pacer = new GuessPacer(vertx, 5, Duration.ofMinutes(10), Duration.ofMillis(100),
        Duration.ofSeconds(5), Clock.systemUTC());
    for (int i = 0; i < 4; i++) {
      assertTrue(pacer.turn().succeeded());
      pacer.recordWrong();
    }
    assertTrue(pacer.turn().succeeded(), "4 wrong of 5: still free");
  }

  @Test
  void beyondTheBudgetLookupsTakeTurnsForEveryoneAndValidOnesStillGetThrough(Vertx vertx) throws Exception {
    GuessPacer pacer = onLoop(vertx, () -> new GuessPacer(vertx, 3, Duration.ofMinutes(10),
        Duration.ofMillis(100), Duration.ofSeconds(5), Clock.systemUTC()));
    onLoop(vertx, () -> {
      for (int i = 0; i < 3; i++) {
        pacer.recordWrong();
      }
      return null;
    });
    long start = System.nanoTime();
    List<Future<Void>> turns = onLoop(vertx, () -> {
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        all.add(pacer.turn());
      }
      return all;
    });
    await(Future.all(turns));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    // Five turns at 100 ms apart: the last went 400 ms after the first.
    assertTrue(tookMs >= 380, "took " + tookMs + " ms");
  }

  @Test
  void aQueueLongerThanTheLongestWaitIsToldToComeBack(Vertx vertx) throws Exception {
    GuessPacer pacer = onLoop(vertx, () -> new GuessPacer(vertx, 1, Duration.ofMinutes(10),
        Duration.ofSeconds(1), Duration.ofSeconds(2), Clock.systemUTC()));
    List<Future<Void>> turns = onLoop(vertx, () -> {
      pacer.recordWrong();
      List<Future<Void>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        all.add(pacer.turn());
      }
      return all;
    });
    GuessPacer.Busy busy = assertInstanceOf(GuessPacer.Busy.class, turns.get(4).cause());
    assertTrue(busy.retryAfter().toMillis() > 2000, busy.retryAfter().toString());
    assertEquals(1, onLoop(vertx, pacer::wrongInWindow));
  }

  private static <T> T onLoop(Vertx vertx, java.util.concurrent.Callable<T> work) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      try {
        result.complete(work.call());
      } catch (Exception e) {
        result.completeExceptionally(e);
      }
    });
    return result.get();
  }
}
