package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Family sessions on a real Synapse: the room admits exactly the named places, each with its own
 * code after its own consent; a second person on a place, a reused code, an invite from the
 * counsellor and a fifth person all stay out, and the counsellor hears who tried. The ledger has
 * every participant's part in the session under their own record.
 */
class FamilyRoomIT extends FamilySessionSteps {

  @Test
  void aFamilyRoomAdmitsExactlyTheNamedPlacesAndTellsWhoTried() throws Exception {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
        "!gesprek nieuw gezin", WAIT);
    String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
    assertTrue(room.answer().contains("!gesprek deelnemer"), room.answer());
    Place motherPlace = addPlace("mama van Sara", name);
    Place fatherPlace = addPlace("papa van Sara", name);
    assertEquals(List.of(2, 3), List.of(motherPlace.number(), fatherPlace.number()));
    assertTrue(ask("!gesprek deelnemer oma " + name, "plaatsen").contains("het meeste dat het beleid toelaat"));
    for (MatrixTestClient person : List.of(pupil, mother, father, stranger)) {
      giveConsent(person);
    }

    // Each enters with the code of their own place.
    enter(pupil, room.roomId(), room.code());
    enter(mother, room.roomId(), motherPlace.code());
    awaitNotice(mother.userId() + " klopte aan bij '" + name + "' met de code van plaats 2 ("
        + motherPlace.ref() + ")");
    enter(father, room.roomId(), fatherPlace.code());

    // A reused code opens nothing: the knock waits, the counsellor hears who, and cannot admit it.
    stranger.knock(room.roomId(), motherPlace.code());
    awaitNotice(stranger.userId() + " klopt aan bij gezinsgesprek '" + name + "' zonder geldige code");
    assertEquals("knock", counsellor.membership(room.roomId(), stranger.userId()));
    assertTrue(ask("!gesprek toelaten " + stranger.userId() + " " + name, "gezinsgesprek")
        .contains("code van een eigen plaats"));
    assertEquals("knock", counsellor.membership(room.roomId(), stranger.userId()));

    // Nor does the counsellor's own invite: everyone comes in on a place.
    counsellor.sendText(controlRoom, "!gesprek weigeren " + stranger.userId() + " " + name);
    awaitMembership(room.roomId(), stranger.userId(), "leave");
    counsellor.invite(room.roomId(), stranger.userId());
    try {
      stranger.join(room.roomId());
    } catch (IllegalStateException inviteAlreadyWithdrawn) {
      // The bridge was faster than the join; that is the good outcome.
    }
    awaitMembership(room.roomId(), stranger.userId(), "leave");
    awaitNotice("De uitnodiging van " + stranger.userId() + " in gezinsgesprek '" + name + "' is ingetrokken");

    for (MatrixTestClient person : List.of(pupil, mother, father)) {
      assertEquals("join", counsellor.membership(room.roomId(), person.userId()), person.userId());
    }
    String listed = ask("!gesprek lijst", "plaats/place 3");
    assertTrue(listed.contains(motherPlace.ref() + " (binnen/in)"), listed);

