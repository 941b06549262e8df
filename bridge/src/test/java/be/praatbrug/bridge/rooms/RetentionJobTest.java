package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.HandClock;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.RetentionCalls.Stamped;
import be.praatbrug.bridge.retention.RoomActivity;
import be.praatbrug.bridge.retention.RoomFiles;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retention job on a real SQLite store and ledger, against a homeserver that writes down what
 * it is asked ({@link RecordingRetentionCalls} and a recording {@link MatrixClient}). The shipped
 * {@code caw} policy keeps rooms for 30 days.
 */
class RetentionJobTest {

  private static final Instant NOW = RoomFixture.NOW;
  private static final String CLOSED = "!closed:caw.test";
  private static final String QUIET = "!quiet:caw.test";
  private static final String RECENT = "!recent:caw.test";
  private static final String GUEST = "@praatbrug_guest_1:caw.test";

  @TempDir Path directory;
  private final HandClock clock = new HandClock(NOW);
  private final RecordingRetentionCalls calls = new RecordingRetentionCalls();
  private final List<String> matrixCalls = new CopyOnWriteArrayList<>();
  private final Set<String> matrixFailing = ConcurrentHashMap.newKeySet();
  private Vertx vertx;
  private Database database;
  private Ledger ledger;
  private RoomStore store;
  private RoomRegistry registry;
  private RoomFiles files;
  private RetentionJob job;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()), ConsentTexts.none(), clock);
    store = new RoomStore(database);
    registry = new RoomRegistry();
    files = new RoomFiles(database);
    job = new RetentionJob(new RetentionJob.Parts(vertx, homeserver(), calls, store, registry,
        RoomFixture.policies(), clock, new LedgerRecords(ledger), files, new RoomActivity(clock),
        Duration.ofHours(1)));
  }

  @AfterEach
  void close() throws Exception {
    await(database.close());
    await(vertx.close());
  }

  /** The MatrixClient calls retention makes; each answers at once, or fails when asked to. */
  private MatrixClient homeserver() {
    return (MatrixClient) Proxy.newProxyInstance(MatrixClient.class.getClassLoader(),
        new Class<?>[] {MatrixClient.class}, (proxy, method, args) -> {
          matrixCalls.add(method.getName() + " " + args[0]);
          if (matrixFailing.contains(method.getName())) {
            return Future.failedFuture(new IllegalStateException("homeserver down"));
          }
          return switch (method.getName()) {
            case "sendEvent" -> Future.succeededFuture("$marker:" + args[0]);
            case "purgeHistory" -> Future.succeededFuture(Optional.of("purge-history"));
            case "deleteRoom" -> Future.succeededFuture("delete-" + args[0]);
            case "deleteStatus" -> Future.succeededFuture("complete");
            default -> throw new UnsupportedOperationException(method.getName());
          };
        });
  }

  private void room(String roomId, String status, Instant created, Instant closed) throws Exception {
    CounsellingRoom room = new CounsellingRoom(roomId, "caw", RoomFixture.LIEN, "!control:caw.test",
        "rustige-groene-boot", status, null, refOf(roomId), created,
        null, closed);
    await(store.insertRoom(room));
    registry.put(room);
  }

  /** A file the counsellor's page registered, and one the room's guest uploaded. */
  private void twoFiles(String roomId, Instant uploaded) throws Exception {
    calls.upload("page-" + roomId, RoomFixture.LIEN, uploaded, 1_000);
    await(files.register(roomId, new StoredFile("page-" + roomId, uploaded, 1_000)));
    calls.upload("guest-" + roomId, GUEST, uploaded, 2_000);
    await(database.blocking(connection -> {
      RoomFiles.recordUploader(connection, GUEST, roomId);
      return null;
    }));
  }

  private boolean live(String roomId) throws Exception {
    return await(store.liveRooms()).stream().anyMatch(room -> room.roomId().equals(roomId));
  }

  /** The room's recorded retention runs as kind:status, sorted (runs of one pass share a start). */
  private List<String> runs(String roomId) throws Exception {
    return await(store.retentionRuns(roomId)).stream().sorted().toList();
  }

  /** The room's ledger entries, once every entry the job asked for is written. */
  private List<EntryKind> ledgerKinds(String roomId) throws Exception {
    // Appends run in the order asked: once this one is written, the job's are too.
    await(ledger.append(Entries.retentionPurge("C-BARRIER", "!barrier:caw.test", NOW, null, NOW)));
    return await(ledger.entriesFor(refOf(roomId))).stream().map(e -> e.entry().kind()).toList();
  }

  private static String refOf(String roomId) {
    return "C-" + roomId.substring(1, 5).toUpperCase();
  }

  @Test
  void aClosedRoomPastItsLifetimeIsDeletedWithItsFiles() throws Exception {
    room(CLOSED, "closed", NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(31)));
    twoFiles(CLOSED, NOW.minus(Duration.ofDays(50)));

    await(job.runOnce());

    assertTrue(calls.media.isEmpty(), "both files gone from the media store: " + calls.media);
    assertEquals(List.of("delete page-" + CLOSED, "delete guest-" + CLOSED), calls.changes());
    assertEquals(List.of("deleteRoom " + CLOSED, "deleteStatus delete-" + CLOSED), matrixCalls);
    assertFalse(live(CLOSED));
    assertNull(registry.room(CLOSED));
    assertEquals(List.of(), await(files.registered(CLOSED)));
    assertEquals(List.of("delete:complete", "files:complete"), runs(CLOSED));
    assertEquals(List.of(EntryKind.RETENTION_FILES_DELETED), ledgerKinds(CLOSED));
  }

  @Test
  void aQuietRoomWhoseLastMessageExpiredIsPurgedUpToAMarker() throws Exception {
    room(QUIET, "open", NOW.minus(Duration.ofDays(60)), null);
    calls.timelines.put(QUIET, List.of(
        new Stamped("$last", "m.room.message", NOW.minus(Duration.ofDays(35)))));

    await(job.runOnce());

    assertEquals(List.of("sendEvent " + QUIET), matrixCalls);
    assertEquals(List.of("purgeUpTo " + QUIET), calls.changes());
    assertTrue(calls.calls.contains("purgeStatus purge-$marker:" + QUIET), calls.calls.toString());
    assertTrue(live(QUIET), "an open room stays, only its history goes");
    assertEquals(List.of("purge:complete"), runs(QUIET));
    assertEquals(List.of(EntryKind.RETENTION_PURGE), ledgerKinds(QUIET));
  }

  @Test
  void aRoomWithinItsLifetimeIsLeftAlone() throws Exception {
    room(RECENT, "open", NOW.minus(Duration.ofDays(10)), null);
    twoFiles(RECENT, NOW.minus(Duration.ofDays(9)));
    calls.timelines.put(RECENT, List.of(
        new Stamped("$last", "m.room.message", NOW.minus(Duration.ofMinutes(5)))));

    await(job.runOnce());

    assertEquals(List.of(), calls.changes());
    assertEquals(List.of(), matrixCalls, "no marker while the room is not quiet, no purge or delete");
    assertEquals(2, calls.media.size());
    assertEquals(1, await(files.registered(RECENT)).size());
    assertTrue(live(RECENT));
    assertNotNull(registry.room(RECENT));
    assertEquals(List.of(), runs(RECENT));
    assertEquals(List.of(), ledgerKinds(RECENT));
  }

  @Test
  void aFailedHomeserverCallLeavesTheRoomForTheNextRun() throws Exception {
    room(CLOSED, "closed", NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(31)));
    twoFiles(CLOSED, NOW.minus(Duration.ofDays(50)));
    calls.failing.add("delete");

    await(job.runOnce());

    assertTrue(live(CLOSED), "not marked deleted");
    assertNotNull(registry.room(CLOSED));
    assertEquals(2, calls.media.size(), "no file gone");
    assertEquals(1, await(files.registered(CLOSED)).size(), "the room's files still known");
    assertEquals(List.of(), matrixCalls, "the room is not deleted while its files are still there");
    assertEquals(List.of("purge:failed:M_UNKNOWN"), runs(CLOSED));
    assertEquals(List.of(), ledgerKinds(CLOSED), "nothing recorded as done");

    calls.failing.clear();
    clock.advance(Duration.ofHours(1));
    await(job.runOnce());

    assertTrue(calls.media.isEmpty());
    assertFalse(live(CLOSED));
    assertEquals(List.of("delete:complete", "files:complete", "purge:failed:M_UNKNOWN"),
        runs(CLOSED));
    assertEquals(List.of(EntryKind.RETENTION_FILES_DELETED), ledgerKinds(CLOSED));
  }

  @Test
  void aFailedRoomDeletionKeepsTheRoomAndTriesAgain() throws Exception {
    room(CLOSED, "closed", NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(31)));
    matrixFailing.add("deleteRoom");

    await(job.runOnce());

    assertTrue(live(CLOSED));
    assertNotNull(registry.room(CLOSED));
    assertEquals(List.of("purge:failed:IllegalStateException"), runs(CLOSED));

    matrixFailing.clear();
    await(job.runOnce());

    assertFalse(live(CLOSED));
    assertNull(registry.room(CLOSED));
  }

  @Test
  void aSecondRunAfterSuccessDoesNothingAgain() throws Exception {
    room(CLOSED, "closed", NOW.minus(Duration.ofDays(60)), NOW.minus(Duration.ofDays(31)));
    twoFiles(CLOSED, NOW.minus(Duration.ofDays(50)));
    room(QUIET, "open", NOW.minus(Duration.ofDays(60)), null);
    calls.timelines.put(QUIET, List.of(
        new Stamped("$last", "m.room.message", NOW.minus(Duration.ofDays(35)))));
    await(job.runOnce());
    int changes = calls.changes().size();
    int matrix = matrixCalls.size();
    List<EntryKind> closedEntries = ledgerKinds(CLOSED);
    List<EntryKind> quietEntries = ledgerKinds(QUIET);

    clock.advance(Duration.ofMinutes(10));
    await(job.runOnce());

    assertEquals(changes, calls.changes().size(), "no purge or deletion again: " + calls.changes());
    assertEquals(matrix, matrixCalls.size(), "no marker or room deletion again: " + matrixCalls);
    assertEquals(List.of("delete:complete", "files:complete"), runs(CLOSED));
    assertEquals(List.of("purge:complete"), runs(QUIET));
    assertEquals(closedEntries, ledgerKinds(CLOSED));
    assertEquals(quietEntries, ledgerKinds(QUIET));
  }
}
