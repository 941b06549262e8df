package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention deletes files with their messages, on a real Synapse: a link client's upload, a file
 * the counsellor's page registered and one she sent from another client (matrix-nio) are
 * unreachable (404) once the room's lifetime has passed and when the room is deleted, while a file
 * of the same counsellor elsewhere stays; the last
 * message of a quiet room goes too (the bot's marker), from the database, not only from view.
 */
class RetentionFilesIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** The short policy's lifetime; a file must be gone within it plus a few retention passes. */
  private static final Duration LIFETIME = Duration.ofSeconds(10);
  private static final Duration GONE_WITHIN = LIFETIME.plusSeconds(20);
  private static TestHomeserver homeserver;
  private static Path policyDir;

  private String bridgeUrl;
  private MatrixTestClient counsellor;
  private MatrixTestClient admin;
  private String controlRoom;
  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest()
      .with("PRAATBRUG_ROOMS_POLICY_DIR", () -> policyDir.toString())
      .with("PRAATBRUG_ROOMS_RETENTION_INTERVAL_SECONDS", "1");

  @BeforeAll
  static void startHomeserver() throws Exception {
    homeserver = TestHomeserver.get();
    homeserver.register("counsellor", PASSWORD);
    policyDir = homeserver.workDir.resolve("retention-policies");
    Files.createDirectories(policyDir);
    String caw = Files.readString(TestHomeserver.repository().resolve("policy/policies/caw.yaml"));
    Files.writeString(policyDir.resolve("caw.yaml"), caw);
    Files.writeString(policyDir.resolve("kort.yaml"),
        PolicyCopies.withoutDoor(caw).replace("max_lifetime: 30d", "max_lifetime: " + LIFETIME.toSeconds() + "s"));
  }

  @BeforeEach
  void signIn() throws Exception {
    bridgeUrl = "http://127.0.0.1:" + bridge.config().appservice().port();
    counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("counsellor", PASSWORD);
    admin = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("admin", TestHomeserver.ADMIN_PASSWORD);
    controlRoom = bridge.openDirectChat(counsellor);
  }

  @Test
  void filesGoWithTheirMessagesAndAFileElsewhereStays() throws Exception {
    String[] room = newRoom("kort");
    MatrixTestClient client = linkClient(room);
    // A photo from the client page (a guest account: all its uploads belong to this room)
    String photo = MediaHttp.upload(homeserver.clientUrl, client.accessToken(), "image/jpeg", bytes(1500));
    client.call(HttpMethod.PUT, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room[0])
        + "/send/m.room.message/photo1", new JsonObject().put("msgtype", "m.image")
        .put("body", "brief-van-school.jpg").put("url", photo));
    // A PDF from the counsellor's page, registered with the bridge
    String pdf = MediaHttp.upload(homeserver.clientUrl, counsellor.accessToken(), "application/pdf", bytes(2500));
    assertEquals(200, MediaHttp.register(bridgeUrl, counsellor.accessToken(), room[0], pdf).statusCode());
    // A file of the same counsellor in another room, never registered
    String elsewhere = MediaHttp.upload(homeserver.clientUrl, counsellor.accessToken(), "application/pdf", bytes(700));

    // Hostile registrations are refused: someone else's file, a foreign server, a bad token, not a member
    assertEquals(403, MediaHttp.register(bridgeUrl, client.accessToken(), room[0], elsewhere).statusCode());
    assertEquals(400, MediaHttp.register(bridgeUrl, counsellor.accessToken(), room[0],
        "mxc://clb.test/abcdef").statusCode());
    assertEquals(400, MediaHttp.register(bridgeUrl, counsellor.accessToken(), room[0],
        "mxc://caw.test/../../etc").statusCode());
    assertEquals(401, MediaHttp.register(bridgeUrl, "not-a-token", room[0], pdf).statusCode());
    String[] other = newRoom(null);
    assertEquals(403, MediaHttp.register(bridgeUrl, client.accessToken(), other[0], photo).statusCode());
    assertEquals(200, MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), photo));

    long started = System.nanoTime();
    eventually(GONE_WITHIN, "both files of the room to be deleted", () ->
        MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), photo) == 404
            && MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), pdf) == 404
            ? Optional.of(true) : Optional.empty());
    System.out.printf("files unreachable %.1f s after upload (lifetime %d s)%n",
        (System.nanoTime() - started) / 1e9, LIFETIME.toSeconds());
    assertEquals(200, MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), elsewhere),
        "a file of the same counsellor elsewhere stays");
    // The run is recorded just after the last file is deleted.
    eventually(WAIT, "count and bytes recorded", () ->
        List.of(2L, 4000L).equals(fileRuns(room[0])) ? Optional.of(true) : Optional.empty());
    assertFalse(Files.readString(log()).contains("brief-van-school"), "no file names in the log");
  }

  /**
   * A file the counsellor sends from Element (here matrix-nio, a second device of hers): an
   * encrypted attachment and an encrypted m.file message, never registered with the bridge. The
   * bridge takes her upload of just before the message as the room's from metadata alone; the file
   * she shared in a staff room seconds before stays (a one-file message carries one upload).
   */
  @Test
  void aFileSentFromElementGoesWithItsMessageAndHerFileInAStaffRoomStays(@TempDir Path directory)
      throws Exception {
    String[] room = newRoom("kort");
    String staffRoom = counsellor.call(HttpMethod.POST, "/_matrix/client/v3/createRoom",
        new JsonObject().put("preset", "private_chat")).getString("room_id");
    String staffFile = MediaHttp.upload(homeserver.clientUrl, counsellor.accessToken(), "application/pdf", bytes(800));
    counsellor.call(HttpMethod.PUT, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(staffRoom)
        + "/send/m.room.message/staff1", new JsonObject().put("msgtype", "m.file").put("body", "rooster.pdf")
        .put("url", staffFile));
    String letter;
    try (NioClient element = NioClient.start(homeserver, counsellor.userId(), PASSWORD,
        bridge.config().botUserId(), room[0], directory.resolve("nio.log"))) {
      letter = element.sendFile(3000);
    }
    assertEquals(200, MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), letter));

    long started = System.nanoTime();
    eventually(GONE_WITHIN, "the file sent from Element to be deleted", () ->
        MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), letter) == 404
            ? Optional.of(true) : Optional.empty());
    System.out.printf("Element's file unreachable %.1f s after sending (lifetime %d s)%n",
        (System.nanoTime() - started) / 1e9, LIFETIME.toSeconds());
    assertEquals(200, MediaHttp.download(homeserver.clientUrl, counsellor.accessToken(), staffFile),
        "her file in a staff room stays");
    eventually(WAIT, "count and bytes recorded", () ->
        List.of(1L, 3000L).equals(fileRuns(room[0])) ? Optional.of(true) : Optional.empty());
  }

  @Test
  void deletingAClosedRoomDeletesItsFiles(@TempDir Path directory) throws Exception {
    String[] room = newRoom("kort");
    MatrixTestClient client = linkClient(room);
    String photo = MediaHttp.upload(homeserver.clientUrl, client.accessToken(), "image/png", bytes(900));
    String pdf = MediaHttp.upload(homeserver.clientUrl, counsellor.accessToken(), "application/pdf", bytes(1100));
    assertEquals(200, MediaHttp.register(bridgeUrl, counsellor.accessToken(), room[0], pdf).statusCode());
    String fromElement;
    try (NioClient element = NioClient.start(homeserver, counsellor.userId(), PASSWORD,
        bridge.config().botUserId(), room[0], directory.resolve("nio.log"))) {
      fromElement = element.sendFile(1500);
    }
    counsellor.sendText(controlRoom, "!gesprek einde " + counsellor.state(room[0], "m.room.name").getString("name"));

    eventually(GONE_WITHIN.plusSeconds(20), "the closed room to be deleted", () ->
        runs(room[0]).contains("delete:complete") ? Optional.of(true) : Optional.empty());
    assertEquals(404, MediaHttp.download(homeserver.clientUrl, admin.accessToken(), photo));
    assertEquals(404, MediaHttp.download(homeserver.clientUrl, admin.accessToken(), pdf));
    assertEquals(404, MediaHttp.download(homeserver.clientUrl, admin.accessToken(), fromElement));
    assertEquals(List.of(3L, 3500L), fileRuns(room[0]));
  }

  @Test
  void theLastMessageOfAQuietRoomIsDeletedToo() {
    String room = newRoom("kort")[0];
    String last = counsellor.sendText(room, "het laatste bericht");
    assertTrue(MediaHttp.stores(homeserver.clientUrl, admin.accessToken(), room, last));

    long started = System.nanoTime();
    eventually(GONE_WITHIN, "the last message to leave the database", () ->
        MediaHttp.stores(homeserver.clientUrl, admin.accessToken(), room, last)
            ? Optional.empty() : Optional.of(true));
    System.out.printf("last message purged %.1f s after sending (lifetime %d s)%n",
        (System.nanoTime() - started) / 1e9, LIFETIME.toSeconds());
    // What is left is the bot's marker: no content at all
    JsonArray stored = MediaHttp.storedEvents(homeserver.clientUrl, admin.accessToken(), room);
    List<JsonObject> markers = new ArrayList<>();
    stored.forEach(event -> {
      JsonObject json = (JsonObject) event;
      assertFalse("m.room.message".equals(json.getString("type")), json.encode());
      if ("be.praatbrug.retention.marker".equals(json.getString("type"))) {
        markers.add(json);
      }
    });
    assertFalse(markers.isEmpty());
    markers.forEach(marker -> assertTrue(marker.getJsonObject("content").isEmpty()));
  }

  @Test
  void aRestartedBridgeKnowsTheRoomIsQuietAlreadyAndSendsNoSecondMarker() throws Exception {
    String room = newRoom("kort")[0];
    String last = counsellor.sendText(room, "het laatste bericht voor de herstart");
    String marker = eventually(WAIT, "the bot's marker behind the last message", () -> newestMarker(room));

    // Restarted, the bridge reads the room's last activity and marker back from the homeserver:
    // the room is still quiet behind the same marker, so no new one (and no wait for one) comes.
    bridge.stop();
    bridge.start();
    bridge.awaitJobPasses("retention", 4);
    assertEquals(Optional.of(marker), newestMarker(room), "a second marker after the restart");

    eventually(GONE_WITHIN, "the last message to leave the database", () ->
        MediaHttp.stores(homeserver.clientUrl, admin.accessToken(), room, last)
            ? Optional.empty() : Optional.of(true));
  }

  /** The room's newest event when it is the bot's retention marker. */
  private Optional<String> newestMarker(String room) {
    JsonArray chunk = counsellor.call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room)
        + "/messages?dir=b&limit=1", null).getJsonArray("chunk");
    JsonObject newest = chunk.isEmpty() ? null : chunk.getJsonObject(0);
    return newest != null && "be.praatbrug.retention.marker".equals(newest.getString("type"))
        ? Optional.of(newest.getString("event_id")) : Optional.empty();
  }

  // --- helpers ------------------------------------------------------------------------------------

  private String[] newRoom(String policy) {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bridge.config().botUserId(),
        "!gesprek nieuw" + (policy == null ? "" : " " + policy), WAIT);
    return new String[] {room.roomId(), room.code()};
  }

  /** A client through the link: consent on the entry API, a guest account, knock, admitted, joined. */
  private MatrixTestClient linkClient(String[] room) {
    MatrixTestClient entry = new MatrixTestClient(bridge.vertx(), bridgeUrl);
    JsonObject checked = entry.call(HttpMethod.POST, "/_praatbrug/entry/v1/code",
        new JsonObject().put("code", room[1]));
    JsonObject guest = entry.call(HttpMethod.POST, "/_praatbrug/entry/v1/guests", new JsonObject()
        .put("code", room[1]).put("name", "Sara").put("agreed", true).put("language", "nl")
        .put("consent_version", checked.getJsonObject("consent").getString("version")));
    MatrixTestClient client = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .withToken(guest.getString("access_token"), guest.getString("user_id"));
    client.knock(room[0], room[1]);
    eventually(WAIT, "the client to be admitted", () ->
        "invite".equals(counsellor.membership(room[0], client.userId())) ? Optional.of(true) : Optional.empty());
    client.join(room[0]);
    eventually(WAIT, "the client to be in", () ->
        "join".equals(counsellor.membership(room[0], client.userId())) ? Optional.of(true) : Optional.empty());
    return client;
  }

  private static byte[] bytes(int size) {
    byte[] bytes = new byte[size];
    new java.util.Random(size).nextBytes(bytes);
    return bytes;
  }

  private List<String> runs(String roomId) {
    try (Connection db = ItStore.open(bridge.config().database());
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT kind, status FROM retention_runs WHERE room_id = '"
            + roomId + "'")) {
      List<String> runs = new ArrayList<>();
      while (rows.next()) {
        runs.add(rows.getString(1) + ":" + rows.getString(2));
      }
      return runs;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Total files and bytes the room's file runs recorded. */
  private List<Long> fileRuns(String roomId) {
    try (Connection db = ItStore.open(bridge.config().database());
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT COALESCE(SUM(files), 0), COALESCE(SUM(file_bytes), 0)"
            + " FROM retention_runs WHERE kind = 'files' AND room_id = '" + roomId + "'")) {
      rows.next();
      return List.of(rows.getLong(1), rows.getLong(2));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path log() {
    return TestHomeserver.repository().resolve("test/target/it-bridge.log");
  }
}
