package be.praatbrug.bridge.retention;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.rooms.RecordingRetentionCalls;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.crypto.megolm.OutboundGroupSession;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import be.praatbrug.policy.retention.UploadAttribution;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files a counsellor sends from Element are found from metadata: her uploads of just before a
 * message that can carry a file become the room's files; nothing else does. On a real SQLite
 * store; the homeserver's media admin API is {@link RecordingRetentionCalls}.
 */
class OtherClientFilesTest {

  private static final String ROOM = "!counselling:caw.test";
  private static final String UNMANAGED = "!staff:caw.test";
  private static final String COUNSELLOR = "@lien:caw.test";
  private static final String GUEST = "@praatbrug_guest_1:caw.test";
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path directory;
  private final RecordingRetentionCalls calls = new RecordingRetentionCalls();
  private Vertx vertx;
  private Database database;
  private RoomFiles files;
  private OtherClientFiles watch;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    files = new RoomFiles(database);
    watch = new OtherClientFiles(calls, files, Set.of(ROOM)::contains,
        user -> user.equals("@praatbrug:caw.test") || user.startsWith("@praatbrug_guest_"));
  }

  @AfterEach
  void close() throws Exception {
    await(database.close());
    await(vertx.close());
  }

  private static String ciphertext(int length) {
    return "A".repeat(length);
  }

  private static JsonObject encrypted(String room, String sender, Instant at, int ciphertextLength) {
    return new JsonObject().put("type", "m.room.encrypted").put("room_id", room).put("sender", sender)
        .put("event_id", "$" + at.toEpochMilli()).put("origin_server_ts", at.toEpochMilli())
        .put("content", ciphertextLength < 0 ? new JsonObject() : new JsonObject()
            .put("algorithm", "m.megolm.v1.aes-sha2").put("ciphertext", ciphertext(ciphertextLength)));
  }

  private void push(JsonObject... events) {
    watch.observe(new JsonObject().put("events", new JsonArray(List.of((Object[]) events))));
  }

  private List<String> roomFiles(String room) throws Exception {
    return await(files.registered(room)).stream().map(StoredFile::mediaId).toList();
  }

  private void waitForLookups(int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (calls.calls.stream().filter(call -> call.startsWith("recentUploadsOf")).count() < count
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Thread.sleep(100); // the registration after the last lookup
  }

  @Test
  void anImageMessageFromElementTakesTheImageAndItsThumbnailAndNothingOlder() throws Exception {
    calls.upload("sent-elsewhere-yesterday", COUNSELLOR, T0.minus(Duration.ofDays(1)), 700);
    calls.upload("thumbnail", COUNSELLOR, T0.minusSeconds(20), 300);
    calls.upload("photo", COUNSELLOR, T0.minusSeconds(1), 2500);
    push(encrypted(ROOM, COUNSELLOR, T0, 1320));
    waitForLookups(1);
    assertEquals(List.of("thumbnail", "photo"), roomFiles(ROOM));
    assertEquals(2, watch.attributed());
  }

  @Test
  void aFileMessageTakesItsFileButNotOneSharedInAStaffRoomJustBefore() throws Exception {
    calls.upload("shared-in-a-staff-room", COUNSELLOR, T0.minusSeconds(20), 700);
    calls.upload("letter", COUNSELLOR, T0.minusSeconds(1), 2500);
    push(encrypted(ROOM, COUNSELLOR, T0, 720));
    waitForLookups(1);
    assertEquals(List.of("letter"), roomFiles(ROOM));
  }

  @Test
  void aShortMessageCarriesNothingButEndsTheSpanOfTheNextOne() throws Exception {
    calls.upload("shared-in-a-staff-room", COUNSELLOR, T0.minusSeconds(30), 700);
    push(encrypted(ROOM, COUNSELLOR, T0.minusSeconds(10), 300));
    calls.upload("photo", COUNSELLOR, T0.minusSeconds(2), 2500);
    push(encrypted(ROOM, COUNSELLOR, T0, 1320));
    waitForLookups(1);
    assertEquals(List.of("photo"), roomFiles(ROOM));
    assertEquals(1, calls.calls.stream().filter(call -> call.startsWith("recentUploadsOf")).count(),
        "no lookup for a message too short to carry a file");
  }

  @Test
  void anAvatarIsNeverTakenAndHerMemberEventBoundsTheNextMessage() throws Exception {
    calls.upload("avatar", COUNSELLOR, T0.minusSeconds(20), 300, "image/png");
    calls.upload("encrypted-file-in-a-staff-room", COUNSELLOR, T0.minusSeconds(10), 700);
    push(encrypted(ROOM, COUNSELLOR, T0.minusSeconds(5), 0).put("type", "m.room.member").put("state_key", COUNSELLOR));
    calls.upload("photo", COUNSELLOR, T0.minusSeconds(1), 2500);
    push(encrypted(ROOM, COUNSELLOR, T0, 1320));
    waitForLookups(1);
    assertEquals(List.of("photo"), roomFiles(ROOM));
  }

  @Test
  void anUnencryptedMessageOrAStickerTakesNothing() throws Exception {
    calls.upload("photo", COUNSELLOR, T0.minusSeconds(1), 2500);
    push(encrypted(ROOM, COUNSELLOR, T0, -1).put("type", "m.room.message"),
        encrypted(ROOM, COUNSELLOR, T0.plusSeconds(1), -1).put("type", "m.sticker"));
    Thread.sleep(200);
    assertEquals(List.of(), calls.calls);
  }

  @Test
  void twoFileMessagesInOneTransactionEachTakeTheirOwn() throws Exception {
    calls.upload("first", COUNSELLOR, T0.minusSeconds(5), 100);
    calls.upload("second", COUNSELLOR, T0.minusSeconds(2), 200);
    push(encrypted(ROOM, COUNSELLOR, T0.minusSeconds(4), 700), encrypted(ROOM, COUNSELLOR, T0, 700));
    waitForLookups(2);
    assertEquals(List.of("first", "second"), roomFiles(ROOM));
    // Synapse resends the transaction: nothing is looked up or taken twice
    push(encrypted(ROOM, COUNSELLOR, T0.minusSeconds(4), 700), encrypted(ROOM, COUNSELLOR, T0, 700));
    waitForLookups(2);
    assertEquals(2, calls.calls.stream().filter(call -> call.startsWith("recentUploadsOf")).count());
    assertEquals(2, watch.attributed());
  }

  @Test
  void otherRoomsRemoteSendersTheBotGuestsAndStateEventsAreNotLookedAt() throws Exception {
    calls.upload("x", COUNSELLOR, T0.minusSeconds(1), 100);
    push(encrypted(UNMANAGED, COUNSELLOR, T0, 720),
        encrypted(ROOM, "@partner:clb.test", T0, 720),
        encrypted(ROOM, GUEST, T0, 720),
        encrypted(ROOM, "@praatbrug:caw.test", T0, 720),
        encrypted(ROOM, COUNSELLOR, T0, 720).put("state_key", ""),
        new JsonObject().put("type", "m.room.encrypted").put("room_id", ROOM).put("sender", COUNSELLOR));
    Thread.sleep(200);
    assertEquals(List.of(), calls.calls);
    assertEquals(List.of(), roomFiles(ROOM));
  }

  @Test
  void aFailedLookupLosesNothingElse() throws Exception {
    calls.failing.add("recentUploadsOf");
    calls.upload("letter", COUNSELLOR, T0.minusSeconds(1), 100);
    push(encrypted(ROOM, COUNSELLOR, T0, 720));
    waitForLookups(1);
    calls.failing.clear();
    calls.upload("photo", COUNSELLOR, T0.plusSeconds(9), 100);
    push(encrypted(ROOM, COUNSELLOR, T0.plusSeconds(10), 720));
    waitForLookups(2);
    assertEquals(List.of("photo"), roomFiles(ROOM));
  }

  /** The thresholds hold for real Megolm ciphertext (the project's Megolm, checked against libolm). */
  @Test
  void theShortestFileMessagesAreFileSizedAndAnOrdinaryTextIsNot() {
    OutboundGroupSession session = OutboundGroupSession.create();
    String key = "A".repeat(43);
    JsonObject file = new JsonObject().put("v", "v2").put("url", "mxc://a.b/c")
        .put("key", new JsonObject().put("kty", "oct").put("key_ops", new JsonArray(List.of("encrypt", "decrypt")))
            .put("alg", "A256CTR").put("k", key).put("ext", true))
        .put("iv", "A".repeat(22)).put("hashes", new JsonObject().put("sha256", key));
    String shortestFile = new JsonObject().put("type", "m.room.message").put("room_id", "!a:a.b")
        .put("content", new JsonObject().put("msgtype", "m.file").put("body", "a").put("file", file)).encode();
    String text = new JsonObject().put("type", "m.room.message").put("room_id", "!AbCdEfGhIjKlMnOpQr:caw.test")
        .put("content", new JsonObject().put("msgtype", "m.text").put("body", "x".repeat(150))).encode();
    String shortestImage = new JsonObject().put("type", "m.room.message").put("room_id", "!a:a.b")
        .put("content", new JsonObject().put("msgtype", "m.image").put("body", "a").put("file", file)
            .put("info", new JsonObject().put("thumbnail_file", file))).encode();
    int fileLength = session.encrypt(shortestFile).length();
    int imageLength = session.encrypt(shortestImage).length();
    int textLength = session.encrypt(text).length();
    assertTrue(fileLength >= UploadAttribution.SMALLEST_FILE_CIPHERTEXT, "file message: " + fileLength);
    assertTrue(fileLength < UploadAttribution.SMALLEST_TWO_FILE_CIPHERTEXT, "file message: " + fileLength);
    assertTrue(imageLength >= UploadAttribution.SMALLEST_TWO_FILE_CIPHERTEXT, "image and thumbnail: " + imageLength);
    assertTrue(textLength < UploadAttribution.SMALLEST_FILE_CIPHERTEXT, "150-character text: " + textLength);
  }
}
