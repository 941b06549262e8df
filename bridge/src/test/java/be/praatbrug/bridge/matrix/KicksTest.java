package be.praatbrug.bridge.matrix;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * "The target user is not in the room" on a kick: already out ends it at once (a resent event must
 * not hold its transaction), not in yet is tried again, and a remote invite that lands after "out"
 * is removed on the second look. The stand-in homeserver answers kicks and membership look-ups from
 * scripts and records every request.
 */
class KicksTest {

  private static final String ROOM = "!room:caw.test";
  private static final String PERSON = "@someone:caw.test";
  private static final JsonObject NOT_IN_ROOM = new JsonObject().put("errcode", "M_FORBIDDEN")
      .put("error", "The target user is not in the room");

  private Vertx vertx;
  private HttpMatrixClient client;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Deque<Integer> kickAnswers = new ArrayDeque<>();
  private final Deque<JsonObject> memberships = new ArrayDeque<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    HttpServer server = await(vertx.createHttpServer().requestHandler(this::answer).listen(0, "127.0.0.1"));
    client = new HttpMatrixClient(vertx, "http://127.0.0.1:" + server.actualPort(), "t".repeat(40),
        "@praatbrug:caw.test", RetryPolicy.STARTUP, 8);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private synchronized void answer(HttpServerRequest request) {
    boolean kick = request.path().endsWith("/kick");
    requests.add(kick ? "kick" : "membership");
    if (kick) {
      int status = kickAnswers.isEmpty() ? 200 : kickAnswers.poll();
      request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .end(status == 200 ? "{}" : NOT_IN_ROOM.encode());
      return;
    }
    JsonObject membership = memberships.size() > 1 ? memberships.poll() : memberships.peek();
    if (membership == null) {
      request.response().setStatusCode(404).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("errcode", "M_NOT_FOUND").put("error", "Event not found").encode());
      return;
    }
    request.response().putHeader("Content-Type", "application/json").end(membership.encode());
  }

  private static JsonObject member(String membership, String sender) {
    return new JsonObject().put("type", "m.room.member").put("state_key", PERSON).put("sender", sender)
        .put("content", new JsonObject().put("membership", membership));
  }

  @Test
  void aPersonAlreadyOutEndsTheKickAtOnce() throws Exception {
    kickAnswers.add(403);
    memberships.add(member("leave", "@praatbrug:caw.test"));
    long started = System.nanoTime();
    assertEquals(false, await(client.kick(ROOM, PERSON, "not allowed")), "not removed by this kick");
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    assertTrue(tookMs < Kicks.RETRY_DELAY_MS, "ended after " + tookMs + " ms");
    assertEquals(List.of("kick", "membership"), requests);

    Thread.sleep(Kicks.RECHECK_DELAY_MS + 1_000);
    assertEquals(List.of("kick", "membership", "membership"), requests, "one second look, no second kick");
  }

  @Test
  void aRemoteInviteThatLandsAfterTheLeaveIsRemovedOnTheSecondLook() throws Exception {
    kickAnswers.add(403);
    memberships.add(member("leave", PERSON));
    memberships.add(member("invite", "@partner:clb.test"));
    await(client.kick(ROOM, PERSON, "not allowed"));

    Thread.sleep(Kicks.RECHECK_DELAY_MS + 1_000);
    assertEquals(List.of("kick", "membership", "membership", "kick"), requests);
  }

  @Test
  void anInviteFromThisServerIsLeftToItsOwnEvent() throws Exception {
    kickAnswers.add(403);
    memberships.add(member("leave", PERSON));
    memberships.add(member("invite", "@counsellor:caw.test"));
    await(client.kick(ROOM, PERSON, "not allowed"));

    Thread.sleep(Kicks.RECHECK_DELAY_MS + 1_000);
    assertEquals(List.of("kick", "membership", "membership"), requests);
  }

  @Test
  void aPersonNotYetInTheRoomIsKickedOnceTheInviteIsThere() throws Exception {
    kickAnswers.add(403);
    kickAnswers.add(403);
    assertEquals(true, await(client.kick(ROOM, PERSON, "not allowed")), "removed by this kick");
    assertEquals(List.of("kick", "membership", "kick", "membership", "kick"), requests);
  }

  @Test
  void aPersonWhoNeverArrivesFailsTheKickAfterTheAttempts() {
    for (int i = 0; i < Kicks.NOT_YET_IN_ROOM_ATTEMPTS; i++) {
      kickAnswers.add(403);
    }
    Exception failure = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> await(client.kick(ROOM, PERSON, "not allowed")));
    assertTrue(String.valueOf(failure.getMessage()).contains("not in the room")
        || String.valueOf(failure.getCause()).contains("not in the room"), failure.toString());
    assertEquals(Kicks.NOT_YET_IN_ROOM_ATTEMPTS, requests.stream().filter("kick"::equals).count());
  }
}
