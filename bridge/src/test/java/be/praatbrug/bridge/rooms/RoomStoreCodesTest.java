package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import be.praatbrug.bridge.rooms.RoomStore.StoredCode;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A family session's knock codes: each place has codes of its own, replaced and spent apart from
 * the others'. On SQLite and (when the test command provides one) PostgreSQL.
 */
class RoomStoreCodesTest extends StoreTestCase {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant EXPIRES = T0.plusSeconds(86_400);
  private static final String ROOM = "!gezin:caw.test";

  private RoomStore rooms;

  private void open(String backend) throws Exception {
    openStore(backend);
    rooms = new RoomStore(database);
    await(rooms.insertRoom(new CounsellingRoom(ROOM, "gezin", "@lien:caw.test", "!dm:caw.test",
        "rustige-groene-boot", "open", null, null, T0, null, null)));
  }

  /** A code and its link for {@code place}, issued at {@code at}. */
  private void issue(int place, String name, Instant at) throws Exception {
    await(rooms.replaceKnockCode(ROOM, place, name, name + "-link", at, null, EXPIRES, true));
  }

  /** The room's usable codes as hash → place. */
  private Map<String, Integer> usable() throws Exception {
    return await(rooms.usableCodes()).getOrDefault(ROOM, List.of()).stream()
        .collect(Collectors.toMap(KnockCode::hash, KnockCode::place));
  }

  private StoredCode stored(String hash) throws Exception {
    return await(rooms.findCode(hash)).orElseThrow();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFreshCodeForOnePlaceRevokesThatPlacesOlderCodesOnly(String backend) throws Exception {
    open(backend);
    issue(Place.CLIENT, "client-1", T0);
    issue(2, "mother-1", T0);
    issue(3, "father-1", T0);
    Instant later = T0.plusSeconds(600);

    issue(2, "mother-2", later);

    assertEquals(Map.of("client-1", 1, "client-1-link", 1, "mother-2", 2, "mother-2-link", 2,
        "father-1", 3, "father-1-link", 3), usable());
    assertEquals(later, stored("mother-1").revokedAt());
    assertEquals(later, stored("mother-1-link").revokedAt());
    assertNull(stored("father-1").revokedAt());

    // The client's fresh code, as before family sessions, leaves the named places' codes alone.
    issue(Place.CLIENT, "client-2", later);
    assertEquals(Map.of("client-2", 1, "client-2-link", 1, "mother-2", 2, "mother-2-link", 2,
        "father-1", 3, "father-1-link", 3), usable());
    assertEquals(later, stored("client-1").revokedAt());
    // The old overload is the client's place.
    await(rooms.replaceKnockCode(ROOM, "client-3", "client-3-link", later, EXPIRES, true));
    assertEquals(Map.of("client-3", 1, "client-3-link", 1, "mother-2", 2, "mother-2-link", 2,
        "father-1", 3, "father-1-link", 3), usable());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aStoredCodeNamesThePlaceItOpens(String backend) throws Exception {
    open(backend);
    issue(Place.CLIENT, "client-1", T0);
    issue(3, "father-1", T0);

    assertEquals(new StoredCode(ROOM, EXPIRES, null, null, null, 3), stored("father-1"));
    assertEquals(3, stored("father-1-link").place());
    assertEquals(new StoredCode(ROOM, EXPIRES, null, null, null, Place.CLIENT), stored("client-1"));
    assertEquals(List.of(new KnockCode("father-1", EXPIRES, true, null, 3),
        new KnockCode("father-1-link", EXPIRES, true, null, 3)),
        await(rooms.usableCodes()).get(ROOM).stream().filter(code -> code.place() == 3).toList());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theClientComingInSpendsTheClientsCodesOnly(String backend) throws Exception {
    open(backend);
    issue(Place.CLIENT, "client-1", T0);
    issue(2, "mother-1", T0);
    issue(3, "father-1", T0);
    Instant in = T0.plusSeconds(300);

    await(rooms.spendRoomCodes(ROOM, in));

    assertEquals(in, stored("client-1").spentAt());
    assertNull(stored("mother-1").spentAt());
    assertEquals(Map.of("mother-1", 2, "mother-1-link", 2, "father-1", 3, "father-1-link", 3),
        usable());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theEndOfTheSessionRevokesEveryPlacesCodes(String backend) throws Exception {
    open(backend);
    issue(Place.CLIENT, "client-1", T0);
    issue(2, "mother-1", T0);

    await(rooms.endSession(ROOM, T0.plusSeconds(60)));

    assertEquals(Map.of(), usable());
    assertNotNull(stored("mother-1").revokedAt());
  }
}
