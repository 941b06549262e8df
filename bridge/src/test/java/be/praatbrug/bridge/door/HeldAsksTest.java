package be.praatbrug.bridge.door;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Held asks for a ticket: answered once, at the change; one per ticket; forgotten when closed. */
class HeldAsksTest {

  private Vertx vertx;
  private Context context;
  private final LineChanges changes = new LineChanges();
  private HeldAsks asks;
  private final List<String> answers = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    asks = new HeldAsks(vertx, changes);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** Runs {@code work} on the context, as the HTTP handler does, and waits for it. */
  private <T> T onContext(java.util.function.Supplier<T> work) throws Exception {
    Promise<T> done = Promise.promise();
    context.runOnContext(now -> done.complete(work.get()));
    return await(done.future());
  }

  private void settle() throws Exception {
    onContext(() -> null);
    onContext(() -> null);
  }

  @Test
  void anAskIsAnsweredOnceAtTheChangeNotBefore() throws Exception {
    onContext(() -> asks.hold(1, changes.version(), 20_000, displaced -> answers.add("1:" + displaced)));
    settle();
    assertEquals(List.of(), answers, "nothing changed: held");
    changes.changed();
    changes.changed();
    settle();
    assertEquals(List.of("1:false"), answers, "one answer for two changes");
    assertEquals(0, asks.held());
  }

  @Test
  void aSecondTabsAskAnswersTheFirstAsDisplacedSoAsksCannotPileUp() throws Exception {
    for (int tab = 0; tab < 50; tab++) {
      int which = tab;
      onContext(() -> asks.hold(7, changes.version(), 20_000, displaced -> answers.add(which + ":" + displaced)));
    }
    settle();
    assertEquals(49, answers.size(), "every older ask answered");
    assertEquals(1, asks.held(), "one held ask per ticket");
    changes.changed();
    settle();
    assertEquals("49:false", answers.get(49), "the newest hears of the change");
  }

  @Test
  void aClosedConnectionForgetsItsAskAndATimeoutAnswersIt() throws Exception {
    Runnable forget = onContext(() -> asks.hold(3, changes.version(), 20_000, displaced -> answers.add("closed")));
    onContext(() -> {
      forget.run();
      return null;
    });
    changes.changed();
    onContext(() -> asks.hold(4, changes.version(), 50, displaced -> answers.add("timed out")));
    Thread.sleep(200);
    settle();
    assertEquals(List.of("timed out"), answers);
    assertEquals(0, asks.held());
    assertEquals(0, changes.listeners(), "no listener left behind");
  }

  @Test
  void anAskForAVersionAlreadyPassedIsAnsweredAtOnce() throws Exception {
    long old = changes.version();
    changes.changed();
    onContext(() -> asks.hold(5, old, 20_000, displaced -> answers.add("now")));
    settle();
    assertEquals(List.of("now"), answers);
  }
}
