package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.KEY;
import static be.praatbrug.policy.rooms.RoomFixtures.NOW;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A family session: the pupil on place 1, a parent on place 2, a second parent on place 3. */
class FamilyDeciderTest {

  static final String PUPIL = "@pupil:caw.test";
  static final String MOTHER = "@mother:clb.test";
  static final String FATHER = "@father:caw.test";
  static final String STRANGER = "@stranger:caw.test";
  static final String PUPIL_CODE = "PUP1LCDE";
  static final String MOTHER_CODE = "M0THERCD";
  static final String FATHER_CODE = "FATHERCD";

  static final Policy FAMILY = new Policy("gezin", "clb", "nl-BE", 4, "knock", true, "joined",
      "forbidden", Policy.PowerLevels.DEFAULT, Duration.ofDays(30), List.of("caw.test", "clb.test"),
      true, true, true, Duration.ofHours(24), true, Policy.FAMILY, null, null);

  static final PolicyContext CONSENTED = new PolicyContext(new BotContext(BOT, "caw.test"), FAMILY,
      KEY, Set.of(PUPIL, MOTHER, FATHER, STRANGER, "@visitor:evil.test"));

  static RoomSnapshot family() {
    Map<String, Map<String, Object>> state = new HashMap<>();
    ExpectedRoomState.of(FAMILY, BOT, COUNSELLOR, true)
        .forEach((type, content) -> state.put(RoomSnapshot.stateKey(type, ""), content));
    java.time.Instant expires = NOW.plus(Duration.ofHours(1));
    return new RoomSnapshot(ROOM, "rustige-groene-boot", "gezin", COUNSELLOR, CONTROL, null, true,
        Map.of(BOT, "join", COUNSELLOR, "join"), state,
        List.of(new KnockCode(KnockCode.hash(KEY, PUPIL_CODE), expires, true),
            new KnockCode(KnockCode.hash(KEY, MOTHER_CODE), expires, true, null, 2),
            new KnockCode(KnockCode.hash(KEY, FATHER_CODE), expires, false, null, 3)),
        NOW, null, "C-AAAA-AAAA", null, Map.of(),
        List.of(new Place(2, "C-BBBB-BBBB", null), new Place(3, "C-CCCC-CCCC", null)));
  }

  private static Decision decide(RoomSnapshot room, String sender, String target, String membership,
      String reason) {
    return RoomPolicyDecider.decide(CONSENTED, room, member(sender, target, membership, reason));
  }

  private static List<Action> actions(Decision decision) {
    return ((Decision.Act) decision).actions();
  }

  @Test
  void eachCodeLetsInOnItsOwnPlace() {
    Decision mother = decide(family(), MOTHER, MOTHER, "knock", MOTHER_CODE);
    assertEquals(new Action.AdmitClient(ROOM, MOTHER, KnockCode.hash(KEY, MOTHER_CODE), 2),
        actions(mother).get(0));
    assertEquals(new Action.Invite(ROOM, MOTHER), actions(mother).get(1));
    Decision pupil = decide(family(), PUPIL, PUPIL, "knock", "pup1-lcde");
    assertEquals(new Action.AdmitClient(ROOM, PUPIL, KnockCode.hash(KEY, PUPIL_CODE), 1),
        actions(pupil).get(0));
    // A code that may be used again is not spent, but its place still takes one person.
    assertEquals(new Action.AdmitClient(ROOM, FATHER, null, 3),
        actions(decide(family(), FATHER, FATHER, "knock", FATHER_CODE)).get(0));
  }

