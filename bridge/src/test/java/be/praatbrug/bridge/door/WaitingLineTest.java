package be.praatbrug.bridge.door;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.HandClock;
import be.praatbrug.bridge.door.DoorLineStore.Ticket;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The door's line on both store backends: places, leaving, taking races, restarts, giving up. */
class WaitingLineTest {

  private static final byte[] SECRET = "door-test-secret-32-bytes-long!!".getBytes();
  private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;
  private final HandClock clock = new HandClock(START);

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    if (database != null) {
      await(database.close());
    }
    await(vertx.close());
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  private WaitingLine open(String backend) throws Exception {
    if (database == null) {
      database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    }
    WaitingLine line = new WaitingLine(new DoorLineStore(database), SECRET, clock);
    await(line.load());
    return line;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void placesFollowArrivalAndMoveUpWhenSomeoneLeavesOrIsTaken(String backend) throws Exception {
    WaitingLine line = open(backend);
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 10));
    WaitingLine.Entered bo = await(line.enter("Bo", "C-2", 10));
    WaitingLine.Entered cas = await(line.enter("Cas", "C-3", 10));
    assertEquals(List.of(1, 2, 3), List.of(place(line, ann), place(line, bo), place(line, cas)));

    await(line.leave(line.find(bo.ticket()).orElseThrow()));
    assertEquals(List.of(1, 2), List.of(place(line, ann), place(line, cas)));
    assertTrue(line.find(bo.ticket()).isEmpty(), "a ticket that left is gone");

    assertTrue(await(line.claim(ann.number(), "@c1:caw.test")).isPresent());
    assertEquals(1, place(line, cas));
    assertEquals(1, line.waiting().size());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void twentyTimesTwoCounsellorsTakingAtOnceExactlyOneWins(String backend) throws Exception {
    WaitingLine line = open(backend);
    for (int round = 0; round < 20; round++) {
      WaitingLine.Entered person = await(line.enter("P" + round, "C-" + round, 10));
      Future<Optional<Ticket>> first = line.claim(person.number(), "@c1:caw.test");
      Future<Optional<Ticket>> second = line.claim(person.number(), "@c2:caw.test");
      await(Future.join(first, second));
      assertNotEquals(first.result().isPresent(), second.result().isPresent(),
          "round " + round + ": exactly one of the two takes the person");
      Ticket taken = (first.result().isPresent() ? first.result() : second.result()).orElseThrow();
      assertEquals(taken.takenBy(), line.find(person.ticket()).orElseThrow().takenBy());
      await(line.intoRoom(taken, "!room" + round + ":caw.test", "@guest" + round + ":caw.test"));
    }
    // After a restart the store says the same: nobody is waiting, every ticket has one taker.
    WaitingLine restarted = open(backend);
    assertTrue(restarted.waiting().isEmpty());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFullLineTakesNobodyMoreAndAFailedRoomPutsThePersonBack(String backend) throws Exception {
    WaitingLine line = open(backend);
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 2));
    await(line.enter("Bo", "C-2", 2));
    assertInstanceOf(WaitingLine.LineFull.class, line.enter("Cas", "C-3", 2).cause());

