package be.praatbrug.policy.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestBoundaryTest {

  private static final GuestNamespace GUESTS = new GuestNamespace("praatbrug_guest_", "caw.test");
  private static final String GUEST = "@praatbrug_guest_k3x9:caw.test";
  private static final String OTHER_GUEST = "@praatbrug_guest_zz00:caw.test";
  private static final String OWN_ROOM = "!own:caw.test";
  private static final String ELSEWHERE = "!elsewhere:caw.test";
  private static final Map<String, String> ASSIGNED = Map.of(GUEST, OWN_ROOM);

  private static MatrixEvent member(String room, String sender, String target, String membership) {
    return new MatrixEvent(room, "$m", sender, "m.room.member", target, Map.of("membership", membership));
  }

  static Stream<Arguments> cases() {
    Optional<Decision> stay = Optional.empty();
    return Stream.of(
        Arguments.of("knock on its own room", member(OWN_ROOM, GUEST, GUEST, "knock"), stay),
        Arguments.of("joins its own room", member(OWN_ROOM, GUEST, GUEST, "join"), stay),
        Arguments.of("invited into its own room", member(OWN_ROOM, "@bot:caw.test", GUEST, "invite"), stay),
        Arguments.of("message in its own room",
            new MatrixEvent(OWN_ROOM, "$x", GUEST, "m.room.encrypted", null, Map.of()), stay),
        Arguments.of("knock elsewhere", member(ELSEWHERE, GUEST, GUEST, "knock"), leave(ELSEWHERE, GUEST)),
        Arguments.of("joins elsewhere", member(ELSEWHERE, GUEST, GUEST, "join"), leave(ELSEWHERE, GUEST)),
        Arguments.of("invited elsewhere", member(ELSEWHERE, "@someone:caw.test", GUEST, "invite"),
            leave(ELSEWHERE, GUEST)),
        Arguments.of("leaving elsewhere is fine", member(ELSEWHERE, GUEST, GUEST, "leave"), stay),
        Arguments.of("creates a room",
            new MatrixEvent(ELSEWHERE, "$c", GUEST, "m.room.create", "", Map.of()), leave(ELSEWHERE, GUEST)),
        Arguments.of("unknown guest anywhere", member(OWN_ROOM, OTHER_GUEST, OTHER_GUEST, "knock"),
            leave(OWN_ROOM, OTHER_GUEST)),
        Arguments.of("ordinary users are not guests", member(ELSEWHERE, "@an:caw.test", "@an:caw.test", "join"),
            stay),
        // Not an account of ours: the bridge cannot act as it; room policy deals with strangers.
        Arguments.of("a look-alike on another server is no guest of ours",
            member(ELSEWHERE, "@praatbrug_guest_k3x9:evil.test", "@praatbrug_guest_k3x9:evil.test", "join"),
            stay));
  }

  private static Optional<Decision> leave(String room, String guest) {
    return Optional.of(Decision.act(new Action.LeaveAsGuest(room, guest)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void keepsGuestsInTheirRoom(String name, MatrixEvent event, Optional<Decision> expected) {
    assertEquals(expected, GuestBoundary.decide(GUESTS, ASSIGNED, event));
  }
}
