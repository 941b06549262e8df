package be.praatbrug.bridge.entry;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.entry.GuestStore.Guest;
import be.praatbrug.bridge.matrix.RecordingMatrixClient;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.guests.GuestNamespace;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuestAccountsTest {

  private static final Instant MADE = Instant.parse("2026-11-24T10:00:00Z");
  private static final Guest GUEST = new Guest("@praatbrug_guest_abc:caw.test", "!r:caw.test", MADE);
  private static final CounsellingRoom OPEN = new CounsellingRoom("!r:caw.test", "caw",
      "@an:caw.test", "!dm:caw.test", "rustige-groene-boot", "open", null, null, MADE, null, null);
  private static final Duration DAY = Duration.ofHours(24);
  private static final GuestNamespace NAMESPACE = new GuestNamespace("praatbrug_guest_", "caw.test");
  private static final Clock CLOCK = Clock.fixed(MADE, ZoneOffset.UTC);

  @TempDir Path directory;

  @Test
  void aWaitingGuestLivesAsLongAsACode() {
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "knock", DAY, MADE.plus(Duration.ofHours(23))));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN, "knock", DAY, MADE.plus(DAY)));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN, "leave", DAY, MADE.plus(DAY)));
  }

  @Test
  void anAdmittedGuestLivesUntilTheSessionEnds() {
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "join", DAY, MADE.plus(Duration.ofDays(3))));
    assertFalse(GuestAccounts.isExpired(GUEST, OPEN, "invite", DAY, MADE.plus(Duration.ofDays(3))));
    assertTrue(GuestAccounts.isExpired(GUEST, OPEN.closedAt(MADE.plusSeconds(60)), "join", DAY,
        MADE.plusSeconds(61)));
    assertTrue(GuestAccounts.isExpired(GUEST, null, null, DAY, MADE.plusSeconds(1)));
  }

  @Test
  void eachPlaceOfAFamilySessionHasItsOwnGuestPlaces() {
    GuestAccounts guests = new GuestAccounts(null, null, NAMESPACE, CLOCK);
    for (int i = 0; i < GuestAccounts.MAX_PER_ROOM; i++) {
      assertTrue(guests.reserve("!r:caw.test", 2).isPresent(), "guest " + i + " of place 2");
    }
    assertEquals(Optional.empty(), guests.reserve("!r:caw.test", 2));
    // A full place 2 leaves the client's place and place 3 their own, and other rooms theirs.
    assertTrue(guests.reserve("!r:caw.test", 3).isPresent());
    for (int i = 0; i < GuestAccounts.MAX_PER_ROOM; i++) {
      assertTrue(guests.reserve("!r:caw.test").isPresent(), "guest " + i + " of place 1");
    }
    assertEquals(Optional.empty(), guests.reserve("!r:caw.test", Place.CLIENT));
    assertTrue(guests.reserve("!q:caw.test", 2).isPresent());
    assertEquals(Place.CLIENT, guests.placeOf("@praatbrug_guest_unknown:caw.test"));
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  /** Also after a restart: the guests are read back from the store (SQLite and PostgreSQL). */
  @ParameterizedTest
  @MethodSource("backends")
  void storedGuestsCountForThePlaceTheirLinkOpenedAndAFailedAccountGivesItsSlotBack(String backend)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    try {
      GuestStore store = new GuestStore(database);
      for (int i = 0; i < GuestAccounts.MAX_PER_ROOM; i++) {
        await(store.insert(new Guest("@praatbrug_guest_m" + i + ":caw.test", "!r:caw.test", MADE, 2)));
      }
      await(store.insert(new Guest("@praatbrug_guest_c:caw.test", "!r:caw.test", MADE)));
      assertEquals(List.of(2, 2, 2, Place.CLIENT),
          await(store.all()).stream().map(Guest::place).toList());

      RecordingMatrixClient matrix = new RecordingMatrixClient("@praatbrug:caw.test")
          .answer("registerNamespaceUser", args -> Future.failedFuture(new IllegalStateException("down")));
      GuestAccounts guests = new GuestAccounts(matrix, store, NAMESPACE, CLOCK);
      await(guests.load());

      assertEquals(2, guests.placeOf("@praatbrug_guest_m0:caw.test"));
      assertEquals(Place.CLIENT, guests.placeOf("@praatbrug_guest_c:caw.test"));
      assertEquals(Optional.empty(), guests.reserve("!r:caw.test", 2));
      // The stored client guest counts for place 1 after a restart too.
      assertTrue(guests.reserve("!r:caw.test").isPresent());
      assertTrue(guests.reserve("!r:caw.test").isPresent());
      assertEquals(Optional.empty(), guests.reserve("!r:caw.test"));
      GuestAccounts.Slot slot = guests.reserve("!r:caw.test", 3).orElseThrow();
      assertTrue(guests.reserve("!r:caw.test", 3).isPresent());
      assertTrue(guests.reserve("!r:caw.test", 3).isPresent());
      assertEquals(Optional.empty(), guests.reserve("!r:caw.test", 3));
      // The homeserver refused the account: place 3's slot is free again, and no guest is stored.
      assertThrows(ExecutionException.class, () -> await(guests.provision(slot, "Papa")));
      assertTrue(guests.reserve("!r:caw.test", 3).isPresent());
      assertEquals(4, await(store.all()).size());
    } finally {
      await(database.close());
      await(vertx.close());
    }
  }
}
