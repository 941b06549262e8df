package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.HandClock;
import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.ledger.SessionExport;
import be.praatbrug.bridge.ledger.SessionRow;
import be.praatbrug.bridge.matrix.RecordingMatrixClient;
import be.praatbrug.policy.Action;
import be.praatbrug.policy.clients.ClientReference;
import be.praatbrug.policy.rooms.KnockCode;
import be.praatbrug.policy.rooms.Place;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A family session's places in the bridge: naming them (record, code and link), a fresh code for
 * one, and each participant's part in the session in the ledger. On SQLite and (when the test
 * command provides one) PostgreSQL, with the repository's own {@code gezin} policy (four people).
 */
class FamilyPlacesTest extends StoreTestCase {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final String ROOM = "!gezin:caw.test";
  private static final String CONTROL = "!control:caw.test";
  private static final String LIEN = RoomFixture.LIEN;
  private static final String PUPIL = "@pupil:caw.test";
  private static final String MOTHER = "@mother:clb.test";
  private static final byte[] CODE_KEY = "family-places-test-key-32-bytes!".getBytes(StandardCharsets.UTF_8);
  private static final Pattern CODE = Pattern.compile("Code: ([A-Z0-9]{4}-[A-Z0-9]{4})");

  private RoomStore rooms;
  private PlaceStore places;
  private RoomRegistry registry;
  private ClientRecords clients;
  private Ledger ledger;
  private RecordingMatrixClient matrix;
  private HandClock clock;
  private FamilyPlaces family;

