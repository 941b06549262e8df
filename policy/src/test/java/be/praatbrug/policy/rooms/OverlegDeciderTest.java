package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.BOT;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTROL;
import static be.praatbrug.policy.rooms.RoomFixtures.KEY;
import static be.praatbrug.policy.rooms.RoomFixtures.NOW;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Overleg rooms: professionals of partner servers, up to the limit, never clients. */
class OverlegDeciderTest {

  private static final String CONVENOR = "@counsellor:caw.test";
  private static final String COLLEAGUE = "@colleague:caw.test";
  private static final String PARTNER = "@counsellor:clb.test";
  private static final String CLIENT_IN_SESSION = "@client:caw.test";
  private static final Policy OVERLEG = new Policy("overleg", "caw-clb", "nl-BE", 3, "invite", true,
      "joined", "forbidden", Policy.PowerLevels.DEFAULT, Duration.ofDays(30),
      List.of("caw.test", "clb.test"), false, false, false, Duration.ofHours(24), true,
      Policy.OVERLEG, null);
  private static final PolicyContext CONTEXT = new PolicyContext(new BotContext(BOT, "caw.test"),
      OVERLEG, KEY, Set.of(), Map.of(), new Clients("praatbrug_guest_", Set.of(CLIENT_IN_SESSION)));

  private static RoomSnapshot room(Map<String, String> others) {
    Map<String, String> members = new HashMap<>(Map.of(BOT, "join", CONVENOR, "join"));
    members.putAll(others);
    Map<String, Map<String, Object>> state = new HashMap<>();
    ExpectedRoomState.of(OVERLEG, BOT, CONVENOR, true)
        .forEach((type, content) -> state.put(RoomSnapshot.stateKey(type, ""), content));
    return new RoomSnapshot(ROOM, "stille-gele-vos", "overleg", CONVENOR, CONTROL, null, true,
        members, state, List.of(), NOW);
  }

  static Stream<Arguments> allowed() {
    return Stream.of(
        Arguments.of("the convenor inviting a partner professional", room(Map.of()),
            member(CONVENOR, PARTNER, "invite")),
        Arguments.of("an invited partner professional joining", room(Map.of(PARTNER, "invite")),
            member(PARTNER, PARTNER, "join")),
        Arguments.of("a colleague joining as the third of three", room(Map.of(PARTNER, "join", COLLEAGUE, "invite")),
            member(COLLEAGUE, COLLEAGUE, "join")));
  }

  @ParameterizedTest(name = "allows {0}")
  @MethodSource("allowed")
  void allows(String what, RoomSnapshot room, MatrixEvent event) {
    assertInstanceOf(Decision.Ignore.class, RoomPolicyDecider.decide(CONTEXT, room, event), what);
  }

  static Stream<Arguments> removed() {
    return Stream.of(
        Arguments.of("an account made for clients", room(Map.of()),
            member(CONVENOR, "@praatbrug_guest_x1:clb.test", "invite"), "@praatbrug_guest_x1:clb.test"),
        Arguments.of("the client of an open session", room(Map.of(CLIENT_IN_SESSION, "invite")),
            member(CLIENT_IN_SESSION, CLIENT_IN_SESSION, "join"), CLIENT_IN_SESSION),
        Arguments.of("a server outside the allowlist", room(Map.of()),
            member(CONVENOR, "@x:other.test", "invite"), "@x:other.test"),
        Arguments.of("a fourth person over the limit of three", room(Map.of(PARTNER, "join", COLLEAGUE, "join")),
            member(CONVENOR, "@third:clb.test", "invite"), "@third:clb.test"),
        Arguments.of("an invite by someone other than the convenor", room(Map.of(PARTNER, "join")),
            member(PARTNER, COLLEAGUE, "invite"), COLLEAGUE),
        Arguments.of("a join without an invite", room(Map.of()), member(COLLEAGUE, COLLEAGUE, "join"), COLLEAGUE),
        Arguments.of("a knock", room(Map.of()), member(COLLEAGUE, COLLEAGUE, "knock"), COLLEAGUE));
  }

  @ParameterizedTest(name = "removes {0}")
  @MethodSource("removed")
  void removes(String what, RoomSnapshot room, MatrixEvent event, String userId) {
    Decision decision = RoomPolicyDecider.decide(CONTEXT, room, event);
    Action first = assertInstanceOf(Decision.Act.class, decision, what).actions().get(0);
    assertEquals(userId, assertInstanceOf(Action.Kick.class, first).userId(), what);
  }

  @Test
  void aClientIsToldApartInTheNotice() {
    Decision decision = RoomPolicyDecider.decide(CONTEXT, room(Map.of()),
        member(CONVENOR, "@praatbrug_guest_x1:clb.test", "invite"));
    Action.SendNotice notice = (Action.SendNotice) ((Decision.Act) decision).actions().get(1);
    assertTrue(notice.plainText().contains("enkel voor professionals"));
  }

  @Test
  void reconcileRemovesClientsAndOutsidersButKeepsProfessionals() {
    RoomSnapshot room = room(Map.of(PARTNER, "join", CLIENT_IN_SESSION, "join", "@x:other.test", "join"));

    List<Action> kicks = RoomPolicyDecider.reconcile(CONTEXT, room).stream()
        .filter(Action.Kick.class::isInstance).toList();

    assertEquals(Set.of(CLIENT_IN_SESSION, "@x:other.test"),
        Set.copyOf(kicks.stream().map(kick -> ((Action.Kick) kick).userId()).toList()));
  }

  @Test
  void noSessionStartsInAnOverlegRoom() {
    Decision decision = RoomPolicyDecider.decide(CONTEXT, room(Map.of(PARTNER, "invite")), member(PARTNER, PARTNER, "join"));
    assertInstanceOf(Decision.Ignore.class, decision);
  }
}