    // The end: everyone out, and each participant's part in the session under their own record.
    endAndAwaitEachPart(room.roomId(), name, motherPlace, fatherPlace);
    List<JsonObject> motherEntries = sessionEntries(motherPlace.ref());
    assertEquals("2", motherEntries.get(0).getString("place"));
    assertEquals(motherEntries.get(0).getString("session_id"), motherEntries.get(1).getString("session_id"));
    try (Connection db = ItStore.open(bridge.config().database());
        ResultSet rows = db.createStatement().executeQuery("SELECT COUNT(*) FROM room_places")) {
      rows.next();
      assertEquals(0, rows.getInt(1), "who took a place is forgotten with the session");
    }
  }

  @Test
  void everyoneConsentsForThemselvesAndIsLetInOnceTheyHave() {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
        "!gesprek nieuw gezin", WAIT);
    String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
    Place motherPlace = addPlace("mama", name);
    giveConsent(pupil);
    enter(pupil, room.roomId(), room.code());

    // The mother's code is valid, but her own consent is not on record: the pupil's is not hers.
    mother.knock(room.roomId(), motherPlace.code());
    awaitNotice(mother.userId() + " kan nog niet binnen in '" + name + "'");
    assertEquals("knock", counsellor.membership(room.roomId(), mother.userId()));

    // Once she consents, her waiting knock lets her in on her place without knocking again.
    giveConsent(mother);
    awaitMembership(room.roomId(), mother.userId(), "invite");
    mother.join(room.roomId());
    awaitMembership(room.roomId(), mother.userId(), "join");

    // She leaves and comes back: her place is still hers, her spent code does not matter.
    mother.call(io.vertx.core.http.HttpMethod.POST, "/_matrix/client/v3/rooms/"
        + MatrixTestClient.encode(room.roomId()) + "/leave", new JsonObject());
    awaitMembership(room.roomId(), mother.userId(), "leave");
    enter(mother, room.roomId(), "whatever");
  }

  @Test
  void twoPeopleWithOnePlacesCodeAtTheSameMomentLeaveOneOut() throws Exception {
    giveConsent(mother);
    giveConsent(father);
    // A race is shown fixed by running it again and again: a fresh room each round.
    for (int round = 0; round < 5; round++) {
      MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
          "!gesprek nieuw gezin", WAIT);
      String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
      Place motherPlace = addPlace("mama", name);
      // Both knock with the mother's code at once.
      List<Thread> knocks = new ArrayList<>();
      for (MatrixTestClient person : List.of(mother, father)) {
        Thread knock = new Thread(() -> person.knock(room.roomId(), motherPlace.code()));
        knock.start();
        knocks.add(knock);
      }
      for (Thread knock : knocks) {
        knock.join();
      }
      eventually(WAIT, "one of them let in", () -> Optional.of(invited(room.roomId())).filter(n -> n == 1));
      String holder = holderOfPlace(room.roomId(), 2);
      // The other one's knock was answered too (kept out or waiting), and nobody else got in.
      MatrixTestClient other = holder.equals(mother.userId()) ? father : mother;
      eventually(WAIT, "the counsellor told about " + other.userId(), () ->
          counsellor.messageBodies(controlRoom, bot(), 30).stream()
              .filter(body -> body.contains(other.userId()) && body.contains("'" + name + "'")
                  && (body.contains("zonder geldige code") || body.contains("al ingenomen")))
              .findFirst());
      Thread.sleep(500);
      assertEquals(1, invited(room.roomId()), "one place, one person (round " + round + ")");
      assertEquals("invite", counsellor.membership(room.roomId(), holder));
      assertFalse("invite".equals(counsellor.membership(room.roomId(), other.userId())));
      counsellor.sendText(controlRoom, "!gesprek einde " + name);
      awaitMembership(room.roomId(), holder, "leave");
    }
  }

  @Test
  void aChildUnder12GoesInOnceTheParentOnTheirOwnPlaceAgreed() throws Exception {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
        "!gesprek nieuw gezin", WAIT);
    String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
    Place interpreterPlace = addPlace("tolk", name);
    String bridgeUrl = "http://127.0.0.1:" + bridge.config().appservice().port();
    MatrixTestClient entry = new MatrixTestClient(bridge.vertx(), bridgeUrl);

    // With only an interpreter's place, the pupil's page does not offer "my parent takes part",
    // and the bridge refuses it.
    JsonObject noParent = entry.call(io.vertx.core.http.HttpMethod.POST, "/_praatbrug/entry/v1/code",
        new JsonObject().put("code", room.code()));
    assertEquals(true, noParent.getBoolean("family"));
    assertEquals(false, noParent.getBoolean("parent_in_session"));
    String version = noParent.getJsonObject("consent").getString("version");
    JsonObject leaningOnAParent = new JsonObject().put("code", room.code()).put("name", "Sara")
        .put("under_12", true).put("guardian_in_session", true).put("agreed", true)
        .put("language", "nl").put("consent_version", version);
    IllegalStateException noParentYet = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> linkGuest(entry, leaningOnAParent.copy()));
    assertTrue(noParentYet.getMessage().contains("guardian_in_session"), noParentYet.getMessage());

    // The counsellor names the mother's place a parent's: now the pupil (under 12) says her mother
    // takes part and agrees on her own place.
    Place parentPlace = addPlace("ouder", "mama", name);
    assertEquals(true, entry.call(io.vertx.core.http.HttpMethod.POST, "/_praatbrug/entry/v1/code",
        new JsonObject().put("code", room.code())).getBoolean("parent_in_session"));
    MatrixTestClient child = linkGuest(entry, leaningOnAParent);
    child.knock(room.roomId(), room.code());
    awaitNotice(child.userId() + " kan nog niet binnen in '" + name + "'");
    assertEquals("knock", counsellor.membership(room.roomId(), child.userId()));

    // An adult in the session who is not the parent (the interpreter) does not agree for her: her
    // coming in makes the bridge look at the waiting knock again (before it tells the counsellor
    // she is in), and the knock stays.
    MatrixTestClient interpreter = linkGuest(entry, new JsonObject().put("code", interpreterPlace.code())
        .put("name", "Tolk").put("agreed", true).put("language", "nl").put("consent_version", version));
    enter(interpreter, room.roomId(), interpreterPlace.code());
    awaitNotice("👋 " + interpreter.userId());
    Thread.sleep(1000);
    assertEquals("knock", counsellor.membership(room.roomId(), child.userId()));
    // Her mother consents with her own link: not enough while she is not in the session.
    MatrixTestClient parent = linkGuest(entry, new JsonObject().put("code", parentPlace.code())
        .put("name", "An").put("agreed", true).put("language", "nl").put("consent_version", version));
    Thread.sleep(1500);
    assertEquals("knock", counsellor.membership(room.roomId(), child.userId()));
    // Once the mother is in on her own place, the child's waiting knock goes in.
    enter(parent, room.roomId(), parentPlace.code());
    awaitMembership(room.roomId(), child.userId(), "invite");
    child.join(room.roomId());
    awaitMembership(room.roomId(), child.userId(), "join");

    // A one-to-one room's link does not offer it, and the bridge refuses it there.
    MatrixTestClient.NewRoom single = counsellor.newCounsellingRoom(controlRoom, bot(), "!gesprek nieuw", WAIT);
    assertEquals(false, entry.call(io.vertx.core.http.HttpMethod.POST, "/_praatbrug/entry/v1/code",
        new JsonObject().put("code", single.code())).getBoolean("family"));
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> linkGuest(entry, new JsonObject().put("code", single.code()).put("name", "Bram")
            .put("under_12", true).put("guardian_in_session", true).put("agreed", true)
            .put("language", "nl").put("consent_version", version)));
    assertTrue(refused.getMessage().contains("guardian_in_session"), refused.getMessage());
  }

  @Test
  void theCounsellorTakesAParticipantOutAndOnlyANewCodeBringsThemBack() {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bot(),
        "!gesprek nieuw gezin", WAIT);
    String name = counsellor.state(room.roomId(), "m.room.name").getString("name");
    Place motherPlace = addPlace("mama", name);
    giveConsent(pupil);
    giveConsent(mother);
    enter(pupil, room.roomId(), room.code());
    enter(mother, room.roomId(), motherPlace.code());
    // The family session's widget says how many people its call holds.
    String widgetUrl = counsellor.call(io.vertx.core.http.HttpMethod.GET, "/_matrix/client/v3/rooms/"
        + MatrixTestClient.encode(room.roomId()) + "/state/im.vector.modular.widgets/praatbrug_call", null)
        .getString("url");
    assertTrue(widgetUrl.endsWith("&people=4&counsellor=%40counsellor%3Acaw.test"), widgetUrl);

    assertTrue(ask("!gesprek verwijder " + mother.userId() + " " + name, "is uit")
        .contains("!gesprek code " + name + " 2"));
    awaitMembership(room.roomId(), mother.userId(), "leave");
    assertEquals("join", counsellor.membership(room.roomId(), pupil.userId()), "the session goes on");
    eventually(WAIT, "her part in the session ended under her record", () ->
        sessionEntries(motherPlace.ref()).size() == 2 ? Optional.of(true) : Optional.empty());

    // Knocking again, with the old code or without: she waits, and the counsellor hears it.
    mother.knock(room.roomId(), motherPlace.code());
    awaitNotice(mother.userId() + " klopt aan bij gezinsgesprek '" + name + "' zonder geldige code");
    assertEquals("knock", counsellor.membership(room.roomId(), mother.userId()));
    // A new code for her place brings her back.
    Matcher fresh = Pattern.compile("Code: ([A-Z0-9-]+) ").matcher(
        ask("!gesprek code " + name + " 2", "Nieuwe code voor plaats 2"));
    assertTrue(fresh.find());
    mother.call(io.vertx.core.http.HttpMethod.POST, "/_matrix/client/v3/rooms/"
        + MatrixTestClient.encode(room.roomId()) + "/leave", new JsonObject());
    awaitMembership(room.roomId(), mother.userId(), "leave");
    enter(mother, room.roomId(), fresh.group(1));
  }

  private long invited(String roomId) {
    return List.of(mother, father).stream()
        .filter(person -> "invite".equals(counsellor.membership(roomId, person.userId()))).count();
  }

  private String holderOfPlace(String roomId, int place) {
    try (Connection db = ItStore.open(bridge.config().database());
        PreparedStatement query = db.prepareStatement(
            "SELECT user_id FROM room_places WHERE room_id = ? AND place = ?")) {
      query.setString(1, roomId);
      query.setInt(2, place);
      try (ResultSet rows = query.executeQuery()) {
        assertTrue(rows.next());
        return rows.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
