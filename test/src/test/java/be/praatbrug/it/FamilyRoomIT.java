package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Family sessions on a real Synapse: the room admits exactly the named places, each with its own
 * code after its own consent; a second person on a place, a reused code, an invite from the
 * counsellor and a fifth person all stay out, and the counsellor hears who tried. The ledger has
 * every participant's part in the session under their own record.
 */
class FamilyRoomIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern PLACE = Pattern.compile(
      "Plaats ([0-9]) in gezinsgesprek '[a-z-]+' is voor cliëntdossier (C-[A-Z0-9]{4}-[A-Z0-9]{4})\\."
          + "[^\\n]*\\nCode: ([A-Z0-9-]+) ");
  private static TestHomeserver homeserver;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest();
  private MatrixTestClient counsellor;
  private MatrixTestClient pupil;
  private MatrixTestClient mother;
  private MatrixTestClient father;
  private MatrixTestClient stranger;
  private String controlRoom;

  /** A named place as the bot announced it. */
  private record Place(int number, String ref, String code) {}

  @BeforeAll
  static void startHomeserver() throws Exception {
    homeserver = TestHomeserver.get();
    for (String user : List.of("counsellor", "pupil", "mother", "father", "stranger")) {
      homeserver.register(user, PASSWORD);
    }
  }

  @BeforeEach
  void signInPeople() throws Exception {
    counsellor = login("counsellor");
    pupil = login("pupil");
    mother = login("mother");
    father = login("father");
    stranger = login("stranger");
    controlRoom = bridge.openDirectChat(counsellor);
  }

  private MatrixTestClient login(String user) throws Exception {
    return new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login(user, PASSWORD);
  }

  private void giveConsent(MatrixTestClient person) {
    String chat = bridge.openDirectChat(person);
    person.sendText(chat, "!toestemming");
    eventually(WAIT, "the consent text", () -> person.messageBodies(chat, bot(), 10).stream()
        .filter(body -> body.contains("!toestemming geef")).findFirst());
    person.sendText(chat, "!toestemming geef");
    eventually(WAIT, "the consent to be recorded", () -> person.messageBodies(chat, bot(), 10)
        .stream().filter(body -> body.contains("toestemming is genoteerd")).findFirst());
  }

  private String bot() {
    return bridge.config().botUserId();
  }

  /** The bot's answer to {@code command} in the counsellor's chat that contains {@code wanted}. */
  private String ask(String command, String wanted) {
    String asked = counsellor.sendText(controlRoom, command);
    return eventually(WAIT, "the answer to " + command, () -> counsellor.messageFrom(controlRoom, bot(), asked)
        .map(event -> event.getJsonObject("content").getString("body"))
        .filter(body -> body.contains(wanted)));
  }

  private Place addPlace(String who, String roomName) {
    return addPlace("deelnemer", who, roomName);
  }

  /** A place named with {@code !gesprek <kind>}: {@code deelnemer}, or {@code ouder} for a parent's. */
  private Place addPlace(String kind, String who, String roomName) {
    Matcher place = PLACE.matcher(ask("!gesprek " + kind + " " + who + " " + roomName, "gezinsgesprek"));
    assertTrue(place.find(), "a place with its record and code");
    return new Place(Integer.parseInt(place.group(1)), place.group(2), place.group(3));
  }

  /**
   * Ends the session of pupil, mother and father; waits until each is out and both ends of the
   * session are under each one's own record.
   */
  private void endAndAwaitEachPart(String roomId, String name, Place motherPlace, Place fatherPlace) {
    counsellor.sendText(controlRoom, "!gesprek einde " + name);
    for (MatrixTestClient person : List.of(pupil, mother, father)) {
      awaitMembership(roomId, person.userId(), "leave");
    }
    eventually(WAIT, "both ends of the session under each parent's record", () ->
        sessionEntries(motherPlace.ref()).size() == 2 && sessionEntries(fatherPlace.ref()).size() == 2
            ? Optional.of(true) : Optional.empty());
    assertEquals(2, sessionEntries(pupilRef(roomId)).size(), "the pupil's own record too");
  }

  private void awaitMembership(String roomId, String userId, String membership) {
    eventually(WAIT, userId + " to be '" + membership + "'", () ->
        membership.equals(counsellor.membership(roomId, userId)) ? Optional.of(true) : Optional.empty());
  }

  private void awaitNotice(String text) {
    eventually(WAIT, "a notice containing '" + text + "'", () ->
        counsellor.messageBodies(controlRoom, bot(), 30).stream()
            .filter(body -> body.contains(text)).findFirst());
  }

  private void enter(MatrixTestClient person, String roomId, String code) {
    person.knock(roomId, code);
    awaitMembership(roomId, person.userId(), "invite");
    person.join(roomId);
    awaitMembership(roomId, person.userId(), "join");
  }

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

    // An adult in the session who is not the parent (the interpreter) does not agree for her.
    MatrixTestClient interpreter = linkGuest(entry, new JsonObject().put("code", interpreterPlace.code())
        .put("name", "Tolk").put("agreed", true).put("language", "nl").put("consent_version", version));
    enter(interpreter, room.roomId(), interpreterPlace.code());
    // Her mother consents with her own link: not enough while she is not in the session.
    MatrixTestClient parent = linkGuest(entry, new JsonObject().put("code", parentPlace.code())
        .put("name", "An").put("agreed", true).put("language", "nl").put("consent_version", version));
    Thread.sleep(3000);
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

  private MatrixTestClient linkGuest(MatrixTestClient entry, JsonObject form) {
    JsonObject guest = entry.call(io.vertx.core.http.HttpMethod.POST, "/_praatbrug/entry/v1/guests", form);
    return new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .withToken(guest.getString("access_token"), guest.getString("user_id"));
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

  private String pupilRef(String roomId) {
    try (Connection db = ItStore.open(bridge.config().database());
        PreparedStatement query = db.prepareStatement(
            "SELECT client_ref FROM counselling_rooms WHERE room_id = ?")) {
      query.setString(1, roomId);
      try (ResultSet rows = query.executeQuery()) {
        assertTrue(rows.next());
        return rows.getString(1);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The session entries under {@code ref}, oldest first, as their public fields. */
  private List<JsonObject> sessionEntries(String ref) {
    try (Connection db = ItStore.open(bridge.config().database());
        PreparedStatement query = db.prepareStatement("SELECT fields FROM ledger_entries"
            + " WHERE client_ref = ? AND kind IN ('session_started', 'session_ended') ORDER BY position")) {
      query.setString(1, ref);
      List<JsonObject> entries = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          entries.add(new JsonObject(rows.getString(1)));
        }
      }
      return entries;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
