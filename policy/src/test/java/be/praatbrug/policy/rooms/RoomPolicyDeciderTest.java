package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CLIENT;
import static be.praatbrug.policy.rooms.RoomFixtures.CODE;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTEXT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.KEY;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.STRANGER;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
import static be.praatbrug.policy.rooms.RoomFixtures.room;
import static be.praatbrug.policy.rooms.RoomFixtures.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoomPolicyDeciderTest {

  private static List<Action> actions(Decision decision) {
    return assertInstanceOf(Decision.Act.class, decision).actions();
  }

  private static RoomSnapshot withClient() {
    RoomSnapshot room = room().withMembership(CLIENT, "join");
    return new RoomSnapshot(room.roomId(), room.name(), room.policyName(), room.counsellorId(),
        room.controlRoomId(), CLIENT, true, room.memberships(), room.state(), room.codes(), room.now());
  }

  private static RoomSnapshot closed() {
    RoomSnapshot room = room();
    return new RoomSnapshot(room.roomId(), room.name(), room.policyName(), room.counsellorId(),
        room.controlRoomId(), null, false, room.memberships(), room.state(), List.of(), room.now());
  }

  static Stream<Arguments> removals() {
    return Stream.of(
        Arguments.of("a third person joining a full room",
            withClient().withMembership(STRANGER, "invite"), member(STRANGER, STRANGER, "join")),
        Arguments.of("a join without an invite (join rule opened up)",
            room(), member(STRANGER, STRANGER, "join")),
        Arguments.of("the counsellor inviting a third person",
            withClient(), member(COUNSELLOR, STRANGER, "invite")),
        Arguments.of("an invite by someone other than the counsellor",
            room().withMembership(CLIENT, "join"), member(CLIENT, STRANGER, "invite")),
        Arguments.of("a member from a server outside the allowlist",
            room().withMembership("@x:evil.example", "invite"),
            member("@x:evil.example", "@x:evil.example", "join")),
        Arguments.of("an invite to a server outside the allowlist",
            room(), member(COUNSELLOR, "@x:evil.example", "invite")),
        Arguments.of("a join into a closed room",
            closed(), member(CLIENT, CLIENT, "join")),
        Arguments.of("a knock on a closed room, even with a valid code",
            closed(), member(CLIENT, CLIENT, "knock", CODE)));
  }

  @ParameterizedTest(name = "removes {0}")
  @MethodSource("removals")
  void removesWithTheKickFirstAndTellsTheCounsellor(String what, RoomSnapshot room, MatrixEvent event) {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room, event));

    Action.Kick kick = assertInstanceOf(Action.Kick.class, actions.get(0));
    assertEquals(event.stateKey(), kick.userId());
    Action.SendNotice notice = assertInstanceOf(Action.SendNotice.class, actions.get(1));
    assertEquals(CONTROL, notice.roomId(), "notices go to the counsellor's direct chat");
  }

  @Test
  void admitsAKnockWithAValidCodeRecordingTheAdmissionAndSpendingTheCodeBeforeTheInvite() {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        member(CLIENT, CLIENT, "knock", "kx7p-3mq9")));

    assertEquals(new Action.AdmitClient(ROOM, CLIENT, KnockCode.hash(KEY, CODE)), actions.get(0));
    assertEquals(new Action.Invite(ROOM, CLIENT), actions.get(1));
    assertInstanceOf(Action.SendNotice.class, actions.get(2));
  }

  @ParameterizedTest(name = "keeps a knock pending with code \"{0}\"")
  @MethodSource("badCodes")
  void keepsAKnockPendingWithoutAValidCode(String code, RoomSnapshot room) {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room,
        member(CLIENT, CLIENT, "knock", code)));

    assertEquals(1, actions.size());
    String text = assertInstanceOf(Action.SendNotice.class, actions.get(0)).plainText();
    assertTrue(text.contains("!gesprek toelaten " + CLIENT), text);
  }

  static Stream<Arguments> badCodes() {
    RoomSnapshot expired = room();
    expired = new RoomSnapshot(expired.roomId(), expired.name(), expired.policyName(),
        expired.counsellorId(), expired.controlRoomId(), null, true, expired.memberships(),
        expired.state(), expired.codes(), expired.now().plusSeconds(7200));
    RoomSnapshot spent = new RoomSnapshot(ROOM, "r", "caw", COUNSELLOR, CONTROL, null, true,
        room().memberships(), room().state(), List.of(), RoomFixtures.NOW);
    return Stream.of(Arguments.of("WRONG123", room()), Arguments.of("", room()),
        Arguments.of(null, room()), Arguments.of(CODE, expired), Arguments.of(CODE, spent));
  }

  @Test
  void validCodeWithoutConsentWaitsAndTheKnockerHearsHowToConsent() {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        member(STRANGER, STRANGER, "knock", CODE)));

    assertEquals(2, actions.size(), "no invite, and the code is not spent: " + actions);
    assertEquals(CONTROL, actions.get(0).roomId(), "the counsellor is told in her direct chat");
    assertTrue(((Action.SendNotice) actions.get(0)).plainText().contains("nog geen toestemming"));
    Action.DirectMessage message = (Action.DirectMessage) actions.get(1);
    assertEquals(STRANGER, message.userId());
    assertEquals(ROOM, message.roomId());
    assertTrue(message.plainText().contains("!toestemming geef")
        && message.plainText().contains("!consent give")
        && message.plainText().contains("opnieuw aankloppen hoeft niet"), message.plainText());
  }

  @Test
  void aKnockWithoutCodeNorConsentAlsoGetsTheDirectMessage() {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        member(STRANGER, STRANGER, "knock", "FOUT1234")));

    assertTrue(((Action.SendNotice) actions.get(0)).plainText().contains("zonder geldige code en zonder toestemming"));
    assertInstanceOf(Action.DirectMessage.class, actions.get(1));
  }

  @Test
  void aLinkClientsGuestAccountGetsNoDirectMessage() {
    String guest = "@praatbrug_guest_abc:caw.test";
    PolicyContext withGuests = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY, Set.of(),
        Map.of(), new Clients("praatbrug_guest_", Set.of()));

    List<Action> actions = actions(RoomPolicyDecider.decide(withGuests, room(),
        member(guest, guest, "knock", CODE)));

    assertEquals(1, actions.size(), "the page asks consent itself: " + actions);
    assertInstanceOf(Action.SendNotice.class, actions.get(0));
  }

  @Test
  void aKnockThatWaitedForConsentGoesInOnceConsentIsThere() {
    RoomSnapshot knocking = room().withMembership(STRANGER, "knock");
    PolicyContext consented = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY, Set.of(STRANGER));

    List<Action> actions = actions(RoomPolicyDecider.knockAfterConsent(consented, knocking, STRANGER, CODE));

    assertEquals(new Action.AdmitClient(ROOM, STRANGER, KnockCode.hash(KEY, CODE)), actions.get(0));
    assertEquals(new Action.Invite(ROOM, STRANGER), actions.get(1));
    assertTrue(((Action.SendNotice) actions.get(2)).plainText().contains("toegelaten"));
  }

  @Test
  void aWaitingKnockWithoutAValidCodeIsLeftToTheCounsellorWhoIsTold() {
    RoomSnapshot knocking = room().withMembership(STRANGER, "knock");
    PolicyContext consented = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY, Set.of(STRANGER));

    List<Action> actions = actions(RoomPolicyDecider.knockAfterConsent(consented, knocking, STRANGER, "FOUT1234"));

    assertEquals(1, actions.size());
    assertTrue(((Action.SendNotice) actions.get(0)).plainText().contains("!gesprek toelaten " + STRANGER));
  }

  @Test
  void nothingHappensAfterConsentForSomeoneNoLongerKnockingOrStillWithoutConsent() {
    PolicyContext consented = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY, Set.of(STRANGER));
    assertInstanceOf(Decision.Ignore.class,
        RoomPolicyDecider.knockAfterConsent(consented, room(), STRANGER, CODE));
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.knockAfterConsent(CONTEXT,
        room().withMembership(STRANGER, "knock"), STRANGER, CODE));
  }

  @Test
  void anInviteWithoutConsentIsWithdrawnWhenThePolicyRequiresIt() {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        member(COUNSELLOR, STRANGER, "invite")));

    assertEquals(new Action.Kick(ROOM, STRANGER, "nog geen toestemming"), actions.get(0));
  }

  @Test
  void withoutAConsentRequirementNoConsentIsNeeded() {
    PolicyContext lax = new PolicyContext(CONTEXT.bot(), new be.praatbrug.policy.rules.Policy("x", "caw",
        "nl-BE", 2, "knock", true, "joined", "forbidden", be.praatbrug.policy.rules.Policy.PowerLevels.DEFAULT,
        java.time.Duration.ofDays(1), List.of("caw.test"), false, false, false,
        java.time.Duration.ofHours(1), true), KEY);

    assertEquals(Decision.act(new Action.AdmitClient(ROOM, STRANGER, null)),
        RoomPolicyDecider.decide(lax, room(), member(COUNSELLOR, STRANGER, "invite")));
  }

  @Test
  void validCodeDoesNotOverfillARoom() {
    RoomSnapshot full = withClient();
    PolicyContext consented = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY, Set.of(STRANGER));
    List<Action> actions = actions(RoomPolicyDecider.decide(consented, full,
        member(STRANGER, STRANGER, "knock", CODE)));

    assertEquals(1, actions.size());
    assertInstanceOf(Action.SendNotice.class, actions.get(0));
  }

  @Test
  void firstClientJoinStartsTheSession() {
    RoomSnapshot invited = room().withMembership(CLIENT, "invite");

    assertEquals(Decision.act(new Action.StartSession(ROOM, CLIENT),
            new Action.SendNotice(ROOM, RoomNotices.welcome())),
        RoomPolicyDecider.decide(CONTEXT, invited, member(CLIENT, CLIENT, "join")));
  }

  @Test
  void counsellorInvitingTheClientIsFineAndRecordedAsTheAdmission() {
    assertEquals(Decision.act(new Action.AdmitClient(ROOM, CLIENT, null)),
        RoomPolicyDecider.decide(CONTEXT, room(), member(COUNSELLOR, CLIENT, "invite")));
  }

  @Test
  void revertsAWeakenedJoinRuleToThePolicy() {
    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        state(COUNSELLOR, "m.room.join_rules", Map.of("join_rule", "public"))));

    assertEquals(new Action.SetState(ROOM, "m.room.join_rules", "", Map.of("join_rule", "knock")),
        actions.get(0));
  }

  @Test
  void revertsPowerLevelEscalationWhoeverSentIt() {
    Map<String, Object> escalated = new java.util.HashMap<>(
        ExpectedRoomState.powerLevels(RoomFixtures.POLICY, BOT, COUNSELLOR));
    escalated.put("users", Map.of(BOT, 100, COUNSELLOR, 100));

    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, room(),
        state(BOT, "m.room.power_levels", escalated)));

    Action.SetState revert = assertInstanceOf(Action.SetState.class, actions.get(0));
    assertEquals(Map.of(BOT, 100, COUNSELLOR, 50), revert.content().get("users"));
  }

  @Test
  void acceptsStateThatMeetsThePolicyEvenWithHarmlessExtras() {
    Map<String, Object> acl = Map.of("allow", List.of("clb.test", "caw.test"), "deny", List.of(),
        "allow_ip_literals", false);
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.decide(CONTEXT, room(),
        state(BOT, "m.room.server_acl", acl)));
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.decide(CONTEXT, room(),
        state(BOT, "m.room.retention", Map.of("max_lifetime", 2_592_000_000L))));
  }

  @Test
  void revertsAnAclThatLetsAnotherServerIn() {
    Map<String, Object> acl = Map.of("allow", List.of("*"), "deny", List.of(), "allow_ip_literals", false);
    assertInstanceOf(Action.SetState.class, actions(RoomPolicyDecider.decide(CONTEXT, room(),
        state(COUNSELLOR, "m.room.server_acl", acl))).get(0));
  }

  @Test
  void reconcileRepairsEverythingThatDriftedWhileTheBridgeWasAway() {
    RoomSnapshot drifted = withClient().withMembership(STRANGER, "join")
        .apply(state(COUNSELLOR, "m.room.join_rules", Map.of("join_rule", "public")))
        .apply(state(COUNSELLOR, "m.room.history_visibility", Map.of("history_visibility", "shared")));

    List<Action> actions = RoomPolicyDecider.reconcile(CONTEXT, drifted);

    assertEquals(new Action.Kick(ROOM, STRANGER, "beleid van de organisatie"), actions.get(0));
    assertTrue(actions.contains(new Action.SetState(ROOM, "m.room.join_rules", "",
        Map.of("join_rule", "knock"))));
    assertTrue(actions.contains(new Action.SetState(ROOM, "m.room.history_visibility", "",
        Map.of("history_visibility", "joined"))));
    assertEquals(3, actions.size(), actions.toString());
  }

  @Test
  void reconcileRemovesSomeoneWhoGotInWithoutAdmissionEvenBelowTheLimit() {
    RoomSnapshot walkedIn = room().withMembership(STRANGER, "join");

    assertEquals(List.of(new Action.Kick(ROOM, STRANGER, "beleid van de organisatie")),
        RoomPolicyDecider.reconcile(CONTEXT, walkedIn));
  }

  @Test
  void reconcileKeepsAnInviteTheCounsellorSent() {
    assertEquals(List.of(), RoomPolicyDecider.reconcile(CONTEXT, room().withMembership(CLIENT, "invite")));
  }

  @Test
  void theCallWidgetIsKeptInRoomsWhosePolicyAllowsCalls() {
    Map<String, Object> widget = Map.of("type", "m.custom", "url", "http://bridge/widget/call/",
        "name", "Videogesprek");
    PolicyContext withWidget = new PolicyContext(CONTEXT.bot(), CONTEXT.policy(), KEY,
        java.util.Set.of(CLIENT), Map.of(RoomSnapshot.stateKey("im.vector.modular.widgets", "praatbrug_call"), widget));

    // Removed by someone (an empty content removes a widget): put back.
    MatrixEvent removed = new MatrixEvent(ROOM, "$w", BOT, "im.vector.modular.widgets", "praatbrug_call", Map.of());
    assertEquals(new Action.SetState(ROOM, "im.vector.modular.widgets", "praatbrug_call", widget),
        actions(RoomPolicyDecider.decide(withWidget, room(), removed)).get(0));
    // Missing while the bridge was away: reconciliation adds it.
    assertEquals(List.of(new Action.SetState(ROOM, "im.vector.modular.widgets", "praatbrug_call", widget)),
        RoomPolicyDecider.reconcile(withWidget, room()));
    // Someone else's widget is not ours to govern.
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.decide(withWidget, room(),
        new MatrixEvent(ROOM, "$o", BOT, "im.vector.modular.widgets", "other", Map.of("url", "x"))));
  }

  @Test
  void reconcileOfAHealthyRoomDoesNothing() {
    assertEquals(List.of(), RoomPolicyDecider.reconcile(CONTEXT, withClient()));
  }

  @Test
  void closedRoomsWantInviteOnly() {
    List<Action> actions = RoomPolicyDecider.reconcile(CONTEXT, closed());

    assertEquals(List.of(new Action.SetState(ROOM, "m.room.join_rules", "", Map.of("join_rule", "invite"))),
        actions);
  }

  @Test
  void ignoresOrdinaryMessages() {
    MatrixEvent message = new MatrixEvent(ROOM, "$x", CLIENT, "m.room.encrypted", null, Map.of());
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.decide(CONTEXT, withClient(), message));
  }
}
