package be.praatbrug.bridge.appointments;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.appointments.AppointmentStore.Message;
import be.praatbrug.bridge.appointments.AppointmentStore.Stored;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.rooms.KnockCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Appointments on SQLite and PostgreSQL: survive a reopen, move, cancel, and send-once claims. */
class AppointmentStoreTest {

  private static final Instant NOW = Instant.parse("2026-12-08T09:00:00Z");
  private static final Instant START = Instant.parse("2026-12-08T13:00:00Z");
  private static final Instant END = START.plus(Duration.ofMinutes(45));

  @TempDir Path directory;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  private static be.praatbrug.bridge.rooms.CounsellingRoom room(String roomId) {
    return new be.praatbrug.bridge.rooms.CounsellingRoom(roomId, "caw", "@counsellor:caw.test",
        "!dm:caw.test", "rustige-groene-boot", "open", null, "C-7K3P-9Q2M", NOW, null, null);
  }

  private static Stored appointment(String id, String roomId) {
    return new Stored(id, roomId, "@counsellor:caw.test", "!dm:caw.test", "C-7K3P-9Q2M", "caw",
        START, END, "planned", false, false);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void survivesReopenMovesAndCancels(String backend) throws Exception {
    var config = TestDatabases.forBackend(backend, directory);
    Database database = await(Database.open(vertx, config));
    AppointmentStore store = new AppointmentStore(database);
    RoomStore rooms = new RoomStore(database);
    await(rooms.insertRoom(room("!room:caw.test")));
    await(store.insert(appointment("a1", "!room:caw.test"), NOW));
    await(rooms.replaceKnockCode("!room:caw.test", "hash", "link", NOW, START.minusSeconds(900), END, true));
    await(database.close());

    database = await(Database.open(vertx, config));
    store = new AppointmentStore(database);
    rooms = new RoomStore(database);
    Stored found = await(store.forRoom("!room:caw.test")).orElseThrow();
    assertEquals(START, found.start());
    assertEquals(END, found.end());
    assertEquals("C-7K3P-9Q2M", found.clientRef());
    assertEquals(List.of("a1"), await(store.upcoming("@counsellor:caw.test", NOW)).stream()
        .map(Stored::appointmentId).toList());
    assertEquals(List.of(), await(store.upcoming("@counsellor:caw.test", END)));
    KnockCode code = await(rooms.usableCodes()).get("!room:caw.test").get(0);
    assertEquals(START.minusSeconds(900), code.validFrom());
    assertFalse(code.isValidAt(START.minusSeconds(901)));
    assertTrue(code.isValidAt(START.minusSeconds(900)));
    assertEquals(START.minusSeconds(900), await(rooms.findCode("link")).orElseThrow().validFrom());

    // The reminder was sent; moving makes it due again and moves the code's window along.
    assertTrue(await(store.claim("a1", Message.REMINDER, START, NOW)));
    await(store.markSent("a1", Message.REMINDER, NOW));
    Instant later = START.plus(Duration.ofHours(2));
    assertEquals(START, await(store.move("a1", "!room:caw.test", later, later.plus(Duration.ofHours(1)),
        later.minusSeconds(900))).orElseThrow());
    Stored moved = await(store.forRoom("!room:caw.test")).orElseThrow();
    assertEquals(later, moved.start());
    assertFalse(moved.reminderSent());
    assertFalse(await(store.claim("a1", Message.REMINDER, START, NOW)), "a claim for the old start");
    KnockCode shifted = await(rooms.usableCodes()).get("!room:caw.test").get(0);
    assertEquals(later.minusSeconds(900), shifted.validFrom());
    assertEquals(later.plus(Duration.ofHours(1)), shifted.expiresAt());

    assertTrue(await(store.cancel("a1", "!room:caw.test", NOW)));
    assertFalse(await(store.cancel("a1", "!room:caw.test", NOW)), "cancelled once");
    assertFalse(await(store.forRoom("!room:caw.test")).orElseThrow().planned());
    assertTrue(await(rooms.usableCodes()).getOrDefault("!room:caw.test", List.of()).isEmpty());
    assertFalse(await(store.claim("a1", Message.NOT_ARRIVED, later, NOW)), "nothing for a cancelled one");
    await(database.close());
  }

  /** Two bridge processes (a failover) looking at once: exactly one sends each message. */
  @ParameterizedTest
  @MethodSource("backends")
  void exactlyOneOfManyConcurrentClaimsWins(String backend) throws Exception {
    var config = TestDatabases.forBackend(backend, directory);
    Database first = await(Database.open(vertx, config));
    Database second = await(Database.open(vertx, config));
    await(new AppointmentStore(first).insert(appointment("a2", "!other:caw.test"), NOW));
    for (int round = 0; round < 20; round++) {
      Message message = round % 2 == 0 ? Message.REMINDER : Message.NOT_ARRIVED;
      Instant at = NOW.plus(Duration.ofMinutes(5L * round));
      List<Future<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        claims.add(new AppointmentStore(i % 2 == 0 ? first : second).claim("a2", message, START, at));
      }
      await(Future.all(claims));
      assertEquals(round < 2 ? 1 : 0, claims.stream().filter(Future::result).count(),
          "round " + round + ": one winner the first time, none once it was sent");
      if (round < 2) {
        await(new AppointmentStore(first).markSent("a2", message, at));
      }
    }
    await(first.close());
    await(second.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aStaleClaimIsTakenAgainAndAReleasedOneAtOnce(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    AppointmentStore store = new AppointmentStore(database);
    await(store.insert(appointment("a3", "!third:caw.test"), NOW));
    assertTrue(await(store.claim("a3", Message.REMINDER, START, NOW)));
    assertFalse(await(store.claim("a3", Message.REMINDER, START, NOW.plusSeconds(60))), "fresh claim held");
    assertTrue(await(store.claim("a3", Message.REMINDER, START,
        NOW.plus(AppointmentStore.STALE_CLAIM).plusSeconds(1))), "its process died mid-send");
    await(store.release("a3", Message.REMINDER));
    assertTrue(await(store.claim("a3", Message.REMINDER, START, NOW.plusSeconds(200))));
    await(database.close());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anEndedSlotIsWatchedUntilSettledOnceAndASessionCountsAsCome(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    AppointmentStore store = new AppointmentStore(database);
    RoomStore rooms = new RoomStore(database);
    await(rooms.insertRoom(room("!came:caw.test")));
    await(rooms.insertRoom(room("!empty:caw.test")));
    await(store.insert(appointment("came", "!came:caw.test"), NOW));
    await(store.insert(appointment("empty", "!empty:caw.test"), NOW));
    await(rooms.startSession("!came:caw.test", "@counsellor:caw.test", "@guest:caw.test", "C-7K3P-9Q2M",
        START.plusSeconds(420)));
    Instant after = END.plusSeconds(60);
    assertEquals(List.of(), await(store.upcoming(null, after)), "over: no longer upcoming");
    assertEquals(2, await(store.toWatch(after)).size(), "but watched until settled");
    assertTrue(await(store.hadSession("!came:caw.test")));
    assertFalse(await(store.hadSession("!empty:caw.test")));

    assertTrue(await(store.claim("empty", Message.SETTLED, START, after)));
    assertFalse(await(store.claim("empty", Message.SETTLED, START, after)), "a second process");
    await(store.markSent("empty", Message.SETTLED, after));
    assertEquals(List.of("came"), await(store.toWatch(after)).stream().map(Stored::appointmentId).toList());
    await(database.close());
  }
}
