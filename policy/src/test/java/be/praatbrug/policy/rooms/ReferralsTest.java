package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CLIENT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.KEY;
import static be.praatbrug.policy.rooms.RoomFixtures.NOW;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.STRANGER;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
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
import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Warm referral: the command's checks and how the room decider treats the one extra member. */
class ReferralsTest {

  private static final String PARTNER = "@counsellor:clb.test";
  private static final Policy REFERRING = new Policy("caw", "caw", "nl-BE", 2, "knock", true,
      "joined", "forbidden", Policy.PowerLevels.DEFAULT, Duration.ofDays(30),
      List.of("caw.test", "clb.test"), true, true, true, Duration.ofHours(24), true,
      Policy.COUNSELLING, new Policy.Referral(Duration.ofMinutes(30)));
  private static final PolicyContext CONTEXT = new PolicyContext(new BotContext(BOT, "caw.test"),
      REFERRING, KEY, Set.of(CLIENT));
  private static final Instant UNTIL = NOW.plus(Duration.ofMinutes(30));

  /** Counsellor and client in a running session, optionally with a handover. */
  private static RoomSnapshot session(Handover handover, Instant now) {
    RoomSnapshot room = room().withMembership(CLIENT, "join");
    return new RoomSnapshot(ROOM, room.name(), "caw", COUNSELLOR, CONTROL, CLIENT, true,
        room.memberships(), room.state(), List.of(), now, handover);
  }

  private static RoomSnapshot referring() {
    return session(new Handover(COUNSELLOR, PARTNER, UNTIL), NOW);
  }

  private static List<Action> actions(Decision decision) {
    return assertInstanceOf(Decision.Act.class, decision).actions();
  }

  private static Decision command(String body, RoomSnapshot room, Policy policy) {
    MatrixEvent event = new MatrixEvent(CONTROL, "$c", COUNSELLOR, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(new BotContext(BOT, "caw.test"), event, new CommandContext(List.of(room),
        Set.of("caw"), "caw", "praatbrug_guest_", Set.of(), Set.of(), Map.of("caw", policy),
        new Clients("praatbrug_guest_", Set.of(CLIENT))));
  }

  private static String reply(Decision decision) {
    return ((Action.SendNotice) actions(decision).get(0)).plainText();
  }

  @Test
  void referCommandRecordsTheHandoverInvitesThePartnerAndTellsBothSides() {
    List<Action> actions = actions(command("!gesprek doorverwijzen " + PARTNER, session(null, NOW), REFERRING));

    assertEquals(new Action.StartReferral(ROOM, COUNSELLOR, PARTNER, UNTIL), actions.get(0));
    assertEquals(new Action.Invite(ROOM, PARTNER), actions.get(1));
    assertTrue(((Action.SendNotice) actions.get(2)).plainText().contains("30 minuten"));
    Action.SendNotice forClient = (Action.SendNotice) actions.get(3);
    assertTrue(forClient.plainText().startsWith("Voor de cliënt:"));
    assertEquals(CONTROL, forClient.roomId());
  }

  @Test
  void englishAliasWorksToo() {
    assertInstanceOf(Action.StartReferral.class,
        actions(command("!session refer " + PARTNER, session(null, NOW), REFERRING)).get(0));
  }

  static Stream<Arguments> refusals() {
    RoomSnapshot waiting = new RoomSnapshot(ROOM, "rustige-groene-boot", "caw", COUNSELLOR, CONTROL,
        null, true, Map.of(BOT, "join", COUNSELLOR, "join"), Map.of(), List.of(), NOW, null);
    return Stream.of(
        Arguments.of("a policy without referral", "!gesprek doorverwijzen " + PARTNER,
            session(null, NOW), RoomFixtures.POLICY, "laat geen doorverwijzing toe"),
        Arguments.of("a partner of a server outside the allowlist", "!gesprek doorverwijzen @x:evil.example",
            session(null, NOW), REFERRING, "niet van een partnerorganisatie"),
        Arguments.of("an account made for clients", "!gesprek doorverwijzen @praatbrug_guest_ab:clb.test",
            session(null, NOW), REFERRING, "alleen naar een andere hulpverlener"),
        Arguments.of("the room's own client", "!gesprek doorverwijzen " + CLIENT,
            session(null, NOW), REFERRING, "alleen naar een andere hulpverlener"),
        Arguments.of("no client in the room yet", "!gesprek doorverwijzen " + PARTNER,
            waiting, REFERRING, "nog geen cliënt"),
        Arguments.of("a second referral while one runs", "!gesprek doorverwijzen @other:clb.test",
            referring(), REFERRING, "loopt al een doorverwijzing"),
        Arguments.of("no one named", "!gesprek doorverwijzen", session(null, NOW), REFERRING, "Zeg naar wie"),
        Arguments.of("a room already handed over", "!gesprek doorverwijzen @other:clb.test",
            new RoomSnapshot(ROOM, "r", "caw", PARTNER, CONTROL, CLIENT, true,
                Map.of(BOT, "join", PARTNER, "join", CLIENT, "join"), Map.of(), List.of(), NOW, null),
            REFERRING, "al doorverwezen"));
  }

  @ParameterizedTest(name = "refuses {0}")
  @MethodSource("refusals")
  void refuses(String what, String body, RoomSnapshot room, Policy policy, String expected) {
    Decision decision = command(body, room, policy);
    assertEquals(1, actions(decision).size(), what);
    assertTrue(reply(decision).contains(expected), reply(decision));
  }

  @Test
  void thePartnerMayJoinAsTheOneExtraMemberWhileTheWindowIsOpen() {
    RoomSnapshot invited = referring().withMembership(PARTNER, "invite");

    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, invited, member(PARTNER, PARTNER, "join")));

