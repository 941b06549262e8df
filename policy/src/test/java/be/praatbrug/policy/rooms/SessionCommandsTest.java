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
import be.praatbrug.policy.clients.KnownClient;
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

  private static Decision commandNaming(String body, Map<String, KnownClient> records) {
    MatrixEvent event = new MatrixEvent(CONTROL, "$c", COUNSELLOR, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(BOT_CONTEXT, event, new CommandContext(List.of(), Set.of("caw", "clb"),
        "caw", "praatbrug_guest_", Set.of("caw"), Set.of(), Map.of(), Clients.NONE, records));
  }

  @Test
  void newSessionForAnExistingRecordNamesItHoweverItIsTyped() {
    Map<String, KnownClient> known = Map.of("C-7K3P-9Q2M", new KnownClient("C-7K3P-9Q2M", false));

    for (String typed : List.of("C-7K3P-9Q2M", "c7k3p9q2m", "c-7k3p-9q2m")) {
      assertEquals(Decision.act(new Action.CreateCounsellingRoom(CONTROL, COUNSELLOR, "caw", "C-7K3P-9Q2M")),
          commandNaming("!gesprek nieuw voor " + typed, known), typed);
    }
    assertEquals(Decision.act(new Action.CreateCounsellingRoom(CONTROL, COUNSELLOR, "clb", "C-7K3P-9Q2M")),
        commandNaming("!session new clb for C-7K3P-9Q2M", known));
    assertEquals(Decision.act(new Action.CreateCounsellingRoom(CONTROL, COUNSELLOR, "clb", "C-7K3P-9Q2M")),
        commandNaming("!gesprek nieuw voor C-7K3P-9Q2M clb", known));
  }

  @Test
  void newSessionForAnUnknownErasedOrMistypedRecordIsExplained() {
    Map<String, KnownClient> erased = Map.of("C-7K3P-9Q2M", new KnownClient("C-7K3P-9Q2M", true));

    assertTrue(reply(commandNaming("!gesprek nieuw voor C-7K3P-9Q2M", Map.of()))
        .contains("Er is geen cliëntdossier C-7K3P-9Q2M"));
    assertTrue(reply(commandNaming("!gesprek nieuw voor C-7K3P-9Q2M", erased)).contains("gewist"));
    assertTrue(reply(commandNaming("!gesprek nieuw voor Sara", Map.of()))
        .contains("'Sara' is geen cliëntreferentie"));
    assertTrue(reply(commandNaming("!gesprek nieuw voor", Map.of())).contains("Voor welke cliënt?"));
  }

  @Test
  void theListShowsEachRoomsClientRecord() {
    RoomSnapshot forRecord = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL,
        null, true, Map.of(), Map.of(), List.of(), RoomFixtures.NOW, null, "C-7K3P-9Q2M");

    String listed = reply(command(COUNSELLOR, "!gesprek lijst", List.of(forRecord)));

    assertTrue(listed.contains("rustige-groene-boot (caw) — C-7K3P-9Q2M"), listed);
    assertTrue(reply(command(COUNSELLOR, "!gesprek lijst", List.of(room()))).contains("nieuwe cliënt"));
  }

  @Test
  void aWithdrawalEndsTheSessionAndTellsTheCounsellorWhy() {
    RoomSnapshot inSession = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL,
        CLIENT, true, Map.of(BOT, "join", COUNSELLOR, "join", CLIENT, "join"), Map.of(), List.of(),
        RoomFixtures.NOW, null, "C-7K3P-9Q2M");

    List<Action> actions = SessionCommands.endAfterWithdrawal(inSession, BOT_CONTEXT, CONTROL);

    assertEquals(new Action.Kick(ROOM, CLIENT, SessionCommands.ENDED), actions.get(0));
    assertTrue(actions.contains(new Action.EndSession(ROOM)));
    String notice = ((Action.SendNotice) actions.get(actions.size() - 1)).plainText();
    assertTrue(notice.contains("C-7K3P-9Q2M") && notice.contains("toestemming ingetrokken"), notice);
  }

  @Test
  void aQuickExitTellsTheCounsellorNotToCallBackAndLeavesTheRoomAlone() {
    RoomSnapshot inSession = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL,
        CLIENT, true, Map.of(BOT, "join", COUNSELLOR, "join", CLIENT, "join"), Map.of(), List.of(),
        RoomFixtures.NOW, null, "C-7K3P-9Q2M");

    List<Action> actions = SessionCommands.clientLeftInAHurry(inSession, CONTROL);

    assertEquals(1, actions.size());
    Action.SendNotice notice = (Action.SendNotice) actions.get(0);
    assertEquals(CONTROL, notice.roomId(), "only the counsellor's chat with the bot, never the room");
    assertTrue(notice.plainText().contains("Snel weg") && notice.plainText().contains("niet terug")
        && notice.plainText().contains("do not call or write back")
        && notice.plainText().contains("C-7K3P-9Q2M"), notice.plainText());
    RoomSnapshot closed = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL,
        null, false, Map.of(BOT, "join", COUNSELLOR, "join"), Map.of(), List.of(),
        RoomFixtures.NOW, null, "C-7K3P-9Q2M");
    assertEquals(List.of(), SessionCommands.clientLeftInAHurry(closed, CONTROL));
  }
}
