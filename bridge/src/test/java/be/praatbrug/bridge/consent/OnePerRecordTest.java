package be.praatbrug.bridge.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnePerRecordTest {

  private final OnePerRecord queue = new OnePerRecord();
  private final List<String> started = new ArrayList<>();

  private Future<String> step(String key, String name, Promise<String> finish) {
    return queue.run(key, () -> {
      started.add(name);
      return finish.future();
    });
  }

  @Test
  void workForOneRecordWaitsForTheWorkBeforeItEvenWhenThatFails() {
    Promise<String> first = Promise.promise();
    Promise<String> second = Promise.promise();
    Promise<String> third = Promise.promise();
    step("C-1", "first", first);
    Future<String> afterFailure = step("C-1", "second", second);
    step("C-1", "third", third);

    assertEquals(List.of("first"), started);
    first.fail("ledger down");
    assertEquals(List.of("first", "second"), started);
    second.complete("done");
    assertEquals("done", afterFailure.result());
    assertEquals(List.of("first", "second", "third"), started);
  }

  @Test
  void otherRecordsDoNotWait() {
    step("C-1", "one", Promise.promise());
    step("C-2", "two", Promise.promise());

    assertEquals(List.of("one", "two"), started);
  }

  @Test
  void aRecordIsForgottenOnceItsWorkIsDone() {
    List<Promise<String>> open = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Promise<String> finish = Promise.promise();
      open.add(finish);
      step("C-" + i, "w" + i, finish);
      Promise<String> quick = Promise.promise();
      quick.complete("quick");
      step("C-" + i, "again" + i, quick);
    }
    assertEquals(1_000, queue.busyKeys());

    open.forEach(finish -> finish.complete("done"));

    assertEquals(0, queue.busyKeys());
  }

  @Test
  void workThatThrowsFailsItsOwnFutureOnly() {
    Future<String> thrown = queue.run("C-1", () -> {
      throw new IllegalStateException("bug");
    });
    Future<String> next = queue.run("C-1", () -> Future.succeededFuture("fine"));

    assertTrue(thrown.failed());
    assertEquals("fine", next.result());
    assertEquals(0, queue.busyKeys());
  }
}
