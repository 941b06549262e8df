package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CLIENT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionCommandsTest {

  private static final BotContext BOT_CONTEXT = new BotContext(BOT, "caw.test");

  private static Decision command(String sender, String body, List<RoomSnapshot> rooms) {
    MatrixEvent event = new MatrixEvent(CONTROL, "$c", sender, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(BOT_CONTEXT, event,
        new CommandContext(rooms, Set.of("caw", "clb"), "caw", "praatbrug_guest_"));
  }

  private static String reply(Decision decision) {
    return ((Action.SendNotice) ((Decision.Act) decision).actions().get(0)).plainText();
  }

  @Test
  void newSessionUsesTheDefaultPolicy() {
    assertEquals(Decision.act(new Action.CreateCounsellingRoom(CONTROL, COUNSELLOR, "caw")),
        command(COUNSELLOR, "!gesprek nieuw", List.of()));
    assertEquals(Decision.act(new Action.CreateCounsellingRoom(CONTROL, COUNSELLOR, "clb")),
        command(COUNSELLOR, "!session new clb", List.of()));
  }

  @Test
  void unknownPolicyIsExplained() {
    assertTrue(reply(command(COUNSELLOR, "!gesprek nieuw zomerkamp", List.of()))
        .contains("Onbekend beleid 'zomerkamp'"));
  }

  @Test
  void guestsAndOtherServersCannotRunCounsellorCommands() {
    assertTrue(reply(command("@praatbrug_guest_ab12:caw.test", "!gesprek nieuw", List.of()))
        .contains("alleen voor hulpverleners"));
    assertTrue(reply(command("@someone:clb.test", "!gesprek lijst", List.of()))
        .contains("alleen voor hulpverleners"));
  }

  @Test
  void codeWithOneOpenRoomNeedsNoName() {
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL)),
        command(COUNSELLOR, "!gesprek code", List.of(room())));
  }

  @Test
  void admitOnlyWorksForSomeoneKnocking() {
    RoomSnapshot knocking = room().withMembership(CLIENT, "knock");

    List<Action> actions = ((Decision.Act) command(COUNSELLOR,
        "!gesprek toelaten " + CLIENT + " rustige-groene-boot", List.of(knocking))).actions();
    assertEquals(new Action.AdmitClient(ROOM, CLIENT, null), actions.get(0));
    assertEquals(new Action.Invite(ROOM, CLIENT), actions.get(1));

    assertTrue(reply(command(COUNSELLOR, "!session admit " + CLIENT, List.of(room())))
        .contains("klopt niet aan"));
  }

  @Test
  void admitWaitsForConsentWhenThePolicyRequiresIt() {
    RoomSnapshot knocking = room().withMembership(CLIENT, "knock");
    MatrixEvent event = new MatrixEvent(CONTROL, "$c", COUNSELLOR, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", "!gesprek toelaten " + CLIENT));
    CommandContext withoutConsent = new CommandContext(List.of(knocking), Set.of("caw"), "caw",
        "praatbrug_guest_", Set.of("caw"), Set.of());
    CommandContext withConsent = new CommandContext(List.of(knocking), Set.of("caw"), "caw",
        "praatbrug_guest_", Set.of("caw"), Set.of(CLIENT));

    assertTrue(reply(BotDecider.decide(BOT_CONTEXT, event, withoutConsent)).contains("geen toestemming"));
    assertEquals(new Action.Invite(ROOM, CLIENT),
        ((Decision.Act) BotDecider.decide(BOT_CONTEXT, event, withConsent)).actions().get(1));
  }

  @Test
  void denyKicksTheKnocker() {
    RoomSnapshot knocking = room().withMembership(CLIENT, "knock");
    Action first = ((Decision.Act) command(COUNSELLOR, "!gesprek weigeren " + CLIENT,
        List.of(knocking))).actions().get(0);
    assertEquals(ROOM, assertInstanceOf(Action.Kick.class, first).roomId());
  }

  @Test
  void endRemovesTheClientAndClosesTheRoom() {
    RoomSnapshot inSession = room().withMembership(CLIENT, "join");

    List<Action> actions = ((Decision.Act) command(COUNSELLOR, "!gesprek einde", List.of(inSession)))
        .actions();

    assertEquals(new Action.Kick(ROOM, CLIENT, "gesprek beëindigd"), actions.get(0));
    assertTrue(actions.contains(new Action.EndSession(ROOM)));
    assertTrue(actions.contains(new Action.SetState(ROOM, "m.room.join_rules", "",
        Map.of("join_rule", "invite"))));
  }

  @Test
  void whichRoomIsAskedWhenThereAreSeveral() {
    RoomSnapshot other = new RoomSnapshot("!other:caw.test", "stille-gele-vos", "caw", COUNSELLOR,
        CONTROL, null, true, Map.of(), Map.of(), List.of(), RoomFixtures.NOW);
    assertTrue(reply(command(COUNSELLOR, "!gesprek code", List.of(room(), other)))
        .contains("rustige-groene-boot, stille-gele-vos"));
  }
}