    assertEquals(1, actions.size());
    assertTrue(((Action.SendNotice) actions.get(0)).plainText().contains("Verlaat de kamer"));
  }

  @Test
  void thePartnerAlreadyShownJoinedByAReloadIsNotTakenForAnIntruder() {
    RoomSnapshot reloaded = referring().withMembership(PARTNER, "join");
    assertInstanceOf(Decision.Act.class,
        RoomPolicyDecider.decide(CONTEXT, reloaded, member(PARTNER, PARTNER, "join")));
    assertTrue(actions(RoomPolicyDecider.decide(CONTEXT, reloaded, member(PARTNER, PARTNER, "join")))
        .stream().noneMatch(Action.Kick.class::isInstance));
  }

  static Stream<Arguments> stillRemoved() {
    RoomSnapshot invitedPartner = referring().withMembership(PARTNER, "invite");
    return Stream.of(
        Arguments.of("anyone else joining during the handover",
            invitedPartner.withMembership(STRANGER, "invite"), member(STRANGER, STRANGER, "join"), STRANGER),
        Arguments.of("the counsellor inviting a fourth person during the handover",
            invitedPartner, member(COUNSELLOR, STRANGER, "invite"), STRANGER),
        Arguments.of("the partner joining after the window closed",
            session(new Handover(COUNSELLOR, PARTNER, UNTIL), UNTIL.plusSeconds(1))
                .withMembership(PARTNER, "invite"), member(PARTNER, PARTNER, "join"), PARTNER),
        Arguments.of("the same person invited without the command",
            session(null, NOW), member(COUNSELLOR, PARTNER, "invite"), PARTNER),
        Arguments.of("the same person joining without the command",
            session(null, NOW).withMembership(PARTNER, "invite"), member(PARTNER, PARTNER, "join"), PARTNER));
  }

  @ParameterizedTest(name = "removes {0}")
  @MethodSource("stillRemoved")
  void theOneToOneRuleHoldsOtherwise(String what, RoomSnapshot room, MatrixEvent event, String removed) {
    Action first = actions(RoomPolicyDecider.decide(CONTEXT, room, event)).get(0);
    assertEquals(removed, assertInstanceOf(Action.Kick.class, first).userId(), what);
  }

  @Test
  void whenTheReferrerLeavesThePartnerTakesOver() {
    RoomSnapshot joined = referring().withMembership(PARTNER, "join");

    List<Action> actions = actions(RoomPolicyDecider.decide(CONTEXT, joined, member(COUNSELLOR, COUNSELLOR, "leave")));

    assertEquals(new Action.CompleteReferral(ROOM, COUNSELLOR, PARTNER), actions.get(0));
    Action.SetState levels = assertInstanceOf(Action.SetState.class, actions.get(1));
    assertEquals(Map.of(BOT, 100, PARTNER, 50), levels.content().get("users"));
    assertTrue(((Action.SendNotice) actions.get(3)).plainText().startsWith("Voor de cliënt:"));
  }

  @Test
  void theReferrerLeavingBeforeThePartnerCameIsNoHandover() {
    RoomSnapshot invited = referring().withMembership(PARTNER, "invite");
    assertInstanceOf(Decision.Ignore.class,
        RoomPolicyDecider.decide(CONTEXT, invited, member(COUNSELLOR, COUNSELLOR, "leave")));
  }

  @Test
  void thePartnerLeavingEndsTheReferral() {
    RoomSnapshot joined = referring().withMembership(PARTNER, "join");
    assertEquals(new Action.EndReferral(ROOM, "partner_left"),
        actions(RoomPolicyDecider.decide(CONTEXT, joined, member(PARTNER, PARTNER, "leave"))).get(0));
  }

  @Test
  void reconcilingLeavesAnOpenHandoverAlone() {
    RoomSnapshot joined = referring().withMembership(PARTNER, "join");
    assertTrue(RoomPolicyDecider.reconcile(CONTEXT, joined).stream().noneMatch(Action.Kick.class::isInstance));
  }

  @Test
  void reconcilingAfterTheWindowRemovesThePartnerOnceAndEndsTheReferral() {
    RoomSnapshot late = session(new Handover(COUNSELLOR, PARTNER, UNTIL), UNTIL)
        .withMembership(PARTNER, "join");

    List<Action> actions = RoomPolicyDecider.reconcile(CONTEXT, late);

    assertEquals(new Action.Kick(ROOM, PARTNER, "overdrachtstijd voorbij"), actions.get(0));
    assertEquals(new Action.EndReferral(ROOM, "expired"), actions.get(1));
    assertEquals(1, actions.stream().filter(Action.Kick.class::isInstance).count());
  }

  @Test
  void afterTheHandoverTheRoomIsOneToOneAgain() {
    // The partner is now the counsellor, the handover is gone: a third person is removed again.
    RoomSnapshot taken = new RoomSnapshot(ROOM, "r", "caw", PARTNER, CONTROL, CLIENT, true,
        Map.of(BOT, "join", PARTNER, "join", CLIENT, "join", COUNSELLOR, "leave"), Map.of(), List.of(), NOW, null);
    Action first = actions(RoomPolicyDecider.decide(CONTEXT, taken.withMembership(COUNSELLOR, "invite"),
        member(COUNSELLOR, COUNSELLOR, "join"))).get(0);
    assertEquals(COUNSELLOR, assertInstanceOf(Action.Kick.class, first).userId());
  }
}
