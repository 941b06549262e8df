package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import be.praatbrug.policy.rooms.RoomSnapshot;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Letting someone in on a family session's named place: the code is spent and the place taken in
 * one transaction, or neither. On SQLite and (when the test command provides one) PostgreSQL.
 */
class AdmissionsTest extends StoreTestCase {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Instant EXPIRES = T0.plusSeconds(86_400);
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
  private static final String ROOM = "!gezin:caw.test";
  private static final String COUNSELLOR = "@lien:caw.test";
  private static final String PUPIL = "@pupil:caw.test";
  private static final String MOTHER = "@mother:clb.test";
  private static final String FATHER = "@father:caw.test";

  private RoomStore rooms;
  private PlaceStore places;
  private Ledger ledger;
  private RoomRegistry registry;
  private Admissions admissions;
  /** The records of place 2 and place 3. */
  private String motherRef;
  private String fatherRef;

  /** An open family room with places 2 and 3 named, and a code for each place and the client. */
  private void open(String backend) throws Exception {
    openStore(backend);
    rooms = new RoomStore(database);
    places = new PlaceStore(database);
    ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()), ConsentTexts.none(), CLOCK);
    ClientRecords clients = new ClientRecords(database, ledger.clientKeys(), CLOCK,
        "legacy".getBytes(StandardCharsets.UTF_8));
    registry = new RoomRegistry();
    admissions = new Admissions(database, registry, new LedgerRecords(ledger), clients,
        userId -> userId.startsWith("@praatbrug_guest_"), CLOCK);
    CounsellingRoom room = new CounsellingRoom(ROOM, "gezin", COUNSELLOR, "!dm:caw.test",
        "rustige-groene-boot", "open", null, null, T0, null, null);
    await(rooms.insertRoom(room));
    registry.put(room);
    motherRef = await(clients.fresh(ClientRecord.LINK, COUNSELLOR));
    fatherRef = await(clients.fresh(ClientRecord.LINK, COUNSELLOR));
    assertEquals(COUNSELLOR, await(clients.find(motherRef)).orElseThrow().createdBy(),
        "a named place's record is in the counsellor's caseload");
    await(places.add(ROOM, motherRef, false, 3, T0));
    registry.setPlaces(ROOM, await(places.add(ROOM, fatherRef, false, 3, T0)));
    issue(Place.CLIENT, "client-1");
    issue(2, "mother-1");
    issue(3, "father-1");
  }

  private void issue(int place, String code) throws Exception {
    await(rooms.replaceKnockCode(ROOM, place, code, code + "-link", T0, null, EXPIRES, true));
    registry.setCodes(ROOM, place, List.of(new KnockCode(code, EXPIRES, true, null, place),
        new KnockCode(code + "-link", EXPIRES, true, null, place)));
  }

  private RoomSnapshot snapshot() {
    return registry.snapshot(ROOM, T0);
  }

  /** The hashes of the registry's usable codes of the room. */
  private Set<String> registryCodes() {
    return snapshot().codes().stream().map(KnockCode::hash).collect(Collectors.toSet());
  }

  private Instant spentAt(String code) throws Exception {
    return await(rooms.findCode(code)).orElseThrow().spentAt();
  }

  private long count(String sql) throws Exception {
    return await(database.blocking(connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery(sql)) {
        rows.next();
        return rows.getLong(1);
      }
    }));
  }

  /** The ledger entry of {@code kind}, waiting for it: the ledger is written after the step. */
  private Optional<LedgerEntry> entry(EntryKind kind) throws Exception {
    for (int i = 0; i < 100; i++) {
      Optional<LedgerEntry> found = await(ledger.page(0, 100)).stream()
          .filter(entry -> entry.kind() == kind).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(50);
    }
    return Optional.empty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPlacesCodeIsSpentAndThePlaceTakenTogether(String backend) throws Exception {
    open(backend);

    await(admissions.admit(new Action.AdmitClient(ROOM, MOTHER, "mother-1", 2)));

    assertEquals(T0, spentAt("mother-1"));
    assertEquals(List.of(new Place(2, motherRef, MOTHER), new Place(3, fatherRef, null)),
        await(places.of(ROOM)));
    assertEquals(await(places.of(ROOM)), registry.places(ROOM));
    assertEquals(2, snapshot().placeOf(MOTHER));
    // Place 1 is still free: the mother is nobody's client admission.
    assertNull(snapshot().admittedId());
    assertEquals(0, count("SELECT COUNT(*) FROM room_admissions"));
    // Only place 2's code and link are gone; the others still open their places.
    assertEquals(Set.of("client-1", "client-1-link", "father-1", "father-1-link"), registryCodes());
    assertNull(spentAt("father-1"));
    assertNull(spentAt("client-1"));
    // The admission is in the ledger under the place's own record.
    LedgerEntry admitted = entry(EntryKind.KNOCK_ADMITTED).orElseThrow();
    assertEquals(motherRef, admitted.clientRef());
    assertEquals(ROOM, admitted.field("room_id"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aTakenPlaceLetsNobodyElseInAndSpendsNoSecondCode(String backend) throws Exception {
    open(backend);
    await(admissions.admit(new Action.AdmitClient(ROOM, MOTHER, "mother-1", 2)));
    // The counsellor sent place 2's link again, and someone else came with it.
    issue(2, "mother-2");

    ExecutionException taken = assertThrows(ExecutionException.class,
        () -> await(admissions.admit(new Action.AdmitClient(ROOM, FATHER, "mother-2", 2))));

    assertInstanceOf(PlaceStore.PlaceTaken.class, taken.getCause());
    assertNull(spentAt("mother-2"), "the code of a refused admission is not spent");
    assertEquals(MOTHER, await(places.of(ROOM)).get(0).userId());
    assertEquals(MOTHER, registry.places(ROOM).get(0).userId());
    assertTrue(registryCodes().contains("mother-2"), registryCodes().toString());
    // The code already spent lets nobody in either.
    ExecutionException spent = assertThrows(ExecutionException.class,
        () -> await(admissions.admit(new Action.AdmitClient(ROOM, FATHER, "mother-1", 2))));
    assertInstanceOf(Admissions.CodeAlreadyUsed.class, spent.getCause());
  }

  /** A reusable code is not spent, but its place still takes one person, however many come at once. */
  @ParameterizedTest
  @MethodSource("backends")
  void peopleComingAtOnceWithAReusableCodeGetThePlaceOnce(String backend) throws Exception {
    open(backend);
    List<String> users = List.of(FATHER, "@a:caw.test", "@b:caw.test", "@c:caw.test", "@d:caw.test");
    List<Future<Void>> racing = new ArrayList<>();
    for (String user : users) {
      racing.add(admissions.admit(new Action.AdmitClient(ROOM, user, null, 3)));
    }
    await(Future.join(racing).otherwiseEmpty());

    List<String> letIn = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      if (racing.get(i).succeeded()) {
        letIn.add(users.get(i));
      } else {
        assertInstanceOf(PlaceStore.PlaceTaken.class, racing.get(i).cause());
      }
    }
    assertEquals(1, letIn.size(), letIn.toString());
    assertEquals(letIn.get(0), await(places.of(ROOM)).get(1).userId());
    assertEquals(letIn.get(0), registry.places(ROOM).get(1).userId());
    assertNull(spentAt("father-1"));
    assertTrue(registryCodes().contains("father-1"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theClientsAdmissionKeepsTheNamedPlacesCodes(String backend) throws Exception {
    open(backend);

    await(admissions.admit(new Action.AdmitClient(ROOM, PUPIL, "client-1")));

    assertEquals(PUPIL, snapshot().admittedId());
    assertEquals(Place.CLIENT, snapshot().placeOf(PUPIL));
    assertEquals(1, count("SELECT COUNT(*) FROM room_admissions"));
    assertNotNull(spentAt("client-1"));
    assertEquals(Set.of("mother-1", "mother-1-link", "father-1", "father-1-link"), registryCodes());
    assertTrue(await(places.of(ROOM)).stream().allMatch(Place::isFree));
  }
}
