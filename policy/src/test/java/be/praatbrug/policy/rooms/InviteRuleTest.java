package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.CONTEXT;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One table for the invite rule, run through both paths that apply it: the invite event as it
 * arrives, and a reconciliation that finds the same invite standing in the room. Both must reach
 * the same verdict (the reason of the removal, or none).
 */
class InviteRuleTest {

  @ParameterizedTest(name = "{0} invites {1} into an {2} room: {3}")
  @CsvSource(nullValues = "-", value = {
      // inviter,             invitee,               room,   removal reason
      "@counsellor:caw.test, @client:caw.test,      open,   -",
      "@stranger:caw.test,   @client:caw.test,      open,   alleen de hulpverlener nodigt uit",
      "@client:caw.test,     @stranger:caw.test,    open,   alleen de hulpverlener nodigt uit",
      "@counsellor:caw.test, @stranger:caw.test,    open,   nog geen toestemming",
      "@counsellor:caw.test, @someone:elsewhere.org, open,  server niet toegelaten",
      "@counsellor:caw.test, @client:caw.test,      closed, gesprek afgesloten",
  })
  void theEventPathAndReconcileAgree(String inviter, String invitee, String state, String expected) {
    RoomSnapshot room = "open".equals(state) ? RoomFixtures.room() : closed(RoomFixtures.room());
    if (!inviter.equals(COUNSELLOR)) {
      // Whoever invites is in the room (else the homeserver would refuse the invite).
      room = room.withMembership(inviter, "join");
    }
    MatrixEvent invite = member(inviter, invitee, "invite");

    Decision onEvent = RoomPolicyDecider.decide(CONTEXT, room, invite);
    List<Action> onReconcile = RoomPolicyDecider.reconcile(CONTEXT, room.apply(invite));

    assertEquals(Optional.ofNullable(expected), removalOf(invitee, onEvent instanceof Decision.Act act
        ? act.actions() : List.of()), "when the invite arrives");
    assertEquals(Optional.ofNullable(expected), removalOf(invitee, onReconcile), "on reconcile");
  }

  private static Optional<String> removalOf(String userId, List<Action> actions) {
    return actions.stream().filter(Action.Kick.class::isInstance).map(Action.Kick.class::cast)
        .filter(kick -> kick.userId().equals(userId)).map(Action.Kick::reason).findFirst();
  }

  private static RoomSnapshot closed(RoomSnapshot room) {
    return new RoomSnapshot(room.roomId(), room.name(), room.policyName(), room.counsellorId(),
        room.controlRoomId(), room.clientId(), false, room.memberships(), room.state(), room.codes(),
        room.now());
  }
}
