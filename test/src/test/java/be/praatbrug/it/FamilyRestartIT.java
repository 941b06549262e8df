package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A family session on a real Synapse across a restart of the bridge: places, who holds them and
 * which is a parent's come back from the store, knocks made while it was down are answered, and
 * the session stays one session in the ledger.
 */
class FamilyRestartIT extends FamilySessionSteps {

  @Test
  void aRestartInTheMiddleOfASessionKeepsEveryPlaceAndLetsNobodyElseIn() throws Exception {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
        "!gesprek nieuw gezin", WAIT);
    String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
    Place motherPlace = addPlace("ouder", "mama van Sara", name);
    Place fatherPlace = addPlace("papa van Sara", name);
    for (MatrixTestClient person : List.of(pupil, mother, father, stranger)) {
      giveConsent(person);
    }
    enter(pupil, room.roomId(), room.code());
    enter(mother, room.roomId(), motherPlace.code());
    eventually(WAIT, "the mother's part in the session", () ->
        sessionEntries(motherPlace.ref()).size() == 1 ? Optional.of(true) : Optional.empty());

    // The bridge goes down mid-session; meanwhile someone knocks with the mother's spent code and
    // the father with his own. Synapse resends both knocks once the bridge is back: the bridge's
    // ping at startup makes it retry at once; the margin is for its back-off should that fail.
    bridge.stop();
    stranger.knock(room.roomId(), motherPlace.code());
    father.knock(room.roomId(), fatherPlace.code());
    bridge.start();

    eventually(Duration.ofSeconds(75), "the father let in after the restart", () ->
        "invite".equals(counsellor.membership(room.roomId(), father.userId())) ? Optional.of(true)
            : Optional.empty());
    father.join(room.roomId());
    awaitMembership(room.roomId(), father.userId(), "join");
    awaitNotice(stranger.userId() + " klopt aan bij gezinsgesprek '" + name + "' zonder geldige code");
    assertEquals("knock", counsellor.membership(room.roomId(), stranger.userId()));
    for (MatrixTestClient person : List.of(pupil, mother)) {
      assertEquals("join", counsellor.membership(room.roomId(), person.userId()), person.userId());
    }
    // The places, who holds them and which one is the parent's came back from the store.
    String listed = ask("!gesprek lijst", "plaats/place 3");
    assertTrue(listed.contains(motherPlace.ref() + " ouder/parent (binnen/in)"), listed);
    assertTrue(listed.contains(fatherPlace.ref() + " (binnen/in)"), listed);
    // The father was named a participant; the counsellor makes his place a parent's too.
    ask("!gesprek ouder " + fatherPlace.ref() + " " + name, "is nu die van een ouder of voogd");
    assertTrue(ask("!gesprek lijst", "plaats/place 3").contains(fatherPlace.ref() + " ouder/parent (binnen/in)"));

    // One session across the restart: each participant's part starts and ends once.
    endAndAwaitEachPart(room.roomId(), name, motherPlace, fatherPlace);
    assertEquals(sessionEntries(motherPlace.ref()).get(0).getString("session_id"),
        sessionEntries(fatherPlace.ref()).get(0).getString("session_id"));
  }
}
