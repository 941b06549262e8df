package be.praatbrug.policy.rooms;

import static be.praatbrug.policy.rooms.RoomFixtures.CLIENT;
import static be.praatbrug.policy.rooms.RoomFixtures.CODE;
import static be.praatbrug.policy.rooms.RoomFixtures.CONTEXT;
import static be.praatbrug.policy.rooms.RoomFixtures.COUNSELLOR;
import static be.praatbrug.policy.rooms.RoomFixtures.ROOM;
import static be.praatbrug.policy.rooms.RoomFixtures.STRANGER;
import static be.praatbrug.policy.rooms.RoomFixtures.member;
import static be.praatbrug.policy.rooms.RoomFixtures.room;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The admission on record (who was let in, written before the invite) keeps a bridge that died
 * between the invite and the join from taking the client for an intruder.
 */
class AdmissionDecisionsTest {

  /** {@code room} with {@code CLIENT} on record as let in, no session yet. */
  private static RoomSnapshot admitted(RoomSnapshot room) {
    return new RoomSnapshot(room.roomId(), room.name(), room.policyName(), room.counsellorId(),
        room.controlRoomId(), null, true, room.memberships(), room.state(), List.of(), room.now(),
        null, null, CLIENT);
  }

  @Test
  void reconciliationAfterACrashKeepsTheAdmittedClientStartsTheSessionAndRemovesTheIntruder() {
    // The bridge died after the invite; meanwhile the client joined, and so did a stranger
    // the counsellor invited.
    RoomSnapshot found = admitted(room()).withMembership(CLIENT, "join").withMembership(STRANGER, "join");

    List<Action> actions = RoomPolicyDecider.reconcile(CONTEXT, found);

    assertTrue(actions.contains(new Action.Kick(ROOM, STRANGER, "beleid van de organisatie")), actions.toString());
    assertTrue(actions.stream().noneMatch(action -> action instanceof Action.Kick kick
        && kick.userId().equals(CLIENT)), actions.toString());
    assertTrue(actions.contains(new Action.StartSession(ROOM, CLIENT)), actions.toString());
  }

  @Test
  void withoutTheAdmissionOnRecordTheSameJoinIsRemoved() {
    RoomSnapshot found = room().withMembership(CLIENT, "join");

    assertTrue(RoomPolicyDecider.reconcile(CONTEXT, found)
        .contains(new Action.Kick(ROOM, CLIENT, "beleid van de organisatie")));
  }

  @Test
  void anInviteThatNeverWentOutIsSentByReconciliation() {
    RoomSnapshot found = admitted(room()).withMembership(CLIENT, "knock");

    assertTrue(RoomPolicyDecider.reconcile(CONTEXT, found).contains(new Action.Invite(ROOM, CLIENT)));
  }

  @Test
  void theResentJoinOfTheAdmittedClientStartsTheSession() {
    // Reconciliation loaded the room first, so the client already shows as joined.
    RoomSnapshot loaded = admitted(room()).withMembership(CLIENT, "join");

    List<Action> actions = assertInstanceOf(Decision.Act.class,
        RoomPolicyDecider.decide(CONTEXT, loaded, member(CLIENT, CLIENT, "join"))).actions();

    assertEquals(new Action.StartSession(ROOM, CLIENT), actions.get(0));
  }

  @Test
  void aResentKnockOfSomeoneAlreadyInIsIgnored() {
    RoomSnapshot in = room().withMembership(CLIENT, "invite");

    assertInstanceOf(Decision.Ignore.class,
        RoomPolicyDecider.decide(CONTEXT, in, member(CLIENT, CLIENT, "knock", CODE)));
  }

  @Test
  void aResentKnockOfTheAdmittedClientWhoseInviteNeverWentOutIsInvited() {
    RoomSnapshot knocking = admitted(room()).withMembership(CLIENT, "knock");

    assertEquals(Decision.act(new Action.Invite(ROOM, CLIENT)),
        RoomPolicyDecider.decide(CONTEXT, knocking, member(CLIENT, CLIENT, "knock", CODE)));
  }

  @Test
  void theAdmissionDoesNotOutliveTheSessionStart() {
    RoomSnapshot started = new RoomSnapshot(ROOM, "r", "caw", COUNSELLOR, RoomFixtures.CONTROL, STRANGER,
        true, room().withMembership(STRANGER, "join").withMembership(CLIENT, "join").memberships(),
        room().state(), List.of(), RoomFixtures.NOW, null, null, CLIENT);

    assertTrue(RoomPolicyDecider.reconcile(CONTEXT, started)
        .contains(new Action.Kick(ROOM, CLIENT, "beleid van de organisatie")));
  }
}
