package be.praatbrug.bridge.rooms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Repairs after failed removals: never more than the bound at once, every room done in the end. */
class BoundedRepairsTest {

  @Test
  void atMostTheBoundRunAndEveryRoomIsRepaired() {
    java.util.Map<String, Promise<Integer>> underWay = new java.util.LinkedHashMap<>();
    List<String> started = new ArrayList<>();
    BoundedRepairs repairs = new BoundedRepairs(roomId -> {
      started.add(roomId);
      Promise<Integer> answer = Promise.promise();
      underWay.put(roomId, answer);
      return answer.future();
    }, 3);

    List<Future<Integer>> asked = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      asked.add(repairs.repair("!room" + i + ":caw.test"));
    }
    int most = 0;
    Random order = new Random(7);
    while (!underWay.isEmpty()) {
      most = Math.max(most, underWay.size());
      String roomId = new ArrayList<>(underWay.keySet()).get(order.nextInt(underWay.size()));
      Promise<Integer> answer = underWay.remove(roomId);
      // One fails: the others still get their turn.
      if (roomId.equals("!room5:caw.test")) {
        answer.fail(new IllegalStateException("homeserver overloaded"));
      } else {
        answer.complete(1);
      }
    }

    assertEquals(3, most, "repairs at once");
    assertEquals(20, started.size());
    assertTrue(asked.stream().allMatch(Future::isComplete));
    assertEquals(List.of(5), java.util.stream.IntStream.range(0, 20).filter(i -> asked.get(i).failed())
        .boxed().toList());
  }

  @Test
  void roomsThatFinishAtOnceOrThrowDoNotStopTheRest() {
    List<String> started = new ArrayList<>();
    BoundedRepairs repairs = new BoundedRepairs(roomId -> {
      started.add(roomId);
      if (roomId.equals("!bug:caw.test")) {
        throw new IllegalArgumentException("a bug that throws instead of failing the future");
      }
      return Future.succeededFuture(0);
    }, 1);

    assertTrue(repairs.repair("!bug:caw.test").failed());
    for (int i = 0; i < 5_000; i++) {
      assertEquals(0, repairs.repair("!room" + i + ":caw.test").result());
    }
    assertEquals(5_001, started.size());
  }
}
