package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the family session ITs share: the people (counsellor, pupil, mother, father, stranger),
 * a bridge of their own on the shared Synapse, and the steps they take (asking the bot, naming
 * places, consenting, knocking in) and read back (notices, memberships, the ledger).
 */
abstract class FamilySessionSteps {

  static final String PASSWORD = "correct horse battery staple";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Pattern PLACE = Pattern.compile(
      "Plaats ([0-9]) in gezinsgesprek '[a-z-]+' is voor cliëntdossier (C-[A-Z0-9]{4}-[A-Z0-9]{4})\\."
          + "[^\\n]*\\nCode: ([A-Z0-9-]+) ");
  static TestHomeserver homeserver;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest();
  MatrixTestClient counsellor;
  MatrixTestClient pupil;
  MatrixTestClient mother;
  MatrixTestClient father;
  MatrixTestClient stranger;
  String controlRoom;

  /** A named place as the bot announced it. */
  record Place(int number, String ref, String code) {}

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

  MatrixTestClient login(String user) throws Exception {
    return new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login(user, PASSWORD);
  }

  void giveConsent(MatrixTestClient person) {
    String chat = bridge.openDirectChat(person);
    person.sendText(chat, "!toestemming");
    eventually(WAIT, "the consent text", () -> person.messageBodies(chat, bot(), 10).stream()
        .filter(body -> body.contains("!toestemming geef")).findFirst());
    person.sendText(chat, "!toestemming geef");
    eventually(WAIT, "the consent to be recorded", () -> person.messageBodies(chat, bot(), 10)
        .stream().filter(body -> body.contains("toestemming is genoteerd")).findFirst());
  }

  String bot() {
    return bridge.config().botUserId();
  }

  /** The bot's answer to {@code command} in the counsellor's chat that contains {@code wanted}. */
  String ask(String command, String wanted) {
    String asked = counsellor.sendText(controlRoom, command);
    return eventually(WAIT, "the answer to " + command, () -> counsellor.messageFrom(controlRoom, bot(), asked)
        .map(event -> event.getJsonObject("content").getString("body"))
        .filter(body -> body.contains(wanted)));
  }

  Place addPlace(String who, String roomName) {
    return addPlace("deelnemer", who, roomName);
  }

  /** A place named with {@code !gesprek <kind>}: {@code deelnemer}, or {@code ouder} for a parent's. */
  Place addPlace(String kind, String who, String roomName) {
    Matcher place = PLACE.matcher(ask("!gesprek " + kind + " " + who + " " + roomName, "gezinsgesprek"));
    assertTrue(place.find(), "a place with its record and code");
    return new Place(Integer.parseInt(place.group(1)), place.group(2), place.group(3));
  }

  /**
   * Ends the session of pupil, mother and father; waits until each is out and both ends of the
   * session are under each one's own record.
   */
  void endAndAwaitEachPart(String roomId, String name, Place motherPlace, Place fatherPlace) {
    counsellor.sendText(controlRoom, "!gesprek einde " + name);
    for (MatrixTestClient person : List.of(pupil, mother, father)) {
      awaitMembership(roomId, person.userId(), "leave");
    }
    eventually(WAIT, "both ends of the session under each parent's record", () ->
        sessionEntries(motherPlace.ref()).size() == 2 && sessionEntries(fatherPlace.ref()).size() == 2
            ? Optional.of(true) : Optional.empty());
    assertEquals(2, sessionEntries(pupilRef(roomId)).size(), "the pupil's own record too");
  }

  void awaitMembership(String roomId, String userId, String membership) {
    eventually(WAIT, userId + " to be '" + membership + "'", () ->
        membership.equals(counsellor.membership(roomId, userId)) ? Optional.of(true) : Optional.empty());
  }

  void awaitNotice(String text) {
    eventually(WAIT, "a notice containing '" + text + "'", () ->
        counsellor.messageBodies(controlRoom, bot(), 30).stream()
            .filter(body -> body.contains(text)).findFirst());
  }

  void enter(MatrixTestClient person, String roomId, String code) {
    person.knock(roomId, code);
    awaitMembership(roomId, person.userId(), "invite");
    person.join(roomId);
    awaitMembership(roomId, person.userId(), "join");
  }

  MatrixTestClient linkGuest(MatrixTestClient entry, JsonObject form) {
    JsonObject guest = entry.call(io.vertx.core.http.HttpMethod.POST, "/_praatbrug/entry/v1/guests", form);
    return new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .withToken(guest.getString("access_token"), guest.getString("user_id"));
  }

  String pupilRef(String roomId) {
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
  List<JsonObject> sessionEntries(String ref) {
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
