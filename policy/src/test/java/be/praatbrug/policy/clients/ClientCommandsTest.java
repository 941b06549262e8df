package be.praatbrug.policy.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rooms.Clients;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientCommandsTest {

  private static final String DM = "!dm:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final String REF = "C-7K3P-9Q2M";
  private static final Map<String, KnownClient> KNOWN = Map.of(REF, new KnownClient(REF, false));

  private static Decision say(String sender, String body, Map<String, KnownClient> records) {
    MatrixEvent event = new MatrixEvent(DM, "$c", sender, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(new BotContext("@praatbrug:caw.test", "caw.test"), event,
        new CommandContext(List.of(), Set.of("caw"), "caw", "praatbrug_guest_", Set.of(), Set.of(),
            Map.of(), Clients.NONE, records));
  }

  private static String reply(Decision decision) {
    return ((Action.SendNotice) ((Decision.Act) decision).actions().get(0)).plainText();
  }

  @Test
  void aCounsellorLooksUpARecordAndLabelsIt() {
    assertEquals(Decision.act(new Action.ShowClientRecord(DM, REF)), say(COUNSELLOR, "!cliënt c7k3p9q2m", KNOWN));
    assertEquals(Decision.act(new Action.ShowClientRecord(DM, REF)), say(COUNSELLOR, "!client " + REF, KNOWN));
    assertEquals(Decision.act(new Action.SetClientLabel(DM, REF, "Sara 3B, op dinsdag")),
        say(COUNSELLOR, "!cliënt label " + REF + "   Sara 3B, op dinsdag", KNOWN));
    assertEquals(Decision.act(new Action.SetClientLabel(DM, REF, null)),
        say(COUNSELLOR, "!client label " + REF + " -", KNOWN));
  }

  @Test
  void labelsAreShortAndOnlyForRecordsThatTakeThem() {
    assertTrue(reply(say(COUNSELLOR, "!cliënt label " + REF + " " + "x".repeat(61), KNOWN))
        .contains("hoogstens 60 tekens"));
    assertTrue(reply(say(COUNSELLOR, "!cliënt label " + REF, KNOWN)).contains("Welk label?"));
    assertTrue(reply(say(COUNSELLOR, "!cliënt label " + REF + " Sara", Map.of()))
        .contains("Er is geen cliëntdossier " + REF));
    assertTrue(reply(say(COUNSELLOR, "!cliënt label " + REF + " Sara",
        Map.of(REF, new KnownClient(REF, true)))).contains("gewist"));
    assertTrue(reply(say(COUNSELLOR, "!cliënt", KNOWN)).contains("Gebruik: !cliënt"));
  }

  @Test
  void clientsAndOtherServersCannotReadRecords() {
    assertTrue(reply(say("@praatbrug_guest_ab12:caw.test", "!cliënt " + REF, KNOWN))
        .contains("alleen voor hulpverleners"));
    assertTrue(reply(say("@someone:clb.test", "!client " + REF, KNOWN))
        .contains("alleen voor hulpverleners"));
  }
}
