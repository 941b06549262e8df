package be.praatbrug.bridge.appservice;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.JdbcStore;
import be.praatbrug.bridge.store.Store;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.MatrixEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class AppServiceApiTest {

  static final String HS_TOKEN = "hs-token-for-tests-0123456789abcdef0123456789";
  private static final int MAX_BODY = 64 * 1024;

  @TempDir Path directory;
  private Vertx vertx;
  private WebClient client;
  private Database database;
  private HttpServer server;
  private AppServiceApi api;
  /** Event ids in the order processing finished, and a way to slow chosen events down. */
  private final List<String> processed = new CopyOnWriteArrayList<>();
  private final List<String> slowEvents = new CopyOnWriteArrayList<>();
  private final List<String> failingEvents = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    startBridge();
  }

  @AfterEach
  void stop() throws Exception {
    stopBridge();
    client.close();
  }

  private void startBridge() throws Exception {
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    Store store = new JdbcStore(database);
    api = new AppServiceApi(vertx, store, this::recordEvent, HS_TOKEN, MAX_BODY,
        Clock.systemUTC());
    server = await(vertx.createHttpServer().requestHandler(api.router()).listen(0, "127.0.0.1"));
  }

  private void stopBridge() throws Exception {
    await(server.close());
    await(database.close());
  }

  private Future<EventOutcome> recordEvent(MatrixEvent event) {
    if (failingEvents.contains(event.eventId())) {
      return Future.failedFuture(new IllegalStateException("homeserver said no"));
    }
    Promise<EventOutcome> done = Promise.promise();
    long delay = slowEvents.contains(event.eventId()) ? 300 : 1;
    vertx.setTimer(delay, timer -> {
      processed.add(event.eventId());
      done.complete(new EventOutcome.Ignored("recorded"));
    });
    return done.future();
  }

  static JsonObject event(String roomId, String eventId) {
    return new JsonObject().put("room_id", roomId).put("event_id", eventId)
        .put("sender", "@someone:caw.test").put("type", "m.room.message")
        .put("content", new JsonObject().put("msgtype", "m.text").put("body", "hallo"));
  }

  static JsonObject transaction(JsonObject... events) {
    return new JsonObject().put("events", new JsonArray(new java.util.ArrayList<>(List.of((Object[]) events))));
  }

  private HttpResponse<Buffer> put(String txnId, String token, Buffer body) throws Exception {
    var request = client.request(HttpMethod.PUT, server.actualPort(), "127.0.0.1",
        "/_matrix/app/v1/transactions/" + txnId);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(request.sendBuffer(body));
  }

  private HttpResponse<Buffer> putJson(String txnId, JsonObject body) throws Exception {
    return put(txnId, HS_TOKEN, body.toBuffer());
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(server.actualPort(), "127.0.0.1", path)
        .bearerTokenAuthentication(HS_TOKEN).send());
  }

  private static void assertMatrixError(HttpResponse<Buffer> response, int status, String errcode) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(errcode, response.bodyAsJsonObject().getString("errcode"));
    assertTrue(response.getHeader("Content-Type").startsWith("application/json"));
  }

  @Test
  void acceptsATransactionAndHandsOverEveryEvent() throws Exception {
    HttpResponse<Buffer> response = putJson("1", transaction(event("!a:caw.test", "$1"),
        event("!b:caw.test", "$2")));

    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject(), response.bodyAsJsonObject());
    assertEquals(List.of("$1", "$2").stream().sorted().toList(),
        processed.stream().sorted().toList());
  }

  @Test
  void answersWithoutWaitingForDeviceDataWhichIsTakenInOrder() throws Exception {
    List<String> taken = new CopyOnWriteArrayList<>();
    Promise<Void> neverDone = Promise.promise();
    api.setDeviceDataSink(body -> {
      taken.add(body.getJsonArray("events").getJsonObject(0).getString("event_id"));
      // A device still busy with a thousand room keys: it never answers in this test.
      return neverDone.future();
    });

    HttpResponse<Buffer> first = putJson("1", transaction(event("!a:caw.test", "$1")));
    HttpResponse<Buffer> second = putJson("2", transaction(event("!b:caw.test", "$2")));

    assertEquals(200, first.statusCode());
    assertEquals(200, second.statusCode());
    assertEquals(List.of("$1", "$2"), taken);
    assertTrue(processed.containsAll(List.of("$1", "$2")), processed.toString());
  }

  @Test
  void refusesAMultipartUploadBeforeReadingIt() throws Exception {
    Path uploads = Path.of("file-uploads");
    boolean existedBefore = java.nio.file.Files.exists(uploads);
    HttpResponse<Buffer> response = await(client.request(HttpMethod.PUT, server.actualPort(), "127.0.0.1",
            "/_matrix/app/v1/transactions/1")
        .bearerTokenAuthentication(HS_TOKEN)
        .putHeader("Content-Type", "multipart/form-data; boundary=x")
        .sendBuffer(Buffer.buffer("--x\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + "A".repeat(1000) + "\r\n--x--\r\n")));

    assertEquals(415, response.statusCode());
    assertEquals("M_NOT_JSON", response.bodyAsJsonObject().getString("errcode"));
    assertTrue(processed.isEmpty());
    assertEquals(existedBefore, java.nio.file.Files.exists(uploads), "an upload folder appeared");
  }

  @Test
  void holdsTransactionsThatArriveBeforeStartupEndsThenHandlesThem() throws Exception {
    Promise<Void> startup = Promise.promise();
    api.holdTransactionsUntil(startup.future());
    var request = client.request(HttpMethod.PUT, server.actualPort(), "127.0.0.1", "/_matrix/app/v1/transactions/1")
        .bearerTokenAuthentication(HS_TOKEN).sendBuffer(transaction(event("!a:caw.test", "$1")).toBuffer());
    Thread.sleep(300);
    assertFalse(request.isComplete(), "answered before startup ended");
    assertTrue(processed.isEmpty(), "handled before startup ended");
    startup.complete();
    assertEquals(200, await(request).statusCode());
    assertEquals(List.of("$1"), processed);
  }

  @Test
  void answersTransactionsWithAnErrorWhenStartupFails() throws Exception {
    api.holdTransactionsUntil(Future.failedFuture(new IllegalStateException("database gone")));
    HttpResponse<Buffer> response = putJson("1", transaction(event("!a:caw.test", "$1")));
    assertEquals(500, response.statusCode(), response.bodyAsString());
    assertTrue(processed.isEmpty());
    // The homeserver keeps the transaction and sends it again to the next bridge.
  }

  @Test
  void rejectsAMissingTokenWith401() throws Exception {
    assertMatrixError(put("1", null, transaction().toBuffer()), 401, "M_UNAUTHORIZED");
    assertTrue(processed.isEmpty());
  }

  @Test
  void rejectsAWrongTokenWith403() throws Exception {
    assertMatrixError(put("1", HS_TOKEN + "x", transaction().toBuffer()), 403, "M_FORBIDDEN");
    assertMatrixError(put("1", "short", transaction().toBuffer()), 403, "M_FORBIDDEN");
  }

  @Test
  void ignoresTheTokenInTheQueryString() throws Exception {
    HttpResponse<Buffer> response = await(client.request(HttpMethod.PUT, server.actualPort(),
        "127.0.0.1", "/_matrix/app/v1/transactions/1?access_token=" + HS_TOKEN)
        .sendJsonObject(transaction()));
    assertMatrixError(response, 401, "M_UNAUTHORIZED");
  }

  @Test
  void answersInvalidJsonWithNotJson() throws Exception {
    assertMatrixError(put("1", HS_TOKEN, Buffer.buffer("{\"events\": [")), 400, "M_NOT_JSON");
    assertMatrixError(put("2", HS_TOKEN, Buffer.buffer("")), 400, "M_NOT_JSON");
  }

  @Test
  void answersWrongShapesWithBadJson() throws Exception {
    assertMatrixError(put("1", HS_TOKEN, Buffer.buffer("[1,2]")), 400, "M_BAD_JSON");
    assertMatrixError(putJson("2", new JsonObject().put("events", "nope")), 400, "M_BAD_JSON");
    assertMatrixError(putJson("3", new JsonObject()), 400, "M_BAD_JSON");
  }

  @Test
  void refusesBodiesOverTheLimitWith413() throws Exception {
    JsonObject big = event("!a:caw.test", "$big");
    big.getJsonObject("content").put("body", "x".repeat(MAX_BODY));

    assertMatrixError(putJson("1", transaction(big)), 413, "M_TOO_LARGE");
    assertTrue(processed.isEmpty());
  }

  @Test
  void answersUnknownRoutesAndMethodsWithUnrecognized() throws Exception {
    assertMatrixError(get("/_matrix/app/v1/nothing-here"), 404, "M_UNRECOGNIZED");
    assertMatrixError(get("/somewhere/else"), 404, "M_UNRECOGNIZED");
    assertMatrixError(get("/_matrix/app/v1/transactions/1"), 405, "M_UNRECOGNIZED");
  }

  @Test
  void acknowledgesARepeatedTransactionWithoutHandlingItAgain() throws Exception {
    JsonObject txn = transaction(event("!a:caw.test", "$1"));
    assertEquals(200, putJson("5", txn).statusCode());
    assertEquals(200, putJson("5", txn).statusCode());

    assertEquals(List.of("$1"), processed);
  }

  @Test
  void remembersHandledTransactionsAcrossARestart() throws Exception {
    JsonObject txn = transaction(event("!a:caw.test", "$1"));
    assertEquals(200, putJson("9", txn).statusCode());

    stopBridge();
    startBridge();

    assertEquals(200, putJson("9", txn).statusCode());
    assertEquals(List.of("$1"), processed);
  }

  @Test
  void aLowerIdNeverSeenBeforeIsStillHandledAfterARestart() throws Exception {
    assertEquals(200, putJson("10", transaction(event("!a:caw.test", "$ten"))).statusCode());
    stopBridge();
    startBridge();

    assertEquals(200, putJson("3", transaction(event("!a:caw.test", "$three"))).statusCode());
    assertEquals(200, putJson("10", transaction(event("!a:caw.test", "$ten"))).statusCode());
    assertEquals(200, putJson("11", transaction(event("!a:caw.test", "$eleven"))).statusCode());

    assertEquals(List.of("$ten", "$three", "$eleven"), processed);
  }

  @Test
  void handlesAReusedIdWithOtherEventsAsNew() throws Exception {
    assertEquals(200, putJson("1", transaction(event("!a:caw.test", "$old"))).statusCode());
    assertEquals(200, putJson("1", transaction(event("!a:caw.test", "$new"))).statusCode());

    assertEquals(List.of("$old", "$new"), processed);
  }

  @Test
  void keepsOrderWithinARoomButNotAcrossRooms() throws Exception {
    slowEvents.add("$a1");
    HttpResponse<Buffer> response = putJson("1", transaction(event("!a:caw.test", "$a1"),
        event("!a:caw.test", "$a2"), event("!b:caw.test", "$b1")));

    assertEquals(200, response.statusCode());
    assertTrue(processed.indexOf("$a1") < processed.indexOf("$a2"), processed.toString());
    assertTrue(processed.indexOf("$b1") < processed.indexOf("$a1"),
        "room b does not wait for room a: " + processed);
  }

  @Test
  void skipsAMalformedEventAndHandlesTheRest() throws Exception {
    JsonObject noRoom = event("!a:caw.test", "$bad");
    noRoom.remove("room_id");
    JsonObject txn = transaction(event("!a:caw.test", "$1"), noRoom, event("!a:caw.test", "$2"));
    txn.getJsonArray("events").add("not an event");

    assertEquals(200, putJson("1", txn).statusCode());
    assertEquals(List.of("$1", "$2"), processed);
  }

  @Test
  void acknowledgesEvenWhenHandlingOneEventFails() throws Exception {
    failingEvents.add("$1");
    assertEquals(200, putJson("1", transaction(event("!a:caw.test", "$1"),
        event("!a:caw.test", "$2"))).statusCode());

    assertEquals(List.of("$2"), processed);
  }

  @Test
  void answers500WhenTheStoreIsDownSoTheHomeserverRetries() throws Exception {
    await(database.close());

    HttpResponse<Buffer> response = putJson("1", transaction(event("!a:caw.test", "$1")));
    assertMatrixError(response, 500, "M_UNKNOWN");
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
  }

  @Test
  void doesNotCreateUsersOrAliasesOnDemand() throws Exception {
    assertMatrixError(get("/_matrix/app/v1/users/%40praatbrug_guest_x%3Acaw.test"), 404, "M_NOT_FOUND");
    assertMatrixError(get("/_matrix/app/v1/users/not-a-user"), 400, "M_INVALID_PARAM");
    assertMatrixError(get("/_matrix/app/v1/rooms/%23room%3Acaw.test"), 404, "M_NOT_FOUND");
    assertMatrixError(get("/_matrix/app/v1/rooms/room"), 400, "M_INVALID_PARAM");
  }

  @Test
  void answersThePing() throws Exception {
    HttpResponse<Buffer> response = await(client.post(server.actualPort(), "127.0.0.1",
        "/_matrix/app/v1/ping").bearerTokenAuthentication(HS_TOKEN)
        .sendJsonObject(new JsonObject().put("transaction_id", "t1")));
    assertEquals(200, response.statusCode());
    assertEquals(new JsonObject(), response.bodyAsJsonObject());
  }
}
