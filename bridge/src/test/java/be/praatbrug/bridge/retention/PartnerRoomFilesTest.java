package be.praatbrug.bridge.retention;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.HandClock;
import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.matrix.RetentionCalls.EventMeta;
import be.praatbrug.bridge.matrix.RetentionCalls.KnownRoom;
import be.praatbrug.bridge.rooms.RecordingRetentionCalls;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caw.test client's file in a clb.test counselling room is deleted from caw.test's media store
 * once older than the room's lifetime; other rooms, other senders and other servers' rooms are left
 * alone. On a real SQLite store; the homeserver's admin API is {@link RecordingRetentionCalls}.
 */
class PartnerRoomFilesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final Duration LIFETIME = Duration.ofMinutes(10);
  private static final String CLB_ROOM = "!counselling:clb.test";
  private static final String CLIENT = "@sara:caw.test";
  private static final String CLB_COUNSELLOR = "@lien:clb.test";

  @TempDir Path directory;
  private final HandClock clock = new HandClock(T0);
  private final RecordingRetentionCalls calls = new RecordingRetentionCalls();
  private final List<EntryDraft> recorded = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Database database;
  private RoomFiles files;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    files = new RoomFiles(database);
    room(CLB_ROOM, CLB_COUNSELLOR, LIFETIME);
  }

  @AfterEach
  void close() throws Exception {
    await(database.close());
    await(vertx.close());
  }

  private PartnerRoomFiles job() {
    return new PartnerRoomFiles(calls, files, Set.of("!ours:caw.test")::contains,
        user -> user.startsWith("@praatbrug"), () -> List.of("clb.test"), clock, recorded::add);
  }

  private void room(String roomId, String creator, Duration lifetime) {
    calls.knownRooms.add(new KnownRoom(roomId, creator));
    if (lifetime != null) {
      calls.lifetimes.put(roomId, lifetime);
    }
    calls.events.put(roomId, new ArrayList<>());
  }

  private void message(String roomId, String sender, Instant at, int ciphertextLength) {
    calls.events.get(roomId).add(new EventMeta("$" + at.toEpochMilli() + sender, sender,
        "m.room.encrypted", at, false, ciphertextLength));
  }

  private List<String> kept(String roomId) throws Exception {
    return await(files.registered(roomId)).stream().map(StoredFile::mediaId).toList();
  }

  @Test
  void aClientsFileInAPartnersRoomGoesAtTheRoomsLifetimeAndIsRecorded() throws Exception {
    calls.upload("older-photo", CLIENT, T0.minusSeconds(3600), 900);
    calls.upload("letter", CLIENT, T0.minusSeconds(121), 2500);
    message(CLB_ROOM, CLIENT, T0.minusSeconds(120), 720);
    message(CLB_ROOM, CLB_COUNSELLOR, T0.minusSeconds(60), 720);
    PartnerRoomFiles job = job();
    await(job.runOnce());
    assertEquals(List.of("letter"), kept(CLB_ROOM));
    assertTrue(calls.media.containsKey("letter"), "not yet: younger than the lifetime");

    clock.advance(LIFETIME.minusSeconds(100));
    await(job.runOnce());
    assertFalse(calls.media.containsKey("letter"), "gone once older than the room's lifetime");
    assertTrue(calls.media.containsKey("older-photo"));
    assertEquals(List.of(), kept(CLB_ROOM));
    assertEquals("1/2500", fileRun(CLB_ROOM));
    assertEquals(1, recorded.size());
    assertEquals(java.util.Map.of("room_id", CLB_ROOM, "cutoff", recorded.get(0).fields().get("cutoff"),
        "files", "1", "bytes", "2500"), recorded.get(0).fields(), "count and bytes, never which");
    assertEquals(2, job.passes());
  }

  @Test
  void eachPassReadsOnlyTheNewEventsAndSoDoesTheNextBridgeAfterARestart() throws Exception {
    calls.upload("first", CLIENT, T0.minusSeconds(31), 100);
    message(CLB_ROOM, CLIENT, T0.minusSeconds(30), 720);
    await(job().runOnce());
    calls.calls.clear();
    clock.advance(Duration.ofSeconds(20));
    await(job().runOnce()); // a new instance: how far the room was read is in the store
    assertTrue(calls.calls.stream().noneMatch(call -> call.startsWith("uploadsSince")),
        "nothing new, nothing looked up: " + calls.calls);
    calls.upload("second", CLIENT, T0.plusSeconds(29), 100);
    message(CLB_ROOM, CLIENT, T0.plusSeconds(30), 720);
    clock.advance(Duration.ofSeconds(20));
    await(job().runOnce());
    assertEquals(List.of("first", "second"), kept(CLB_ROOM));
  }

  @Test
  void otherServersRoomsOurOwnRoomsRoomsWithoutRetentionAndOtherSendersAreLeftAlone() throws Exception {
    room("!stranger:evil.test", "@x:evil.test", LIFETIME);
    room("!ours:caw.test", "@lien:caw.test", LIFETIME);
    room("!no-retention:clb.test", CLB_COUNSELLOR, null);
    calls.upload("photo", CLIENT, T0.minusSeconds(2), 100);
    for (String roomId : List.of("!stranger:evil.test", "!ours:caw.test", "!no-retention:clb.test")) {
      message(roomId, CLIENT, T0.minusSeconds(1), 720);
    }
    message(CLB_ROOM, CLB_COUNSELLOR, T0.minusSeconds(1), 720);
    message(CLB_ROOM, "@praatbrug_guest_1:caw.test", T0.minusSeconds(1), 720);
    await(job().runOnce());
    assertTrue(calls.calls.stream().noneMatch(call -> call.contains("evil.test") || call.contains("!ours")),
        calls.calls.toString());
    assertEquals(List.of(), kept("!no-retention:clb.test"));
    assertEquals(List.of(), kept(CLB_ROOM));
    assertTrue(calls.calls.stream().noneMatch(call -> call.startsWith("uploadsSince")), calls.calls.toString());
  }

  @Test
  void whereTheRoomListNamesNoCreatorTheRoomsCreateEventDecides() throws Exception {
    // Synapse lists rooms joined over federation without a creator; room version 12 ids name no server
    room("!v12-partner", "", LIFETIME);
    calls.creators.put("!v12-partner", CLB_COUNSELLOR);
    room("!v12-stranger", "", LIFETIME);
    calls.creators.put("!v12-stranger", "@x:evil.test");
    calls.upload("photo", CLIENT, T0.minusSeconds(3), 100);
    calls.upload("other", CLIENT, T0.minusSeconds(2), 100);
    message("!v12-stranger", CLIENT, T0.minusSeconds(1), 720);
    message("!v12-partner", CLIENT, T0.minusSeconds(2).plusMillis(500), 720);
    await(job().runOnce());
    assertEquals(List.of("other"), kept("!v12-partner"));
    assertEquals(List.of(), kept("!v12-stranger"));
    assertTrue(calls.calls.stream().noneMatch(call -> call.startsWith("events !v12-stranger")), calls.calls.toString());
  }

  @Test
  void aRoomThatIsNoLongerListedStillHasItsFilesDeletedAtItsLifetime() throws Exception {
    calls.upload("letter", CLIENT, T0.minusSeconds(2), 100);
    message(CLB_ROOM, CLIENT, T0.minusSeconds(1), 720);
    await(job().runOnce());
    calls.knownRooms.clear(); // the client left, the room is gone from this server
    clock.advance(LIFETIME);
    await(job().runOnce());
    assertFalse(calls.media.containsKey("letter"));
    assertEquals(0, await(files.partnerRooms()).size(), "forgotten once its files are gone");
  }

  @Test
  void aBusyRoomIsReadOnAcrossPagesAndPartnerClocksDoNotHideOurMessages() throws Exception {
    message(CLB_ROOM, CLIENT, T0.minusSeconds(60), 300);
    await(job().runOnce());
    // the partner's server is an hour ahead: its events carry later times than ours that follow
    for (int i = 0; i < 250; i++) {
      message(CLB_ROOM, CLB_COUNSELLOR, T0.plusSeconds(3600 + i), 720);
    }
    calls.upload("photo", CLIENT, T0.plusSeconds(9), 100);
    message(CLB_ROOM, CLIENT, T0.plusSeconds(10), 720);
    for (int i = 0; i < 130; i++) {
      message(CLB_ROOM, CLB_COUNSELLOR, T0.plusSeconds(3900 + i), 300);
    }
    clock.advance(Duration.ofSeconds(30));
    await(job().runOnce());
    assertEquals(List.of("photo"), kept(CLB_ROOM));
  }

  @Test
  void anAvatarOrALinkPreviewIsNeverTakenForAnEncryptedFile() throws Exception {
    calls.upload("avatar", CLIENT, T0.minusSeconds(5), 100, "image/png");
    calls.media.put("preview", new be.praatbrug.bridge.matrix.RetentionCalls.StoredMedia("preview", CLIENT,
        T0.minusSeconds(2), 100, "application/octet-stream", true));
    message(CLB_ROOM, CLIENT, T0.minusSeconds(1), 1320);
    await(job().runOnce());
    assertEquals(List.of(), kept(CLB_ROOM));
  }

  @Test
  void aFailingRoomDoesNotStopTheOthers() throws Exception {
    room("!second:clb.test", CLB_COUNSELLOR, Duration.ofSeconds(1));
    calls.upload("photo", CLIENT, T0.minusSeconds(2), 100);
    message("!second:clb.test", CLIENT, T0.minusSeconds(1), 720);
    calls.failing.add("retentionOf");
    await(job().runOnce());
    calls.failing.clear();
    clock.advance(Duration.ofSeconds(5));
    await(job().runOnce());
    assertFalse(calls.media.containsKey("photo"));
  }

  private String fileRun(String roomId) throws Exception {
    return await(database.blocking(connection -> {
      try (Statement query = connection.createStatement();
          ResultSet rows = query.executeQuery("SELECT SUM(files), SUM(file_bytes) FROM retention_runs"
              + " WHERE kind = 'files' AND room_id = '" + roomId + "'")) {
        rows.next();
        return rows.getLong(1) + "/" + rows.getLong(2);
      }
    }));
  }
}
