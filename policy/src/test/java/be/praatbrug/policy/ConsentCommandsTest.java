package be.praatbrug.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsentCommandsTest {

  private static final BotContext BOT = new BotContext("@praatbrug:caw.test", "caw.test");
  private static final String CLIENT = "@praatbrug_guest_x1:caw.test";

  private static Decision say(String body) {
    MatrixEvent event = new MatrixEvent("!dm:caw.test", "$e", CLIENT, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(BOT, event,
        new CommandContext(List.of(), Set.of("caw"), "caw", "praatbrug_guest_"));
  }

  @Test
  void showsTheTextFirst() {
    assertEquals(Decision.act(new Action.ShowConsentText("!dm:caw.test")), say("!toestemming"));
  }

  @Test
  void recordsConsentOfTheSenderThemselves() {
    assertEquals(Decision.act(new Action.RecordConsent("!dm:caw.test", CLIENT, null)),
        say("!consent give"));
  }

  @Test
  void aGuardianConsentsByName() {
    assertEquals(Decision.act(new Action.RecordConsent("!dm:caw.test", CLIENT, "An Peeters")),
        say("!toestemming geef voogd An Peeters"));
    assertTrue(((Action.SendNotice) ((Decision.Act) say("!toestemming geef voogd")).actions().get(0))
        .plainText().contains("naam van de ouder"));
  }

  @Test
  void withdraws() {
    assertEquals(Decision.act(new Action.WithdrawConsent("!dm:caw.test", CLIENT)),
        say("!toestemming intrekken"));
  }
}