  @Test
  void aSecondPersonOnATakenPlaceIsKeptOutAndTheCounsellorHearsWho() {
    RoomSnapshot room = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", null),
        new Place(3, "C-CCCC-CCCC", FATHER))).withMembership(FATHER, "join");
    List<Action> actions = actions(decide(room, STRANGER, STRANGER, "knock", FATHER_CODE));
    assertEquals(new Action.Kick(ROOM, STRANGER, "plaats al ingenomen"), actions.get(0));
    String notice = ((Action.SendNotice) actions.get(1)).plainText();
    assertTrue(notice.contains(STRANGER) && notice.contains(FATHER) && notice.contains("plaats 3"), notice);
    assertEquals(CONTROL, actions.get(1).roomId());
  }

  @Test
  void theClientsPlaceIsTakenOnceTooWhenItsCodeStillWorks() {
    RoomSnapshot room = new RoomSnapshot(ROOM, "r", "gezin", COUNSELLOR, CONTROL, PUPIL, true,
        Map.of(BOT, "join", COUNSELLOR, "join", PUPIL, "join"), family().state(),
        List.of(new KnockCode(KnockCode.hash(KEY, PUPIL_CODE), NOW.plusSeconds(60), false)), NOW,
        null, "C-AAAA-AAAA", null, Map.of(), family().places());
    assertEquals(new Action.Kick(ROOM, STRANGER, "plaats al ingenomen"),
        actions(decide(room, STRANGER, STRANGER, "knock", PUPIL_CODE)).get(0));
  }

  @Test
  void aKnockWithoutAPlacesCodeWaitsForTheCounsellorWithoutAdmitOption() {
    List<Action> actions = actions(decide(family(), STRANGER, STRANGER, "knock", "WRONGCDE"));
    assertEquals(1, actions.size());
    String notice = ((Action.SendNotice) actions.get(0)).plainText();
    assertTrue(notice.contains("!gesprek weigeren") && !notice.contains("!gesprek toelaten"), notice);
  }

  @Test
  void everyoneNeedsTheirOwnConsent() {
    PolicyContext onlyPupil = new PolicyContext(new BotContext(BOT, "caw.test"), FAMILY, KEY, Set.of(PUPIL));
    Decision decision = RoomPolicyDecider.decide(onlyPupil, family(),
        member(MOTHER, MOTHER, "knock", MOTHER_CODE));
    assertTrue(actions(decision).stream().noneMatch(a -> a instanceof Action.AdmitClient
        || a instanceof Action.Invite), actions(decision).toString());
    assertTrue(actions(decision).stream().anyMatch(a -> a instanceof Action.DirectMessage));
    // Once her consent is on record, the waiting knock lets her in on her place.
    Decision later = RoomPolicyDecider.knockAfterConsent(CONSENTED,
        family().withMembership(MOTHER, "knock"), MOTHER, MOTHER_CODE);
    assertEquals(new Action.AdmitClient(ROOM, MOTHER, KnockCode.hash(KEY, MOTHER_CODE), 2),
        actions(later).get(0));
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.knockAfterConsent(onlyPupil,
        family().withMembership(MOTHER, "knock"), MOTHER, MOTHER_CODE));
  }

  @Test
  void aPartnerServerOnlyAndNobodyAfterTheEnd() {
    assertEquals(new Action.Kick(ROOM, "@visitor:evil.test", "server niet toegelaten"),
        actions(decide(family(), "@visitor:evil.test", "@visitor:evil.test", "knock", MOTHER_CODE)).get(0));
    RoomSnapshot closed = new RoomSnapshot(ROOM, "r", "gezin", COUNSELLOR, CONTROL, null, false,
        Map.of(BOT, "join", COUNSELLOR, "join"), family().state(), family().codes(), NOW, null,
        "C-AAAA-AAAA", null, Map.of(), family().places());
    assertEquals(new Action.Kick(ROOM, MOTHER, "gesprek afgesloten"),
        actions(decide(closed, MOTHER, MOTHER, "knock", MOTHER_CODE)).get(0));
  }

  @Test
  void onlyPlaceHoldersMayJoinAndTheirEntryIsRecorded() {
    assertEquals(new Action.Kick(ROOM, STRANGER, "geen eigen plaats"),
        actions(decide(family().withMembership(STRANGER, "invite"), STRANGER, STRANGER, "join", null)).get(0));
    RoomSnapshot motherLetIn = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER),
        new Place(3, "C-CCCC-CCCC", null))).withMembership(MOTHER, "invite");
    assertEquals(new Action.PlaceEntered(ROOM, 2, MOTHER, true),
        actions(decide(motherLetIn, MOTHER, MOTHER, "join", null)).get(0));
    RoomSnapshot pupilLetIn = new RoomSnapshot(ROOM, "r", "gezin", COUNSELLOR, CONTROL, null, true,
        Map.of(BOT, "join", COUNSELLOR, "join", PUPIL, "invite"), family().state(), List.of(), NOW,
        null, "C-AAAA-AAAA", PUPIL, Map.of(), family().places());
    assertEquals(new Action.StartSession(ROOM, PUPIL),
        actions(decide(pupilLetIn, PUPIL, PUPIL, "join", null)).get(0));
  }

  @Test
  void onlyTheBotInvitesAndAPlaceHolderWhoKnocksAgainIsLetBackIn() {
    assertEquals(new Action.Kick(ROOM, STRANGER, "alleen met een eigen plaats"),
        actions(decide(family(), COUNSELLOR, STRANGER, "invite", null)).get(0));
    RoomSnapshot motherLeft = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER),
        new Place(3, "C-CCCC-CCCC", null))).withMembership(MOTHER, "leave");
    assertInstanceOf(Decision.Ignore.class, decide(motherLeft, COUNSELLOR, MOTHER, "invite", null));
    assertEquals(List.of(new Action.Invite(ROOM, MOTHER)),
        actions(decide(motherLeft, MOTHER, MOTHER, "knock", "anything")));
  }

  @Test
  void aCodeOfAPlaceTheRoomNoLongerHasOpensNothing() {
    RoomSnapshot room = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", null)));
    List<Action> actions = actions(decide(room, FATHER, FATHER, "knock", FATHER_CODE));
    assertEquals(1, actions.size());
    assertInstanceOf(Action.SendNotice.class, actions.get(0));
  }

  @Test
  void reconcileRemovesEveryoneWithoutAPlaceAndFinishesAdmissions() {
    RoomSnapshot room = family().withPlaces(List.of(new Place(2, "C-BBBB-BBBB", MOTHER),
        new Place(3, "C-CCCC-CCCC", FATHER)))
        .withMembership(MOTHER, "join").withMembership(FATHER, "knock")
        .withMembership(STRANGER, "join").withMembership("@other:caw.test", "invite");
    List<Action> actions = RoomPolicyDecider.reconcile(CONSENTED, room);
    assertTrue(actions.contains(new Action.Kick(ROOM, STRANGER, "beleid van de organisatie")));
    assertTrue(actions.contains(new Action.Kick(ROOM, "@other:caw.test", "beleid van de organisatie")));
    assertTrue(actions.contains(new Action.PlaceEntered(ROOM, 2, MOTHER)));
    assertTrue(actions.contains(new Action.Invite(ROOM, FATHER)));
    assertFalse(actions.contains(new Action.Kick(ROOM, MOTHER, "beleid van de organisatie")));
  }

  @Test
  void aPlaceIsNeverTakenTwiceWhateverTheOrder() {
    // Both parents' knocks with the mother's code, in either order: one place, one person.
    for (List<String> order : List.of(List.of(MOTHER, FATHER), List.of(FATHER, MOTHER))) {
      RoomSnapshot room = family();
      Decision first = decide(room, order.get(0), order.get(0), "knock", MOTHER_CODE);
      assertInstanceOf(Action.AdmitClient.class, actions(first).get(0));
      room = room.withPlaces(List.of(new Place(2, "C-BBBB-BBBB", order.get(0)),
          new Place(3, "C-CCCC-CCCC", null))).withMembership(order.get(0), "invite");
      Decision second = decide(room, order.get(1), order.get(1), "knock", MOTHER_CODE);
      assertEquals(new Action.Kick(ROOM, order.get(1), "plaats al ingenomen"), actions(second).get(0));
    }
  }
}
