package be.praatbrug.bridge.desk;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.bridge.web.TokenGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The counsellor page's routes on a real store (SQLite): the public config, and the records of a
 * counsellor's own rooms only, for her own token. The homeserver's {@code whoami} is the one part
 * stood in for here (the browser tests ask the real one).
 */
class DeskRoutesTest {

  private static final Instant NOW = Instant.parse("2026-12-05T09:00:00Z");
  private static final String LIEN = "@lien:caw.test";
  private static final String JAN = "@jan:caw.test";
  private static final String GUEST = "@praatbrug_guest_x1:caw.test";
  private static final Map<String, String> TOKENS = Map.of("lien-token", LIEN, "jan-token", JAN,
      "guest-token", GUEST);

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;
  private WebClient client;
  private HttpServer server;
  private ClientRecords records;
  private RoomRegistry registry;
  private RoomStore rooms;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    database = await(Database.open(vertx, TestDatabases.forBackend("sqlite", directory)));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    Ledger ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()), ConsentTexts.none(), clock);
    records = new ClientRecords(database, ledger.clientKeys(), clock,
        "legacy".getBytes(StandardCharsets.UTF_8));
    registry = new RoomRegistry();
    rooms = new RoomStore(database);
    DeskRoutes routes = new DeskRoutes(new DeskRoutes.Parts(vertx, "https://matrix.caw.example",
        "@praatbrug:caw.example",
        token -> token.equals("homeserver-down")
            ? Future.failedFuture(new java.net.ConnectException("Connection refused"))
            : token.equals("homeserver-busy")
            ? Future.failedFuture(new MatrixException(ErrCode.M_LIMIT_EXCEEDED, "Too many requests"))
            : token.equals("deactivated-token")
            ? Future.failedFuture(new MatrixException(ErrCode.M_FORBIDDEN, "User account has been deactivated"))
            : TOKENS.containsKey(token) ? Future.succeededFuture(TOKENS.get(token))
            : Future.failedFuture(new MatrixException(ErrCode.M_UNKNOWN_TOKEN, "Unknown token")),
        userId -> userId.startsWith("@praatbrug_guest_"), new CaseloadRecords(registry, records),
        new EntrySection(3, 60, 50, List.of(), EntrySection.NEUTRAL_APP_NAME, EntrySection.NEUTRAL_EXIT_URL), clock,
        // No homeserver here: single sign-on is never ready (sso.js tests the real probe).
        () -> Future.succeededFuture(false)));
    Router root = Router.router(vertx);
    root.route(DeskRoutes.PREFIX + "*").subRouter(routes.router());
    client = WebClient.create(vertx);
    server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
    client.close();
    await(database.close());
    await(vertx.close());
  }

  private HttpResponse<Buffer> get(String path, String token) throws Exception {
    var request = client.get(server.actualPort(), "127.0.0.1", DeskRoutes.PREFIX + path);
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return await(request.send());
  }

  /** A room of {@code counsellor} with a record of its own (as when the client consented). */
  private String roomWithRecord(String roomId, String counsellor, String status) throws Exception {
    CounsellingRoom room = new CounsellingRoom(roomId, "caw", counsellor, "!dm:caw.test", "r",
        status, null, null, NOW, null, null);
    await(rooms.insertRoom(room));
    String ref = await(records.ofRoom(roomId, ClientRecord.LINK, counsellor));
    registry.put(room.withClientRef(ref));
    return ref;
  }

  @Test
  void tellsThePageWhereToSignInWhoTheBotIsAndWhenToLock() throws Exception {
    HttpResponse<Buffer> response = get("config", null);
    assertEquals(200, response.statusCode());
    assertEquals("no-store", response.getHeader("Cache-Control"));
    assertEquals(new JsonObject().put("homeserver", "https://matrix.caw.example")
        .put("bot_user_id", "@praatbrug:caw.example").put("idle_lock_seconds", 900L),
        response.bodyAsJsonObject());
  }

  @Test
  void aCounsellorReadsTheRecordsBehindHerOwnRoomsOnly() throws Exception {
    String sara = roomWithRecord("!sara:caw.test", LIEN, "open");
    await(records.setLabel(sara, "Sara, 3B"));
    String tom = roomWithRecord("!tom:caw.test", LIEN, "closed");
    roomWithRecord("!jans:caw.test", JAN, "open");
    // A room whose client did not come in yet has no record to show.
    registry.put(new CounsellingRoom("!new:caw.test", "caw", LIEN, "!dm:caw.test", "r", "open",
        null, null, NOW, null, null));

    HttpResponse<Buffer> response = get("records", "lien-token");

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals("no-store", response.getHeader("Cache-Control"));
    JsonObject shown = response.bodyAsJsonObject().getJsonObject("rooms");
    assertEquals(new JsonObject()
        .put("!sara:caw.test", new JsonObject().put("client_ref", sara).put("label", "Sara, 3B")
            .put("sessions", 0).put("erased", false))
        .put("!tom:caw.test", new JsonObject().put("client_ref", tom).put("label", null)
            .put("sessions", 0).put("erased", false)), shown);
    assertFalse(get("records", "jan-token").bodyAsString().contains("Sara"), "Jan sees Lien's label");
  }

  @Test
  void noTokenAGuestOrAWrongTokenIsRefusedAndDifferentWrongTokensAreThrottled() throws Exception {
    roomWithRecord("!sara:caw.test", LIEN, "open");
    assertEquals(401, get("records", null).statusCode());
    HttpResponse<Buffer> guest = get("records", "guest-token");
    assertEquals(403, guest.statusCode());
    assertEquals("M_FORBIDDEN", guest.bodyAsJsonObject().getString("errcode"));
    for (int i = 0; i < TokenGuard.WRONG_TOKENS_PER_MINUTE; i++) {
      HttpResponse<Buffer> wrong = get("records", "made-up-" + i);
      assertEquals(401, wrong.statusCode(), "wrong token " + i);
      assertEquals("M_UNKNOWN_TOKEN", wrong.bodyAsJsonObject().getString("errcode"));
    }
    HttpResponse<Buffer> throttled = get("records", "lien-token");
    assertEquals(429, throttled.statusCode(), "30 different wrong tokens from one address, then a wait");
    assertTrue(Integer.parseInt(throttled.getHeader("Retry-After")) >= 1);
  }

  @Test
  void aTabLeftOpenWithItsEndedTokenDoesNotLockOutItsColleagues() throws Exception {
    roomWithRecord("!sara:caw.test", LIEN, "open");
    // A stale tab asks every 3 s with the same ended token: far more than the limit.
    for (int i = 0; i < 5 * TokenGuard.WRONG_TOKENS_PER_MINUTE; i++) {
      assertEquals(401, get("door", "ended-token").statusCode(), "ask " + i);
    }
    assertEquals(200, get("records", "lien-token").statusCode(), "the colleague behind the same address");
  }

  @Test
  void aHomeserverThatDoesNotAnswerIsNotHeldAgainstTheAddress() throws Exception {
    roomWithRecord("!sara:caw.test", LIEN, "open");
    for (int i = 0; i < 2 * TokenGuard.WRONG_TOKENS_PER_MINUTE; i++) {
      assertEquals(503, get("records", "homeserver-down").statusCode(), "ask " + i);
      assertEquals(503, get("records", "homeserver-busy").statusCode(), "busy " + i);
    }
    assertEquals(401, get("records", "deactivated-token").statusCode(), "a deactivated account's token");
    assertEquals(200, get("records", "lien-token").statusCode());
  }

  @Test
  void manyRequestsAtOnceFromOneOfficeAddressAllPass() throws Exception {
    roomWithRecord("!sara:caw.test", LIEN, "open");
    List<Future<HttpResponse<Buffer>>> sent = new java.util.ArrayList<>();
    for (int i = 0; i < 25; i++) {
      var request = client.get(server.actualPort(), "127.0.0.1", DeskRoutes.PREFIX + "records");
      sent.add(request.putHeader("Authorization", "Bearer " + (i % 2 == 0 ? "lien-token" : "jan-token")).send());
    }
    for (Future<HttpResponse<Buffer>> each : sent) {
      assertEquals(200, await(each).statusCode());
    }
  }

  @Test
  void aCounsellorsOwnRequestsDoNotUseUpHerAddressesAttempts() throws Exception {
    roomWithRecord("!sara:caw.test", LIEN, "open");
    for (int i = 0; i < 6; i++) {
      assertEquals(200, get("records", "lien-token").statusCode(), "request " + (i + 1));
    }
    assertEquals(401, get("records", "made-up").statusCode());
    assertEquals(200, get("records", "lien-token").statusCode());
  }
}
