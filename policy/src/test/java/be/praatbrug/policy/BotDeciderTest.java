package be.praatbrug.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BotDeciderTest {

  private static final BotContext CAW = new BotContext("@praatbrug:caw.test", "caw.test");
  private static final String ROOM = "!dm:caw.test";

  private static MatrixEvent text(String sender, String body) {
    return new MatrixEvent(ROOM, "$e1", sender, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
  }

  private static MatrixEvent invite(String sender, String target) {
    return new MatrixEvent(ROOM, "$e2", sender, "m.room.member", target,
        Map.of("membership", "invite", "is_direct", true));
  }

  @ParameterizedTest
  @ValueSource(strings = {"!hulp", "!help", "  !HULP  ", "!Help extra words"})
  void answersHelpInDutchThenEnglish(String body) {
    Decision decision = BotDecider.decide(CAW, text("@counsellor:caw.test", body));

    Action.SendNotice notice = (Action.SendNotice) assertInstanceOf(Decision.Act.class, decision)
        .actions().get(0);
    assertEquals(ROOM, notice.roomId());
    assertTrue(notice.plainText().indexOf("commando's") < notice.plainText().indexOf("commands"),
        "Dutch block comes before the English block");
    assertTrue(notice.plainText().contains("!hulp") && notice.plainText().contains("!help"));
  }

  @Test
  void acceptsInviteFromOwnOrganisation() {
    Decision decision = BotDecider.decide(CAW, invite("@counsellor:caw.test", CAW.botUserId()));

    assertEquals(Decision.act(new Action.JoinRoom(ROOM)), decision);
  }

  @Test
  void ignoresInviteFromAnotherServer() {
    Decision decision = BotDecider.decide(CAW, invite("@someone:elsewhere.example", CAW.botUserId()));

    assertInstanceOf(Decision.Ignore.class, decision);
  }

  @Test
  void ignoresInviteOfSomeoneElse() {
    Decision decision = BotDecider.decide(CAW, invite("@counsellor:caw.test", "@client:caw.test"));

    assertInstanceOf(Decision.Ignore.class, decision);
  }

  @Test
  void neverAnswersItself() {
    assertInstanceOf(Decision.Ignore.class, BotDecider.decide(CAW, text(CAW.botUserId(), "!hulp")));
  }

  @Test
  void ignoresNoticesSoBotsDoNotTalkInCircles() {
    MatrixEvent notice = new MatrixEvent(ROOM, "$e3", "@other-bot:caw.test", "m.room.message", null,
        Map.of("msgtype", "m.notice", "body", "!hulp"));

    assertInstanceOf(Decision.Ignore.class, BotDecider.decide(CAW, notice));
  }

  @ParameterizedTest
  @ValueSource(strings = {"hallo", "", "!", "! hulp", "!<script>", "ik zeg !hulp"})
  void ignoresOrdinaryMessages(String body) {
    assertInstanceOf(Decision.Ignore.class, BotDecider.decide(CAW, text("@client:caw.test", body)));
  }

  @Test
  void unknownCommandGetsABilingualHintWithoutEchoingArguments() {
    Decision decision = BotDecider.decide(CAW, text("@c:caw.test", "!bestaatniet geheim-adres"));

    String reply = ((Action.SendNotice) ((Decision.Act) decision).actions().get(0)).plainText();
    assertTrue(reply.startsWith("Onbekend commando: !bestaatniet"));
    assertTrue(reply.contains("Unknown command"));
    assertFalse(reply.contains("geheim-adres"), "arguments may hold client data and are not echoed");
  }

  @Test
  void ignoresEncryptedEventsItCannotRead() {
    MatrixEvent encrypted = new MatrixEvent(ROOM, "$e4", "@c:caw.test", "m.room.encrypted", null,
        Map.of("algorithm", "m.megolm.v1.aes-sha2"));

    assertInstanceOf(Decision.Ignore.class, BotDecider.decide(CAW, encrypted));
  }

  @Test
  void saysSoWhenAnEncryptedMessageCanNeverBeRead() {
    MatrixEvent unreadable = new MatrixEvent(ROOM, "$e5", "@c:caw.test", MatrixEvent.UNREADABLE_ENCRYPTED, null, Map.of());

    Action.SendNotice reply = (Action.SendNotice) ((Decision.Act) BotDecider.decide(CAW, unreadable)).actions().get(0);
    assertEquals(ROOM, reply.roomId());
    assertTrue(reply.plainText().startsWith("🔒 Ik kon je versleutelde bericht niet lezen"));
    assertTrue(reply.plainText().contains("I could not read your encrypted message"));
    // Never about the bot's own events (it cannot fail to read what it sent).
    assertInstanceOf(Decision.Ignore.class, BotDecider.decide(CAW,
        new MatrixEvent(ROOM, "$e6", CAW.botUserId(), MatrixEvent.UNREADABLE_ENCRYPTED, null, Map.of())));
  }

  @Test
  void commandWordsSplitOnWhitespace() {
    assertEquals(List.of("gesprek", "nieuw", "clb"),
        BotDecider.commandWords("!gesprek  nieuw\tclb").orElseThrow());
  }

  @Test
  void botContextRejectsBotOfAnotherServer() {
    assertThrows(IllegalArgumentException.class,
        () -> new BotContext("@praatbrug:clb.test", "caw.test"));
  }

  @Test
  void everyCommandIsInTheHelpText() {
    for (BotCommand command : BotCommands.ALL) {
      assertTrue(BotCommands.helpText().contains(command.usageNl()), command.usageNl());
    }
  }
}
