package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.FamilyDeciderTest.FAMILY;
import static be.praatbrug.policy.rooms.FamilyDeciderTest.MOTHER;
import static be.praatbrug.policy.rooms.FamilyDeciderTest.PUPIL;
import static be.praatbrug.policy.rooms.FamilyDeciderTest.family;
import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CLIENT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.NOW;
import static be.praatbrug.policy.rooms.RoomFixtures.POLICY;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The {@code !gesprek} commands of a family session: naming places, their codes, the list. */
class FamilyCommandsTest {

  private static final BotContext BOT_CONTEXT = new BotContext(BOT, "caw.test");
  private static final String OTHER_ROOM = "!other:caw.test";
  /** The records the fixture's places and client are for, plus one without a place. */
  private static final Map<String, KnownClient> KNOWN = Map.of(
      "C-AAAA-AAAA", new KnownClient("C-AAAA-AAAA", false),
      "C-BBBB-BBBB", new KnownClient("C-BBBB-BBBB", false),
      "C-CCCC-CCCC", new KnownClient("C-CCCC-CCCC", false),
      "C-7K3P-9Q2M", new KnownClient("C-7K3P-9Q2M", false),
      "C-ERAS-ED22", new KnownClient("C-ERAS-ED22", true));

  /** The fixture's family room with only place 2 named (so one place is left). */
  private static RoomSnapshot onePlaceNamed() {
    return family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", null)));
  }

  private static RoomSnapshot otherFamilyRoom() {
    return new RoomSnapshot(OTHER_ROOM, "stille-gele-vos", "gezin", COUNSELLOR, CONTROL, null, true,
        Map.of(BOT, "join", COUNSELLOR, "join"), Map.of(), List.of(), NOW, null, null, null, Map.of(),
        List.of());
  }

