package be.praatbrug.bridge.clients;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.clients.ClientReference;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Client records on SQLite and PostgreSQL: references, rooms, accounts, labels and erasure. */
class ClientRecordsTest {

  private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final byte[] LEGACY_SECRET = "legacy room secret".getBytes(StandardCharsets.UTF_8);

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;
  private Ledger ledger;
  private ClientRecords records;
  private RoomStore rooms;

  static List<String> backends() {
    return TestDatabases.backends();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  private void open(String backend) throws Exception {
    database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()), ConsentTexts.none(),
        Clock.fixed(NOW, ZoneOffset.UTC));
    records = new ClientRecords(database, ledger.clientKeys(), Clock.fixed(NOW, ZoneOffset.UTC),
        LEGACY_SECRET);
    rooms = new RoomStore(database);
  }

  @AfterEach
  void close() throws Exception {
    if (database != null) {
      await(database.close());
    }
    await(vertx.close());
  }

  private String room(String id, String clientRef) throws Exception {
    await(rooms.insertRoom(new CounsellingRoom(id, "caw", COUNSELLOR, "!dm:caw.test", "r", "open",
        null, clientRef, NOW, null, null)));
    return id;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aRoomGetsOneRecordEvenWhenTwoClientsOfItsLinkConsentAtOnce(String backend) throws Exception {
    open(backend);
    String room = room("!new:caw.test", null);

    List<Future<String>> racing = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      racing.add(records.ofRoom(room, ClientRecord.LINK, COUNSELLOR));
    }
    Set<String> refs = new HashSet<>();
    for (Future<String> ref : racing) {
      refs.add(await(ref));
    }

    assertEquals(1, refs.size(), refs.toString());
    String ref = refs.iterator().next();
    assertTrue(ClientReference.isBridgeMade(ref), ref);
    assertEquals(1, count("SELECT COUNT(*) FROM client_records"), "no orphan records");
    ClientRecord record = await(records.find(ref)).orElseThrow();
    assertEquals(ClientRecord.LINK, record.origin());
    assertEquals(COUNSELLOR, record.createdBy());
    assertEquals(ref, await(records.ofRoom(room, ClientRecord.LINK, COUNSELLOR)), "stable");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aMatrixAccountKeepsOneRecordWithoutItsIdBeingStored(String backend) throws Exception {
    open(backend);
    String first = room("!first:caw.test", null);

    String ref = await(records.forAdmission(first, null, "@client:caw.test", false, COUNSELLOR));
    String again = await(records.forAdmission(room("!second:caw.test", null), null,
        "@client:caw.test", false, COUNSELLOR));
    String other = await(records.forAdmission(room("!third:caw.test", null), null,
        "@other:caw.test", false, COUNSELLOR));

    assertEquals(ref, again);
    assertNotEquals(ref, other);
    assertEquals(ref, await(records.ofAccount("@client:caw.test")).orElseThrow().ref());
    assertEquals(ref, await(records.ofAccountOrNew("@client:caw.test", null)).ref());
    assertFalse(storedText().contains("@client:caw.test"), "the account id is not stored");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anAccountWithoutARecordTakesTheRoomsRecordAndALinkClientIsTheRoomsClient(String backend)
      throws Exception {
    open(backend);
    String room = room("!voor:caw.test", null);
    String roomRef = await(records.ofRoom(room, ClientRecord.LINK, COUNSELLOR));

    assertEquals(roomRef, await(records.forAdmission(room, roomRef,
        "@praatbrug_guest_abc:caw.test", true, COUNSELLOR)));
    assertEquals(roomRef, await(records.forAdmission(room, roomRef, "@client:caw.test", false,
        COUNSELLOR)), "a client who came by link before and now has an account");
    assertNotEquals(roomRef, await(records.forAdmission(room, roomRef, "@someone-else:caw.test",
        false, COUNSELLOR)), "a second account cannot take the same record");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anAccountWithAReferenceFromBeforeRecordsKeepsIt(String backend) throws Exception {
    open(backend);
    String legacy = ClientRefs.of(LEGACY_SECRET, "@client:caw.test");
    sql("INSERT INTO client_records (client_ref, origin, created_at) VALUES ('" + legacy
        + "', 'legacy', 1)");

    assertEquals(legacy, await(records.ofAccount("@client:caw.test")).orElseThrow().ref());
    assertTrue(await(records.find(legacy)).orElseThrow().matrixAccount());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theLabelIsSealedAndErasureTakesItAndTheAccountLinkAway(String backend) throws Exception {
    open(backend);
    String ref = await(records.ofAccountOrNew("@client:caw.test", null)).ref();
    await(records.setLabel(ref, "Sara 3B"));

    assertEquals(Optional.of("Sara 3B"), await(records.label(ref)));
    assertTrue(await(records.find(ref)).orElseThrow().hasLabel());
    assertFalse(storedText().contains("Sara"), "the label is never stored in clear");

    await(ledger.erase(ref, "test"));

    ClientRecord erased = await(records.find(ref)).orElseThrow();
    assertTrue(erased.erased() && !erased.hasLabel() && !erased.matrixAccount(), erased.toString());
    assertEquals(Optional.empty(), await(records.label(ref)));
    assertNotEquals(ref, await(records.ofAccountOrNew("@client:caw.test", null)).ref(),
        "the account no longer leads to the erased record");
    boolean refused = await(records.setLabel(ref, "again").transform(done ->
        Future.succeededFuture(done.failed())));
    assertTrue(refused, "an erased record takes no label");
    assertTrue(await(ledger.verify()).ok());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void adminsFindRecordsByTheStartOfTheirReference(String backend) throws Exception {
    open(backend);
    String ref = await(records.ofAccountOrNew("@client:caw.test", COUNSELLOR)).ref();
    await(records.ofAccountOrNew("@other:caw.test", null));
    String typed = ref.substring(0, 6).toLowerCase().replace("-", "");

    List<ClientRecord> found = await(records.search(typed, 20));

    assertTrue(found.stream().anyMatch(record -> record.ref().equals(ref)), found + " for " + typed);
    assertEquals(List.of(), await(records.search("C-%", 20)), "LIKE wildcards are taken literally");
    assertEquals("C-7K3P-9Q", ClientRecords.searchPrefix("c7k3p9q"));
    assertEquals("cl-1aa7", ClientRecords.searchPrefix("CL-1AA7"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aCounsellorsCaseloadHoldsTheRecordsOfHerRooms(String backend) throws Exception {
    open(backend);
    String mine = await(records.ofRoom(room("!a:caw.test", null), ClientRecord.LINK, COUNSELLOR));
    String theirs = await(records.ofAccountOrNew("@client:caw.test", "@colleague:caw.test")).ref();

    List<String> caseload = await(records.ofCounsellor(COUNSELLOR)).stream().map(ClientRecord::ref).toList();

    assertEquals(List.of(mine), caseload);
    assertFalse(caseload.contains(theirs));
  }

  private void sql(String statement) throws Exception {
    await(database.blocking(connection -> {
      try (Statement run = connection.createStatement()) {
        run.execute(statement);
      }
      return null;
    }));
  }

  private long count(String query) throws Exception {
    return await(database.blocking(connection -> {
      try (Statement run = connection.createStatement(); ResultSet rows = run.executeQuery(query)) {
        rows.next();
        return rows.getLong(1);
      }
    }));
  }

  /** Every value of the records and rooms tables, to look for what must not be there. */
  private String storedText() throws Exception {
    return await(database.blocking(connection -> {
      StringBuilder all = new StringBuilder();
      for (String table : List.of("client_records", "counselling_rooms", "ledger_client_keys")) {
        try (Statement run = connection.createStatement();
            ResultSet rows = run.executeQuery("SELECT * FROM " + table)) {
          while (rows.next()) {
            for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
              all.append(rows.getObject(i)).append('\n');
            }
          }
        }
      }
      return all.toString();
    }));
  }
}
