package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verifies that a person on the organisation's homeserver can open a direct chat with the bot and
 * get {@code !hulp} answered, through a real Synapse pushing real transactions — and that the
 * bridge survives being down while messages arrive.
 */
class BotHelpIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static TestHomeserver homeserver;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest();

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("counsellor", PASSWORD);
  }

  @Test
  void answersHelpInADirectChatWithoutLoggingPrivateData() throws Exception {
    // GIVEN a counsellor in a direct chat with the bot
    MatrixTestClient counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .login("counsellor", PASSWORD);
    String room = bridge.openDirectChat(counsellor);

    // WHEN she writes something private, then asks for help
    String privateWords = "vertrouwelijk-" + UUID.randomUUID();
    counsellor.sendText(room, "Mijn cliënt vertelde " + privateWords);
    String question = counsellor.sendText(room, "!hulp");

    // THEN the bot answers with a notice listing its commands, Dutch first
    JsonObject reply = eventually(Duration.ofSeconds(20), "the bot's answer", () ->
        counsellor.messageFrom(room, bridge.config().botUserId(), question));
    JsonObject content = reply.getJsonObject("content");
    assertEquals("m.notice", content.getString("msgtype"));
    String body = content.getString("body");
    assertTrue(body.contains("!hulp") && body.contains("!help"), body);
    assertTrue(body.indexOf("commando's") < body.indexOf("commands"), body);

    // AND the bridge's log shows the event was handled, but holds no content and no secrets
    String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
    assertTrue(log.contains(question), "the log is the one the bridge writes to");
    assertFalse(log.contains(privateWords), "message content must never be logged");
    assertFalse(log.contains(bridge.config().appservice().asToken()), "as_token must never be logged");
    assertFalse(log.contains(bridge.config().appservice().hsToken()), "hs_token must never be logged");
    assertFalse(log.contains(counsellor.accessToken()), "user tokens must never be logged");
  }

  @Test
  void catchesUpOnMessagesSentWhileTheBridgeWasDown() throws Exception {
    // GIVEN a direct chat with the bot, and then the bridge goes down
    MatrixTestClient counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .login("counsellor", PASSWORD);
    String room = bridge.openDirectChat(counsellor);
    bridge.stop();

    // WHEN a command is sent while it is down, and the bridge comes back
    String question = counsellor.sendText(room, "!help");
    // Down for a while, not waiting for anything: Synapse's push of this event fails and is resent.
    Thread.sleep(1_000);
    bridge.start();

    // THEN Synapse's resent transaction reaches the bridge and the command is answered
    JsonObject reply = eventually(Duration.ofSeconds(90), "the answer after the restart", () ->
        counsellor.messageFrom(room, bridge.config().botUserId(), question));
    assertEquals("m.notice", reply.getJsonObject("content").getString("msgtype"));
  }
}
