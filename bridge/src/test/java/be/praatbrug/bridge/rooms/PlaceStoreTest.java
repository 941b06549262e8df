package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A family session's named places, on SQLite and (when the test command provides one) PostgreSQL. */
class PlaceStoreTest extends StoreTestCase {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final String ROOM = "!gezin:caw.test";
  private static final String COUNSELLOR = "@lien:caw.test";
  private static final String MOTHER = "@mother:clb.test";
  private static final String FATHER = "@father:caw.test";

  private PlaceStore places;
  private RoomStore rooms;

  private void open(String backend) throws Exception {
    openStore(backend);
    places = new PlaceStore(database);
    rooms = new RoomStore(database);
    await(rooms.insertRoom(new CounsellingRoom(ROOM, "gezin", COUNSELLOR, "!dm:caw.test",
        "rustige-groene-boot", "open", null, "C-AAAA-AAAA", T0, null, null)));
  }

  private void take(int place, String userId) throws Exception {
    await(database.inTransaction(connection -> {
      PlaceStore.take(connection, ROOM, place, userId, T0);
      return null;
    }));
  }

  private static Throwable cause(ExecutionException e) {
    return e.getCause();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void placesAreNumberedFromTwoUpToThePolicysLast(String backend) throws Exception {
    open(backend);

    assertEquals(List.of(new Place(2, "C-BBBB-BBBB", null)),
        await(places.add(ROOM, "C-BBBB-BBBB", false, 3, T0)));
    // A parent's place stays one when read back, also after a restart (all()).
    assertEquals(List.of(new Place(2, "C-BBBB-BBBB", null), new Place(3, "C-CCCC-CCCC", null, true)),
        await(places.add(ROOM, "C-CCCC-CCCC", true, 3, T0)));
    ExecutionException full = assertThrows(ExecutionException.class,
        () -> await(places.add(ROOM, "C-DDDD-DDDD", false, 3, T0)));
    assertInstanceOf(PlaceStore.NoPlaceLeft.class, cause(full));

    // Nothing of the refused one is stored; another room numbers its own places.
    assertEquals(2, await(places.of(ROOM)).size());
    assertEquals(List.of(new Place(2, "C-DDDD-DDDD", null)),
        await(places.add("!other:caw.test", "C-DDDD-DDDD", false, 3, T0)));
    var all = await(places.all());
    assertEquals(Set.of(ROOM, "!other:caw.test"), all.keySet());
    assertEquals(await(places.of(ROOM)), all.get(ROOM));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPlaceIsTakenOnceAndATakingThatFailsLaterLeavesItFree(String backend) throws Exception {
    open(backend);
    await(places.add(ROOM, "C-BBBB-BBBB", false, 3, T0));
    await(places.add(ROOM, "C-CCCC-CCCC", false, 3, T0));

    take(2, MOTHER);
    ExecutionException second = assertThrows(ExecutionException.class, () -> take(2, FATHER));
    assertInstanceOf(PlaceStore.PlaceTaken.class, cause(second));
    ExecutionException missing = assertThrows(ExecutionException.class, () -> take(4, FATHER));
    assertInstanceOf(PlaceStore.PlaceTaken.class, cause(missing), "a place the room does not have");
    // Taken inside a transaction that then fails: rolled back with it.
    assertThrows(ExecutionException.class, () -> await(database.inTransaction(connection -> {
      PlaceStore.take(connection, ROOM, 3, FATHER, T0);
      throw new IllegalStateException("the code was spent meanwhile");
    })));

    assertEquals(List.of(new Place(2, "C-BBBB-BBBB", MOTHER), new Place(3, "C-CCCC-CCCC", null)),
        await(places.of(ROOM)));
    take(3, FATHER);
    assertEquals(FATHER, await(places.of(ROOM)).get(1).userId());
  }

  /** Two counsellors' commands at the same moment: one number each, never the same one twice. */
  @ParameterizedTest
  @MethodSource("backends")
  void addsAtTheSameMomentNeverShareANumber(String backend) throws Exception {
    open(backend);
    for (int round = 0; round < 10; round++) {
      String room = "!race-" + round + ":caw.test";
      List<String> refs = List.of("C-BBBB-BBBB", "C-CCCC-CCCC", "C-DDDD-DDDD", "C-EEEE-EEEE",
          "C-FFFF-FFFF", "C-GGGG-GGGG");
      List<Future<List<Place>>> racing = new ArrayList<>();
      for (String ref : refs) {
        racing.add(places.add(room, ref, false, 9, T0));
      }
      await(Future.join(racing).otherwiseEmpty());
      List<Place> stored = await(places.of(room));
      Set<Integer> numbers = new HashSet<>();
      Set<String> storedRefs = new HashSet<>();
      for (Place place : stored) {
        assertTrue(numbers.add(place.number()), "round " + round + ": " + stored);
        storedRefs.add(place.clientRef());
      }
      // Whoever was told they have a place has it, under the number the store gave them.
      int told = 0;
      for (int i = 0; i < refs.size(); i++) {
        if (racing.get(i).succeeded()) {
          told++;
          String ref = refs.get(i);
          assertTrue(storedRefs.contains(ref), ref);
          assertEquals(1, racing.get(i).result().stream().filter(p -> p.clientRef().equals(ref)).count());
        }
      }
      assertEquals(told, stored.size(), "round " + round + ": " + stored);
      assertTrue(told >= 1, "round " + round);
      assertEquals(stored.stream().map(Place::number).toList(),
          java.util.stream.IntStream.rangeClosed(2, stored.size() + 1).boxed().toList(),
          "numbers without gaps: " + stored);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPlacesPartInASessionIsMarkedOncePerSession(String backend) throws Exception {
    open(backend);
    await(places.add(ROOM, "C-BBBB-BBBB", false, 3, T0));

    assertFalse(await(places.markInSession(ROOM, 2, "s-1", T0)), "nobody on the place yet");
    take(2, MOTHER);
    assertTrue(await(places.markInSession(ROOM, 2, "s-1", T0.plusSeconds(10))));
    assertFalse(await(places.markInSession(ROOM, 2, "s-1", T0.plusSeconds(20))), "a rejoin");
    assertTrue(await(places.markInSession(ROOM, 2, "s-2", T0.plusSeconds(30))), "the next session");
    assertFalse(await(places.markInSession(ROOM, 3, "s-2", T0.plusSeconds(30))), "no such place");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theRunningSessionIsTheOneThatHasNotEnded(String backend) throws Exception {
    open(backend);
    assertEquals(Optional.empty(), await(places.runningSession(ROOM)));

    String session = await(rooms.startSession(ROOM, COUNSELLOR, "@pupil:caw.test", "C-AAAA-AAAA", T0));
    assertEquals(Optional.of(session), await(places.runningSession(ROOM)));
    assertEquals(Optional.empty(), await(places.runningSession("!other:caw.test")));

    await(rooms.endSession(ROOM, T0.plusSeconds(3600)));
    assertEquals(Optional.empty(), await(places.runningSession(ROOM)));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theEndOfASessionGivesThePlacesThatTookPartAndForgetsEveryPlace(String backend)
      throws Exception {
    open(backend);
    await(places.add(ROOM, "C-BBBB-BBBB", false, 3, T0));
    await(places.add(ROOM, "C-CCCC-CCCC", false, 3, T0));
    take(2, MOTHER);
    take(3, FATHER);
    String session = await(rooms.startSession(ROOM, COUNSELLOR, "@pupil:caw.test", "C-AAAA-AAAA", T0));
    Instant joined = T0.plusSeconds(120);
    assertTrue(await(places.markInSession(ROOM, 2, session, joined)));
    // The father was let in but never came in: he took no part.
    Instant end = T0.plusSeconds(2700);
    await(rooms.endSession(ROOM, end));

    List<PlaceStore.Recorded> recorded = await(places.endSession(ROOM));

    assertEquals(List.of(new PlaceStore.Recorded(2, "C-BBBB-BBBB", session, joined, end)), recorded);
    assertEquals(List.of(), await(places.of(ROOM)));
    assertFalse(await(places.all()).containsKey(ROOM), "no user id is kept after the session");
    assertEquals(List.of(), await(places.endSession(ROOM)), "a second end finds nothing");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aSessionWhoseEndIsNotStoredYetEndsWithoutAnEndTime(String backend) throws Exception {
    open(backend);
    await(places.add(ROOM, "C-BBBB-BBBB", false, 3, T0));
    take(2, MOTHER);
    String session = await(rooms.startSession(ROOM, COUNSELLOR, "@pupil:caw.test", "C-AAAA-AAAA", T0));
    await(places.markInSession(ROOM, 2, session, T0));

    assertEquals(List.of(new PlaceStore.Recorded(2, "C-BBBB-BBBB", session, T0, null)),
        await(places.endSession(ROOM)));
  }
}