    Ticket taken = await(line.claim(ann.number(), "@c1:caw.test")).orElseThrow();
    await(line.unclaim(taken));
    assertEquals(1, place(line, ann), "back at the front after a failed take");
    assertTrue(await(line.claim(ann.number(), "@c2:caw.test")).isPresent(), "and can be taken again");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theLineSurvivesARestartAndForgetsWhoStoppedLooking(String backend) throws Exception {
    WaitingLine line = open(backend);
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 10));
    WaitingLine.Entered bo = await(line.enter("Bo", "C-2", 10));

    WaitingLine restarted = open(backend);
    assertEquals(2, place(restarted, bo), "the same places after a restart");
    WaitingLine.Entered cas = await(restarted.enter("Cas", "C-3", 10));
    assertTrue(cas.number() > bo.number(), "numbers are not handed out twice");

    // A take cut short by the restart (claimed, no room yet) puts the person back at their place.
    WaitingLine.Entered dee = await(restarted.enter("Dee", "C-4", 10));
    await(restarted.claim(dee.number(), "@c1:caw.test"));
    WaitingLine again = open(backend);
    assertEquals(4, place(again, dee), "a half-made take is undone at startup");
    assertTrue(await(again.claim(dee.number(), "@c2:caw.test")).isPresent(), "and can be taken again");
    await(again.leave(again.find(dee.ticket()).orElseThrow()));
    restarted = open(backend);

    clock.set(START.plus(WaitingLine.UNSEEN_LIMIT).plusSeconds(1));
    restarted.find(bo.ticket());
    assertEquals(2, await(restarted.sweep()), "Ann and Cas stopped looking; Bo looked just now");
    assertEquals(1, place(restarted, bo));
    assertTrue(restarted.find(ann.ticket()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theEstimateComesFromRecentPickUpsOnly(String backend) throws Exception {
    WaitingLine line = open(backend);
    assertTrue(line.estimate(1).isEmpty(), "no pick-ups yet: no estimate rather than a guess");
    List<WaitingLine.Entered> people = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      people.add(await(line.enter("P" + i, "C-" + i, 10)));
    }
    clock.set(START.plus(Duration.ofMinutes(6)));
    for (WaitingLine.Entered person : people) {
      Ticket taken = await(line.claim(person.number(), "@c1:caw.test")).orElseThrow();
      await(line.intoRoom(taken, "!room" + person.number() + ":caw.test", "@guest:caw.test"));
    }
    // Waited 6 min at places 1, 2, 3: 6, 3 and 2 min per place; the median is 3 min.
    assertEquals(Optional.of(Duration.ofMinutes(6)), line.estimate(2));
    clock.set(START.plus(Duration.ofHours(4)));
    assertTrue(line.estimate(1).isEmpty(), "pick-ups of hours ago say nothing about now");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void someoneWhoLeavesWhileBeingTakenIsNotBroughtBack(String backend) throws Exception {
    WaitingLine line = open(backend);
    // Left after the claim was asked, before it was answered: nobody is taken.
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 10));
    Future<Optional<Ticket>> claim = line.claim(ann.number(), "@c1:caw.test");
    await(line.leave(line.find(ann.ticket()).orElseThrow()));
    Optional<Ticket> claimed = await(claim);
    assertTrue(claimed.isEmpty() || line.find(ann.ticket()).isEmpty(), "a person who left stays gone");
    assertTrue(line.find(ann.ticket()).isEmpty());

    // Left while the room was being made: the room is not given to nobody.
    WaitingLine.Entered bo = await(line.enter("Bo", "C-2", 10));
    Ticket taken = await(line.claim(bo.number(), "@c1:caw.test")).orElseThrow();
    await(line.leave(line.find(bo.ticket()).orElseThrow()));
    assertInstanceOf(WaitingLine.LeftMeanwhile.class,
        awaitFailure(line.intoRoom(taken, "!room:caw.test", "@guest:caw.test")));
    assertTrue(line.find(bo.ticket()).isEmpty(), "not brought back by the room");
    assertTrue(line.taken().isEmpty());
    assertTrue(open(backend).find(bo.ticket()).isEmpty(), "nor by a restart");
  }

  private static Throwable awaitFailure(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (java.util.concurrent.ExecutionException failed) {
      return failed.getCause();
    }
    throw new AssertionError("did not fail");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aWrongOrHostileTicketFindsNothing(String backend) throws Exception {
    WaitingLine line = open(backend);
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 10));
    assertTrue(line.find("").isEmpty());
    assertTrue(line.find(null).isEmpty());
    assertTrue(line.find("x".repeat(5000)).isEmpty());
    assertTrue(line.find(ann.ticket() + "x").isEmpty());
    assertFalse(line.find(ann.ticket()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPageWaitingForTheLineHearsOfEveryChangeOnceAndOnlyThen(String backend) throws Exception {
    WaitingLine line = open(backend);
    WaitingLine.Entered ann = await(line.enter("Ann", "C-1", 10));
    WaitingLine.Entered bo = await(line.enter("Bo", "C-2", 10));
    LineChanges changes = line.changes();
    List<String> heard = new ArrayList<>();

    long seen = changes.version();
    changes.afterChange(seen, () -> heard.add("take"));
    assertEquals(List.of(), heard, "nothing changed yet: the page keeps waiting");
    line.find(bo.ticket());
    assertEquals(List.of(), heard, "being looked at is no change");
    Ticket taken = await(line.claim(ann.number(), "@c1:caw.test")).orElseThrow();
    assertEquals(List.of("take"), heard, "a take answers the waiting page at once");

    seen = changes.version();
    changes.afterChange(seen, () -> heard.add("into room"));
    await(line.intoRoom(taken, "!room:caw.test", "@guest:caw.test"));
    line.setDuty("@c1:caw.test", true);
    assertEquals(List.of("take", "into room"), heard, "each listener hears one change, not two");

    changes.afterChange(seen, () -> heard.add("late"));
    assertEquals("late", heard.get(2), "a page that missed a change is answered right away");

    Runnable gaveUp = () -> heard.add("gave up");
    changes.afterChange(changes.version(), gaveUp);
    changes.cancel(gaveUp);
    await(line.leave(line.find(bo.ticket()).orElseThrow()));
    assertEquals(3, heard.size(), "a page that stopped waiting is not called");
    assertEquals(0, changes.listeners(), "and not kept");
  }

  private static int place(WaitingLine line, WaitingLine.Entered entered) {
    return line.place(line.find(entered.ticket()).orElseThrow());
  }
}