  private void open(String backend) throws Exception {
    openStore(backend);
    clock = new HandClock(T0);
    rooms = new RoomStore(database);
    places = new PlaceStore(database);
    registry = new RoomRegistry();
    ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()), ConsentTexts.none(), clock);
    clients = new ClientRecords(database, ledger.clientKeys(), clock,
        "legacy".getBytes(StandardCharsets.UTF_8));
    matrix = new RecordingMatrixClient(RoomFixture.BOT)
        .answer("sendEvent", args -> Future.succeededFuture("$sent"));
    family = new FamilyPlaces(new FamilyPlaces.Parts(matrix, rooms, places, registry,
        RoomFixture.policies(), clients, new LedgerRecords(ledger), CODE_KEY,
        "https://praatbrug.caw.test/", clock));
    CounsellingRoom room = new CounsellingRoom(ROOM, "gezin", LIEN, CONTROL, "rustige-groene-boot",
        "open", null, null, T0, null, null);
    await(rooms.insertRoom(room));
    registry.put(room);
  }

  /** The text of the last notice the bot sent. */
  private String lastNotice() {
    List<RecordingMatrixClient.Call> sent = matrix.calls().stream()
        .filter(call -> call.method().equals("sendEvent")).toList();
    RecordingMatrixClient.Call last = sent.get(sent.size() - 1);
    assertEquals(CONTROL, last.args().get(0));
    return ((JsonObject) last.args().get(3)).getString("body");
  }

  private static String codeIn(String notice) {
    Matcher code = CODE.matcher(notice);
    assertTrue(code.find(), notice);
    return code.group(1);
  }

  private Set<String> registryCodesOf(int place) {
    return registry.snapshot(ROOM, clock.instant()).codes().stream()
        .filter(code -> code.place() == place).map(KnockCode::hash).collect(Collectors.toSet());
  }

  /** The ledger entries of {@code kind}, waiting until there are {@code expected}. */
  private List<LedgerEntry> entries(EntryKind kind, int expected) throws Exception {
    List<LedgerEntry> found = List.of();
    for (int i = 0; i < 100 && found.size() < expected; i++) {
      if (i > 0) {
        Thread.sleep(50);
      }
      found = await(ledger.page(0, 100)).stream().filter(entry -> entry.kind() == kind).toList();
    }
    return found;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aNamedPlaceGetsARecordInTheCaseloadAndACodeOfItsOwn(String backend) throws Exception {
    open(backend);

    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "mama van Sara", false)));

    List<Place> named = registry.places(ROOM);
    assertEquals(1, named.size(), named.toString());
    String ref = named.get(0).clientRef();
    assertEquals(new Place(2, ref, null), named.get(0));
    assertTrue(ClientReference.isBridgeMade(ref), ref);
    assertEquals(LIEN, await(clients.find(ref)).orElseThrow().createdBy());
    assertEquals(Optional.of("mama van Sara"), await(clients.label(ref)));
    assertEquals(named, await(places.of(ROOM)));
    String notice = lastNotice();
    assertTrue(notice.contains("Plaats 2 in gezinsgesprek 'rustige-groene-boot' is voor cliëntdossier "
        + ref) && notice.contains("Place 2 in family session"), notice);
    assertTrue(notice.contains("Link: https://praatbrug.caw.test/binnen/#"), notice);
    // The code in the notice opens place 2, and only that: stored hashed, with its link.
    String hash = KnockCode.hash(CODE_KEY, codeIn(notice));
    assertTrue(registryCodesOf(2).contains(hash), registryCodesOf(2).toString());
    assertEquals(2, registryCodesOf(2).size());
    assertEquals(2, await(rooms.findCode(hash)).orElseThrow().place());
    assertEquals(Set.of(), registryCodesOf(Place.CLIENT));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aParentsPlaceSaysSoAndAnotherPlaceCanBeMadeOneLater(String backend) throws Exception {
    open(backend);

    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "mama van Sara", true)));
    String parentNotice = lastNotice();
    assertTrue(parentNotice.contains("Als ouder of voogd kan die instemmen voor een kind onder 12")
        && parentNotice.contains("As a parent or guardian they can agree"), parentNotice);
    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "tolk", false)));
    assertFalse(lastNotice().contains("ouder of voogd"), lastNotice());
    assertEquals(List.of(true, false), registry.places(ROOM).stream().map(Place::parent).toList());

    // Named as a participant by mistake: made a parent's place, in memory and in the store.
    await(family.setParent(new Action.SetParentPlace(ROOM, CONTROL, 3, true), "praatbrug.key1"));
    assertEquals(List.of(true, true), registry.places(ROOM).stream().map(Place::parent).toList());
    assertEquals(registry.places(ROOM), await(places.of(ROOM)));
    assertTrue(lastNotice().contains("Plaats 3 (" + registry.places(ROOM).get(1).clientRef() + ") in"
        + " 'rustige-groene-boot' is nu die van een ouder of voogd"), lastNotice());
    // And taken back.
    await(family.setParent(new Action.SetParentPlace(ROOM, CONTROL, 2, false), "praatbrug.key2"));
    assertEquals(List.of(false, true), await(places.of(ROOM)).stream().map(Place::parent).toList());
    assertEquals(await(places.of(ROOM)), registry.places(ROOM));
    assertTrue(lastNotice().contains("is niet langer die van een ouder of voogd"), lastNotice());
    // A place that went meanwhile (the session ended): said so, nothing made up.
    await(family.setParent(new Action.SetParentPlace(ROOM, CONTROL, 4, true), "praatbrug.key3"));
    assertTrue(lastNotice().contains("Plaats 4 in 'rustige-groene-boot' is er niet meer"), lastNotice());
    assertEquals(2, await(places.of(ROOM)).size());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anExistingRecordGetsTheNextPlaceUntilThePolicyHasNoneLeft(String backend) throws Exception {
    open(backend);
    String first = await(clients.fresh(ClientRecord.LINK, LIEN));
    String second = await(clients.fresh(ClientRecord.LINK, LIEN));
    String third = await(clients.fresh(ClientRecord.LINK, LIEN));

    await(family.add(new Action.AddPlace(ROOM, CONTROL, first, null, false)));
    await(family.add(new Action.AddPlace(ROOM, CONTROL, second, null, false)));
    await(family.add(new Action.AddPlace(ROOM, CONTROL, third, null, false)));

    assertEquals(List.of(new Place(2, first, null), new Place(3, second, null)), registry.places(ROOM));
    assertTrue(lastNotice().contains("'rustige-groene-boot' heeft al elke plaats die het beleid"
        + " toelaat"), lastNotice());
    assertEquals(Optional.empty(), await(clients.label(first)), "an existing record keeps its label");
    assertEquals(2, registryCodesOf(2).size());
    assertEquals(2, registryCodesOf(3).size());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aFreshCodeForOnePlaceLeavesTheOtherPlacesCodes(String backend) throws Exception {
    open(backend);
    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "mama", false)));
    String oldMother = KnockCode.hash(CODE_KEY, codeIn(lastNotice()));
    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "papa", false)));
    Set<String> father = registryCodesOf(3);
    clock.advance(Duration.ofMinutes(5));

    await(family.issueCode(new Action.IssueKnockCode(ROOM, CONTROL, 2), false));

    String notice = lastNotice();
    assertTrue(notice.contains("Nieuwe code voor plaats 2 (" + registry.places(ROOM).get(0).clientRef()
        + ") in 'rustige-groene-boot'; de vorige werkt niet meer"), notice);
    String fresh = KnockCode.hash(CODE_KEY, codeIn(notice));
    assertTrue(registryCodesOf(2).contains(fresh) && !registryCodesOf(2).contains(oldMother),
        registryCodesOf(2).toString());
    assertEquals(father, registryCodesOf(3));
    assertEquals(clock.instant(), await(rooms.findCode(oldMother)).orElseThrow().revokedAt());
    assertNull(await(rooms.findCode(father.iterator().next())).orElseThrow().revokedAt());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void eachParticipantsPartInTheSessionIsRecordedOnceUnderTheirOwnRecord(String backend)
      throws Exception {
    open(backend);
    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "mama", false)));
    String motherRef = registry.places(ROOM).get(0).clientRef();
    await(database.inTransaction(connection -> {
      PlaceStore.take(connection, ROOM, 2, MOTHER, T0);
      return null;
    }));
    registry.setPlaces(ROOM, await(places.of(ROOM)));
    registry.setMembership(ROOM, MOTHER, "join");

    // The mother is in before the pupil: no session runs yet, so nothing is recorded.
    await(family.entered(new Action.PlaceEntered(ROOM, 2, MOTHER)));
    // The pupil comes in: the session starts, and the mother takes part from now.
    clock.advance(Duration.ofMinutes(2));
    Instant started = clock.instant();
    String session = await(rooms.startSession(ROOM, LIEN, PUPIL, "C-AAAA-AAAA", started));
    await(family.sessionStarted(ROOM));
    // She leaves and comes back: still one part in the session.
    clock.advance(Duration.ofMinutes(10));
    await(family.entered(new Action.PlaceEntered(ROOM, 2, MOTHER)));

    List<LedgerEntry> joined = entries(EntryKind.SESSION_STARTED, 1);
    assertEquals(1, joined.size(), joined.toString());
    assertEquals(motherRef, joined.get(0).clientRef());
    assertEquals("2", joined.get(0).field("place"));
    assertEquals(session, joined.get(0).field("session_id"));
    assertEquals(started, Instant.parse(joined.get(0).field("started_at")));

    clock.advance(Duration.ofMinutes(30));
    Instant end = clock.instant();
    await(rooms.endSession(ROOM, end));
    await(family.sessionEnded(ROOM, LIEN));

    List<LedgerEntry> left = entries(EntryKind.SESSION_ENDED, 1);
    assertEquals(1, left.size(), left.toString());
    assertEquals(motherRef, left.get(0).clientRef());
    assertEquals("2", left.get(0).field("place"));
    assertEquals(end, Instant.parse(left.get(0).field("ended_at")));
    assertEquals(String.valueOf(Duration.ofMinutes(40).toSeconds()), left.get(0).field("duration_seconds"));
    // The ledger is one chain: with the end in it, a second start would be in it too.
    assertEquals(1, entries(EntryKind.SESSION_STARTED, 1).size());
    assertEquals(List.of(), registry.places(ROOM));
    assertEquals(List.of(), await(places.of(ROOM)));
    // Her own client file shows the family session.
    List<SessionRow> rows = SessionExport.rows(await(ledger.page(0, 100)), null, null);
    assertEquals(List.of(new SessionRow(session, motherRef, LIEN, ROOM, started, end, 2400L,
        left.get(0).position(), 2)), rows);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theStoredPlacesAreLoadedIntoTheRegistry(String backend) throws Exception {
    open(backend);
    await(family.add(new Action.AddPlace(ROOM, CONTROL, null, "mama", false)));
    List<Place> stored = await(places.of(ROOM));
    RoomRegistry restarted = new RoomRegistry();

    await(new FamilyPlaces(new FamilyPlaces.Parts(matrix, rooms, places, restarted,
        RoomFixture.policies(), clients, new LedgerRecords(ledger), CODE_KEY,
        "https://praatbrug.caw.test", clock)).load());

    assertEquals(stored, restarted.places(ROOM));
    assertNotNull(stored.get(0).clientRef());
  }
}