  private static Decision command(String body, List<RoomSnapshot> rooms) {
    MatrixEvent event = new MatrixEvent(CONTROL, "$c", COUNSELLOR, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(BOT_CONTEXT, event, new CommandContext(rooms, Set.of("caw", "gezin"),
        "caw", "praatbrug_guest_", Set.of("caw", "gezin"), Set.of(CLIENT, MOTHER),
        Map.of("caw", POLICY, "gezin", FAMILY), Clients.NONE, KNOWN));
  }

  private static List<Action> actions(Decision decision) {
    return ((Decision.Act) decision).actions();
  }

  private static String reply(Decision decision) {
    List<Action> actions = actions(decision);
    assertEquals(1, actions.size(), actions.toString());
    Action.SendNotice notice = (Action.SendNotice) actions.get(0);
    assertEquals(CONTROL, notice.roomId());
    return notice.plainText();
  }

  @Test
  void aNamedPersonGetsAPlaceWithARecordOfTheirOwn() {
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "mama van Sara", false)),
        command("!gesprek deelnemer mama van Sara", List.of(onePlaceNamed())));
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "Sara's mother", false)),
        command("!session participant Sara's mother", List.of(onePlaceNamed())));
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "tolk", false)),
        command("!gesprek deelnemer tolk", List.of(family().withPlaces(List.of()))));
  }

  @Test
  void aParentsPlaceIsNamedAsOne() {
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "mama van Sara", true)),
        command("!gesprek ouder mama van Sara", List.of(onePlaceNamed())));
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, "C-7K3P-9Q2M", null, true)),
        command("!session parent c7k3p9q2m", List.of(onePlaceNamed())));
    assertEquals(Decision.act(new Action.AddPlace(OTHER_ROOM, CONTROL, null, "papa", true)),
        command("!gesprek ouder papa " + OTHER_ROOM, List.of(onePlaceNamed(), otherFamilyRoom())));
    assertTrue(reply(command("!gesprek ouder", List.of(onePlaceNamed()))).contains("!gesprek ouder <naam"));
    // A record named with "deelnemer" first becomes a parent's place, and back the other way.
    assertEquals(Decision.act(new Action.SetParentPlace(ROOM, CONTROL, 2, true)),
        command("!gesprek ouder C-BBBB-BBBB", List.of(onePlaceNamed())));
    RoomSnapshot parentPlaced = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", null, true)));
    assertTrue(reply(command("!gesprek ouder C-BBBB-BBBB", List.of(parentPlaced)))
        .contains("heeft al een plaats in 'rustige-groene-boot', als ouder of voogd"));
    assertEquals(Decision.act(new Action.SetParentPlace(ROOM, CONTROL, 2, false)),
        command("!gesprek deelnemer C-BBBB-BBBB", List.of(parentPlaced)));
    // Also when every place is named already (the usual case: the whole family is planned).
    assertEquals(Decision.act(new Action.SetParentPlace(ROOM, CONTROL, 3, true)),
        command("!gesprek ouder c-cccc-cccc rustige-groene-boot", List.of(family())));
    // Place 1 is the room's own client: it cannot become a parent's.
    assertTrue(reply(command("!gesprek ouder C-AAAA-AAAA", List.of(onePlaceNamed())))
        .contains("heeft plaats 1 in 'rustige-groene-boot', die van de cliënt van de kamer; die kan geen"
            + " ouderplaats worden"));
    // The same limits as any place: a one-to-one room has none.
    assertTrue(reply(command("!gesprek ouder mama", List.of(room()))).contains("één-op-één-gesprek"));
  }

  @Test
  void anExistingRecordGetsAPlaceHoweverItIsTyped() {
    for (String typed : List.of("C-7K3P-9Q2M", "c7k3p9q2m", "c-7k3p-9q2m")) {
      assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, "C-7K3P-9Q2M", null, false)),
          command("!gesprek deelnemer " + typed, List.of(onePlaceNamed())), typed);
    }
  }

  @Test
  void aRecordThatDoesNotExistOrWasErasedGetsNoPlace() {
    assertTrue(reply(command("!gesprek deelnemer C-9Q2M-7K3P", List.of(onePlaceNamed())))
        .contains("Er is geen cliëntdossier C-9Q2M-7K3P"));
    assertTrue(reply(command("!gesprek deelnemer C-ERAS-ED22", List.of(onePlaceNamed())))
        .contains("gewist"));
    // Looks like a reference but cannot be one (no O in references): not taken as a name either.
    assertTrue(reply(command("!gesprek deelnemer C-7K3P-9Q2O", List.of(onePlaceNamed())))
        .contains("geen cliëntreferentie"));
  }

  @Test
  void aOneWordNameThatLooksLikeAReferenceIsStillAName() {
    // "C" and eight letters: shaped like a reference typed without dashes, but no reference can
    // hold an I, L or O, so a counsellor who types a first name means the name.
    for (String name : List.of("Christine", "Charlotte", "Catherine")) {
      assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, name, false)),
          command("!gesprek deelnemer " + name, List.of(onePlaceNamed())), name);
    }
  }

  @Test
  void aOneToOneSessionHasNoNamedPlaces() {
    String answer = reply(command("!gesprek deelnemer mama van Sara", List.of(room())));
    assertTrue(answer.contains("één-op-één-gesprek") && answer.contains("one-to-one"), answer);
    assertTrue(reply(command("!gesprek deelnemer C-7K3P-9Q2M", List.of(room())))
        .contains("één-op-één-gesprek"));
  }

  @Test
  void noMorePlacesThanThePolicyAllows() {
    String answer = reply(command("!gesprek deelnemer oma", List.of(family())));
    assertTrue(answer.contains("heeft al 3 plaatsen") && answer.contains("already has 3 places"),
        answer);
    assertTrue(reply(command("!gesprek deelnemer C-7K3P-9Q2M", List.of(family())))
        .contains("heeft al 3 plaatsen"));
  }

  @Test
  void aRecordHoldsOnePlaceInARoom() {
    assertTrue(reply(command("!gesprek deelnemer C-BBBB-BBBB", List.of(onePlaceNamed())))
        .contains("C-BBBB-BBBB heeft al een plaats in 'rustige-groene-boot'"));
    // The room's own client is on place 1 already.
    assertTrue(reply(command("!gesprek deelnemer c-aaaa-aaaa", List.of(onePlaceNamed())))
        .contains("C-AAAA-AAAA heeft plaats 1 in 'rustige-groene-boot'"));
  }

  @Test
  void theRoomMayBeNamedLast() {
    List<RoomSnapshot> two = List.of(onePlaceNamed(), otherFamilyRoom());

    assertEquals(Decision.act(new Action.AddPlace(OTHER_ROOM, CONTROL, null, "papa", false)),
        command("!gesprek deelnemer papa stille-gele-vos", two));
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "papa van Sara", false)),
        command("!gesprek deelnemer papa van Sara RUSTIGE-GROENE-BOOT", two));
    assertEquals(Decision.act(new Action.AddPlace(OTHER_ROOM, CONTROL, "C-7K3P-9Q2M", null, false)),
        command("!gesprek deelnemer C-7K3P-9Q2M " + OTHER_ROOM, two));
    assertTrue(reply(command("!gesprek deelnemer papa", two)).contains("Welke kamer?"));
  }

  @Test
  void aNameIsOneLineWithoutMatrixIdsAndNotTooLong() {
    assertTrue(reply(command("!gesprek deelnemer", List.of(onePlaceNamed()))).contains("Voor wie?"));
    assertTrue(reply(command("!gesprek deelnemer " + MOTHER, List.of(onePlaceNamed())))
        .contains("zonder @ of #"));
    assertTrue(reply(command("!gesprek deelnemer " + "x".repeat(61), List.of(onePlaceNamed())))
        .contains("hoogstens 60 tekens"));
    assertEquals(Decision.act(new Action.AddPlace(ROOM, CONTROL, null, "x".repeat(60), false)),
        command("!gesprek deelnemer " + "x".repeat(60), List.of(onePlaceNamed())));
  }

  @Test
  void aFreshCodeForOnePlace() {
    List<RoomSnapshot> one = List.of(family());
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL, 2)),
        command("!gesprek code 2", one));
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL, 3)),
        command("!session code rustige-groene-boot 3", one));
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL, Place.CLIENT)),
        command("!gesprek code 1", one));
    // Without a place: the client's code, as in every other room.
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL, Place.CLIENT)),
        command("!gesprek code rustige-groene-boot", one));
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL)), command("!gesprek code", one));
  }

  @Test
  void aCodeForAPlaceTheRoomDoesNotHaveIsExplained() {
    String answer = reply(command("!gesprek code 3", List.of(onePlaceNamed())));
    assertTrue(answer.contains("'rustige-groene-boot' heeft geen plaats 3")
        && answer.contains("has no place 3"), answer);
    assertTrue(reply(command("!gesprek code rustige-groene-boot 4", List.of(family())))
        .contains("heeft geen plaats 4"));
    assertTrue(reply(command("!gesprek code rustige-groene-boot twee", List.of(family())))
        .contains("heeft geen plaats twee"));
    // A one-to-one room has place 1 only.
    assertTrue(reply(command("!gesprek code 2", List.of(room()))).contains("heeft geen plaats 2"));
    // With two rooms, the room must be named.
    assertTrue(reply(command("!gesprek code 2", List.of(family(), otherFamilyRoom())))
        .contains("Welke kamer?"));
    assertEquals(Decision.act(new Action.IssueKnockCode(ROOM, CONTROL, 2)),
        command("!gesprek code rustige-groene-boot 2", List.of(family(), otherFamilyRoom())));
  }

  @Test
  void nobodyIsAdmittedByHandInAFamilySession() {
    RoomSnapshot knocking = family().withMembership(MOTHER, "knock");

    Decision decision = command("!gesprek toelaten " + MOTHER, List.of(knocking));

    String answer = reply(decision);
    assertTrue(answer.contains("met de code van een eigen plaats")
        && answer.contains("!gesprek code rustige-groene-boot <plaats>"), answer);
    assertFalse(actions(decision).stream().anyMatch(a -> a instanceof Action.AdmitClient
        || a instanceof Action.Invite));
    // A one-to-one room still admits by hand.
    assertEquals(new Action.AdmitClient(ROOM, CLIENT, null),
        actions(command("!gesprek toelaten " + CLIENT, List.of(room().withMembership(CLIENT, "knock"))))
            .get(0));
  }

  @Test
  void theListShowsEveryPlaceAndWhetherItsHolderIsIn() {
    RoomSnapshot room = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER, true),
        new Place(3, "C-CCCC-CCCC", null)));

    String listed = reply(command("!gesprek lijst", List.of(room, otherFamilyRoom())));

    assertTrue(listed.contains("rustige-groene-boot (gezin) — C-AAAA-AAAA — wacht op cliënt / waiting"
        + "\n    plaats/place 1: C-AAAA-AAAA (vrij/free)"
        + "\n    plaats/place 2: C-BBBB-BBBB ouder/parent (binnen/in)"
        + "\n    plaats/place 3: C-CCCC-CCCC (vrij/free)"), listed);
    assertTrue(listed.contains("stille-gele-vos (gezin) — nieuwe cliënt / new client — wacht op cliënt"
        + " / waiting\n    plaats/place 1: — (vrij/free)"), listed);
    // A one-to-one room's line has no places.
    assertFalse(reply(command("!gesprek lijst", List.of(room()))).contains("plaats/place"));
  }

  @Test
  void aParticipantWhoWithdrawsLeavesAndTheSessionGoesOn() {
    RoomSnapshot inSession = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER),
        new Place(3, "C-CCCC-CCCC", null))).withMembership(MOTHER, "join");

    List<Action> actions = FamilyCommands.participantWithdrew(inSession, MOTHER, CONTROL);

    assertEquals(3, actions.size(), actions.toString());
    assertEquals(new Action.Kick(ROOM, MOTHER, FamilyCommands.WITHDRAWN), actions.get(0));
    // Her place is free: she comes back only with a new code and new consent.
    assertEquals(new Action.FreePlace(ROOM, 2), actions.get(1));
    Action.SendNotice notice = (Action.SendNotice) actions.get(2);
    assertEquals(CONTROL, notice.roomId());
    assertTrue(notice.plainText().contains("De persoon op plaats 2 (C-BBBB-BBBB) in 'rustige-groene-boot'")
        && notice.plainText().contains("The person on place 2 (C-BBBB-BBBB)")
        && notice.plainText().contains("gaat verder met de anderen"), notice.plainText());
    assertFalse(actions.contains(new Action.EndSession(ROOM)));
  }

  @Test
  void aWithdrawalOfSomeoneNotInTheRoomFreesThePlaceAndTellsTheCounsellor() {
    RoomSnapshot left = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER),
        new Place(3, "C-CCCC-CCCC", null))).withMembership(MOTHER, "leave");
    List<Action> actions = FamilyCommands.participantWithdrew(left, MOTHER, CONTROL);
    assertEquals(2, actions.size(), actions.toString());
    assertEquals(new Action.FreePlace(ROOM, 2), actions.get(0));
    assertTrue(actions.get(1) instanceof Action.SendNotice);
    // Knocking again counts as being there: the knock is answered with a removal.
    assertEquals(new Action.Kick(ROOM, MOTHER, FamilyCommands.WITHDRAWN), FamilyCommands
        .participantWithdrew(left.withMembership(MOTHER, "knock"), MOTHER, CONTROL).get(0));
  }

  @Test
  void aWithdrawalWithoutANamedPlaceOrAfterTheEndChangesNothingHere() {
    RoomSnapshot withPupil = new RoomSnapshot(ROOM, "rustige-groene-boot", "gezin", COUNSELLOR, CONTROL,
        PUPIL, true, Map.of(BOT, "join", COUNSELLOR, "join", PUPIL, "join", MOTHER, "join"),
        Map.of(), List.of(), NOW, null, "C-AAAA-AAAA", null, Map.of(),
        List.of(new Place(2, "C-BBBB-BBBB", MOTHER)));
    // The client's own withdrawal ends the whole session elsewhere (SessionCommands).
    assertEquals(List.of(), FamilyCommands.participantWithdrew(withPupil, PUPIL, CONTROL));
    assertEquals(List.of(), FamilyCommands.participantWithdrew(withPupil, "@nobody:caw.test", CONTROL));
    RoomSnapshot closed = new RoomSnapshot(ROOM, "rustige-groene-boot", "gezin", COUNSELLOR, CONTROL,
        null, false, Map.of(BOT, "join", COUNSELLOR, "join"), Map.of(), List.of(), NOW, null,
        "C-AAAA-AAAA", null, Map.of(), List.of(new Place(2, "C-BBBB-BBBB", MOTHER)));
    assertEquals(List.of(), FamilyCommands.participantWithdrew(closed, MOTHER, CONTROL));
  }

  @Test
  void aQuickExitFromANamedPlaceNamesThatPlacesRecord() {
    RoomSnapshot room = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER)));
    String notice = ((Action.SendNotice) SessionCommands.clientLeftInAHurry(room, CONTROL,
        "C-BBBB-BBBB").get(0)).plainText();
    assertTrue(notice.contains("De cliënt (C-BBBB-BBBB)") && !notice.contains("C-AAAA-AAAA"), notice);
    String client = ((Action.SendNotice) SessionCommands.clientLeftInAHurry(room, CONTROL, null)
        .get(0)).plainText();
    assertTrue(client.contains("De cliënt (C-AAAA-AAAA)"), client);
  }

  @Test
  void theCounsellorTakesAParticipantOutOfTheCallAndTheRoomAndFreesThePlace() {
    RoomSnapshot motherIn = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER)))
        .withMembership(MOTHER, "join");
    List<Action> actions = actions(command("!gesprek verwijder " + MOTHER, List.of(motherIn)));
    assertEquals(new Action.Kick(ROOM, MOTHER, FamilyCommands.REMOVED), actions.get(0));
    assertEquals(new Action.FreePlace(ROOM, 2), actions.get(1));
    assertTrue(((Action.SendNotice) actions.get(2)).plainText().contains("!gesprek code rustige-groene-boot 2"));
    // Someone who left already: the place is freed all the same, nobody to kick.
    List<Action> gone = actions(command("!session remove " + MOTHER + " rustige-groene-boot",
        List.of(motherIn.withMembership(MOTHER, "leave"))));
    assertEquals(new Action.FreePlace(ROOM, 2), gone.get(0));
  }

  @Test
  void removingIsForNamedPlacesOnly() {
    assertTrue(reply(command("!gesprek verwijder @nobody:caw.test", List.of(family())))
        .contains("heeft geen plaats"));
    RoomSnapshot pupilIn = new RoomSnapshot(ROOM, "rustige-groene-boot", "gezin", COUNSELLOR, CONTROL,
        PUPIL, true, Map.of(BOT, "join", COUNSELLOR, "join", PUPIL, "join"), Map.of(), List.of(), NOW,
        null, "C-AAAA-AAAA", null, Map.of(), List.of());
    assertTrue(reply(command("!gesprek verwijder " + PUPIL, List.of(pupilIn))).contains("!gesprek einde"));
    assertTrue(reply(command("!gesprek verwijder", List.of(family()))).contains("Zeg wie"));
  }
}
