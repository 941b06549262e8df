package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The door on a real Synapse: a person without a link consents and waits, two counsellors on duty
 * take the same number at the same moment and exactly one gets a new counselling room with the
 * person's guest account already let in; the line survives a bridge restart.
 */
class DoorIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static TestHomeserver homeserver;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest();
  private MatrixTestClient door;
  private MatrixTestClient sara;
  private MatrixTestClient tom;
  private String saraChat;
  private String tomChat;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("deur-sara", PASSWORD);
    homeserver.register("deur-tom", PASSWORD);
  }

  @BeforeEach
  void signIn() throws Exception {
    door = new MatrixTestClient(bridge.vertx(), "http://127.0.0.1:" + bridge.config().appservice().port());
    sara = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("deur-sara", PASSWORD);
    tom = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("deur-tom", PASSWORD);
    saraChat = bridge.openDirectChat(sara);
    tomChat = bridge.openDirectChat(tom);
  }

  @Test
  void twoCounsellorsTakingAtOnceExactlyOneGetsThePersonWhoThenComesIn() throws Exception {
    assertEquals("nobody_on_duty", status().getString("reason"), "nobody on duty: no question taken");
    command(sara, saraChat, "!deur dienst aan", "deurdienst");
    command(tom, tomChat, "!door duty on", "deurdienst");
    assertTrue(status().getBoolean("open"));

    for (int round = 1; round <= 5; round++) {
      String nickname = "Lotte" + "abcde".charAt(round - 1);
      JsonObject entered = enter(nickname);
      long number = entered.getLong("number");
      String ticket = entered.getString("ticket");
      JsonObject waiting = ticket(ticket);
      assertEquals("waiting", waiting.getString("state"));
      // The page's ask, held by the bridge until the line changes.
      CompletableFuture<JsonObject> held = CompletableFuture.supplyAsync(() -> door.call(HttpMethod.POST,
          "/_praatbrug/door/v1/ticket", new JsonObject().put("ticket", ticket)
              .put("after", waiting.getLong("version")).put("wait_ms", 20_000)));
      MatrixTestClient.holdsFor(Duration.ofMillis(300), "nothing changed: the ask is held, not answered",
          () -> !held.isDone());

      // Both press "Opnemen" at the same moment.
      CompletableFuture<String> bySara = CompletableFuture.supplyAsync(() -> sara.sendText(saraChat, "!deur opnemen " + number));
      CompletableFuture<String> byTom = CompletableFuture.supplyAsync(() -> tom.sendText(tomChat, "!deur opnemen " + number));
      String saraReply = reply(sara, saraChat, bySara.get(30, TimeUnit.SECONDS));
      String tomReply = reply(tom, tomChat, byTom.get(30, TimeUnit.SECONDS));
      boolean saraWon = saraReply.startsWith("✅");
      assertTrue(saraWon != tomReply.startsWith("✅"), "round " + round + ": exactly one takes the person:\n"
          + saraReply + "\n" + tomReply);
      assertTrue((saraWon ? tomReply : saraReply).startsWith("⛔"), "the other hears it is taken");
      // Answered at the take, not when its 20 s ran out.
      assertTrue(held.get(5, TimeUnit.SECONDS).containsKey("state"));
      MatrixTestClient winner = saraWon ? sara : tom;
      String room = roomIn(saraWon ? saraReply : tomReply);

      // The person's page gets a device of a guest already invited to that room, and comes in.
      JsonObject taken = eventually(WAIT, "the hand-over", () -> Optional.of(ticket(ticket))
          .filter(view -> "taken".equals(view.getString("state"))));
      assertEquals(room, taken.getString("room_id"));
      assertEquals(winner.userId(), taken.getString("counsellor_id"));
      MatrixTestClient guest = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
          .withToken(taken.getString("access_token"), taken.getString("user_id"));
      winner.join(room);
      guest.join(room);
      eventually(WAIT, "the person to be in", () ->
          "join".equals(winner.membership(room, guest.userId())) ? Optional.of(true) : Optional.empty());
      // The loser is not in the room and cannot be.
      MatrixTestClient loser = saraWon ? tom : sara;
      assertEquals("leave", winner.membership(room, loser.userId()));
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> loser.join(room));
      assertTrue(refused.getMessage().contains("-> 403"), refused.getMessage());
      // Once in, the place is gone: the ticket opens nothing any more.
      eventually(WAIT, "the place to be gone", () -> Optional.of(ticketStatus(ticket)).filter(code -> code == 404));
    }

    String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
    for (String nickname : List.of("Lottea", "Lotteb", "Lottec")) {
      assertFalse(log.contains(nickname), "nicknames are never logged");
    }
  }

  @Test
  void theLineSurvivesARestartAndDutyMustBeTakenAgain() throws Exception {
    command(sara, saraChat, "!deur dienst aan", "deurdienst");
    JsonObject first = enter("Mira");
    JsonObject second = enter("Noor");
    assertEquals(2, ticket(second.getString("ticket")).getInteger("place"));

    bridge.stop();
    bridge.start();

    assertEquals(2, ticket(second.getString("ticket")).getInteger("place"), "the same place after a restart");
    assertEquals("nobody_on_duty", status().getString("reason"), "duty ends with the process");
    command(sara, saraChat, "!deur dienst aan", "deurdienst");
    String taken = reply(sara, saraChat, sara.sendText(saraChat, "!deur opnemen " + first.getLong("number")));
    assertTrue(taken.startsWith("✅"), taken);
    assertEquals(1, ticket(second.getString("ticket")).getInteger("place"), "Noor moves up");

    // After the first contact: a follow-up under the door's client record, without new consent.
    java.util.regex.Matcher ref = java.util.regex.Pattern.compile("voor (C-[A-Za-z0-9-]+)").matcher(taken);
    assertTrue(ref.find(), taken);
    MatrixTestClient.NewRoom followUp = sara.newCounsellingRoom(saraChat, bridge.config().botUserId(),
        "!gesprek nieuw voor " + ref.group(1), WAIT);
    assertTrue(followUp.answer().contains(ref.group(1)), followUp.answer());
    // The ledger has the take: the wait and who took it, no nickname.
    var entries = eventually(WAIT, "the take in the ledger", () -> Optional.of(
        bridge.verticle().ledger().entriesFor(ref.group(1)).toCompletionStage().toCompletableFuture().join())
        .filter(list -> list.stream()
            .anyMatch(opened -> opened.entry().kind() == be.praatbrug.bridge.ledger.EntryKind.DOOR_TAKEN)));
    var take = entries.stream().filter(opened -> opened.entry().kind()
        == be.praatbrug.bridge.ledger.EntryKind.DOOR_TAKEN).findFirst().orElseThrow();
    assertEquals(sara.userId(), take.entry().fields().get("counsellor"));
    assertTrue(Long.parseLong(take.entry().fields().get("waited_seconds")) >= 0);
    assertFalse(entries.toString().contains("Mira"), "no nickname in the ledger");
    assertTrue(entries.stream().anyMatch(opened -> opened.entry().kind()
        == be.praatbrug.bridge.ledger.EntryKind.CONSENT_GIVEN && "door".equals(opened.entry().fields().get("channel"))),
        "consent given at the door, on record as such");
    door.call(HttpMethod.POST, "/_praatbrug/door/v1/leave", new JsonObject().put("ticket", second.getString("ticket")));
    assertEquals(404, ticketStatus(second.getString("ticket")));
    assertEquals(0, status().getInteger("waiting"));
  }

  // --- helpers ------------------------------------------------------------------------------------

  private JsonObject status() {
    return door.call(HttpMethod.GET, "/_praatbrug/door/v1/status", null);
  }

  private JsonObject enter(String nickname) {
    return door.call(HttpMethod.POST, "/_praatbrug/door/v1/enter", new JsonObject().put("nickname", nickname)
        .put("language", "nl").put("consent_version", status().getJsonObject("consent").getString("version")));
  }

  private JsonObject ticket(String ticket) {
    return door.call(HttpMethod.POST, "/_praatbrug/door/v1/ticket", new JsonObject().put("ticket", ticket));
  }

  private int ticketStatus(String ticket) {
    try {
      ticket(ticket);
      return 200;
    } catch (IllegalStateException refused) {
      return Integer.parseInt(refused.getMessage().replaceAll("(?s).*-> (\\d{3}).*", "$1"));
    }
  }

  private String command(MatrixTestClient counsellor, String chat, String text, String expected) {
    String answer = reply(counsellor, chat, counsellor.sendText(chat, text));
    assertTrue(answer.contains(expected), answer);
    return answer;
  }

  private String reply(MatrixTestClient counsellor, String chat, String asked) {
    return eventually(WAIT, "the bot's answer to " + asked, () -> counsellor.messageFrom(chat, bridge.config().botUserId(), asked))
        .getJsonObject("content").getString("body");
  }

  private static String roomIn(String reply) {
    java.util.regex.Matcher room = java.util.regex.Pattern.compile("(![A-Za-z0-9]+:[a-z0-9.:-]+)\\)").matcher(reply);
    assertTrue(room.find(), reply);
    return room.group(1);
  }
}
