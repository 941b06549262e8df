package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verifies that counselling rooms obey their policy on a real Synapse: knock codes, admit and deny,
 * removal of anyone beyond counsellor and client, reverted settings (live and after downtime),
 * retention purges, and the end of a session.
 */
class CounsellingRoomIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static TestHomeserver homeserver;
  private static Path policyDir;

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest()
      .with("PRAATBRUG_ROOMS_POLICY_DIR", () -> policyDir.toString())
      .with("PRAATBRUG_ROOMS_RETENTION_INTERVAL_SECONDS", "1");
  private MatrixTestClient counsellor;
  private MatrixTestClient client;
  private MatrixTestClient stranger;
  private MatrixTestClient admin;
  private String controlRoom;

  @BeforeAll
  static void startHomeserver() throws Exception {
    homeserver = TestHomeserver.get();
    for (String user : List.of("counsellor", "client", "stranger")) {
      homeserver.register(user, PASSWORD);
    }
    // The shipped policies, plus one with a short retention so a purge can be watched.
    policyDir = homeserver.workDir.resolve("policies");
    Files.createDirectories(policyDir);
    String caw = Files.readString(TestHomeserver.repository().resolve("policy/policies/caw.yaml"));
    Files.writeString(policyDir.resolve("caw.yaml"), caw);
    Files.writeString(policyDir.resolve("kort.yaml"),
        PolicyCopies.withoutDoor(caw).replace("max_lifetime: 30d", "max_lifetime: 8s"));
  }

  @BeforeEach
  void signInPeople() throws Exception {
    counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("counsellor", PASSWORD);
    client = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("client", PASSWORD);
    stranger = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("stranger", PASSWORD);
    admin = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login("admin", TestHomeserver.ADMIN_PASSWORD);
    controlRoom = bridge.openDirectChat(counsellor);
    giveConsent(client);
  }

  /** The client reads the consent text with the bot and consents, as the policy requires first. */
  private void giveConsent(MatrixTestClient person) {
    String chat = bridge.openDirectChat(person);
    person.sendText(chat, "!toestemming");
    eventually(WAIT, "the consent text", () -> person.messageBodies(chat, bridge.config().botUserId(), 10).stream()
        .filter(body -> body.contains("!toestemming geef")).findFirst());
    person.sendText(chat, "!toestemming geef");
    eventually(WAIT, "the consent to be recorded", () -> person.messageBodies(chat, bridge.config().botUserId(), 10)
        .stream().filter(body -> body.contains("toestemming is genoteerd")).findFirst());
  }

  /** The counsellor asks the bot for a room; returns {room id, code} from the bot's answer. */
  private String[] newRoom(String policy) {
    MatrixTestClient.NewRoom room = counsellor.newCounsellingRoom(controlRoom, bridge.config().botUserId(),
        "!gesprek nieuw" + (policy == null ? "" : " " + policy), WAIT);
    return new String[] {room.roomId(), room.code()};
  }

  private void awaitMembership(String roomId, String userId, String membership) {
    eventually(WAIT, userId + " to be '" + membership + "'", () ->
        membership.equals(counsellor.membership(roomId, userId)) ? Optional.of(true) : Optional.empty());
  }

  private void awaitNotice(String text) {
    eventually(WAIT, "a notice containing '" + text + "'", () ->
        counsellor.messageBodies(controlRoom, bridge.config().botUserId(), 20).stream()
            .filter(body -> body.contains(text)).findFirst());
  }

  private void admitClient(String roomId, String code) {
    client.knock(roomId, code);
    awaitMembership(roomId, client.userId(), "invite");
    client.join(roomId);
    awaitMembership(roomId, client.userId(), "join");
  }

  @Test
  void createsARoomThatMeetsThePolicyFromTheStart() {
    String room = newRoom(null)[0];

    assertEquals("knock", counsellor.state(room, "m.room.join_rules").getString("join_rule"));
    assertEquals("joined", counsellor.state(room, "m.room.history_visibility").getString("history_visibility"));
    assertEquals("forbidden", counsellor.state(room, "m.room.guest_access").getString("guest_access"));
    assertEquals("m.megolm.v1.aes-sha2", counsellor.state(room, "m.room.encryption").getString("algorithm"));
    assertEquals(2_592_000_000L, counsellor.state(room, "m.room.retention").getLong("max_lifetime"));
    assertEquals(List.of("caw.test", "clb.test"),
        counsellor.state(room, "m.room.server_acl").getJsonArray("allow").getList());
    JsonObject levels = counsellor.state(room, "m.room.power_levels");
    assertEquals(50, levels.getJsonObject("users").getInteger(counsellor.userId()));
    assertEquals(100, levels.getInteger("state_default"));
    JsonObject widget = counsellor.call(HttpMethod.GET, "/_matrix/client/v3/rooms/"
        + MatrixTestClient.encode(room) + "/state/im.vector.modular.widgets/praatbrug_call", null);
    assertTrue(widget.getString("url").contains("/widget/call/"), widget.encode());
    String name = counsellor.state(room, "m.room.name").getString("name");
    assertTrue(name.matches("[a-z]+-[a-z]+-[a-z]+"), "three plain words, no personal data: " + name);
  }

  @Test
  void validCodeAdmitsOnceAndOnlyOnce() {
    String[] room = newRoom(null);

    // GIVEN the client knocks with the code: admitted at once
    admitClient(room[0], room[1]);
    awaitNotice("met een geldige code en is toegelaten");

    // WHEN someone else knocks with the same code, THEN it stays a pending knock
    stranger.knock(room[0], room[1]);
    awaitNotice(stranger.userId() + " klopt aan bij");
    assertEquals("knock", counsellor.membership(room[0], stranger.userId()));
  }

  @Test
  void wrongCodeWaitsForTheCounsellorWhoAdmitsOrDenies() {
    String[] room = newRoom(null);

    client.knock(room[0], "FOUT-CODE");
    awaitNotice(client.userId() + " klopt aan bij");
    assertEquals("knock", counsellor.membership(room[0], client.userId()));
    counsellor.sendText(controlRoom, "!gesprek toelaten " + client.userId());
    awaitMembership(room[0], client.userId(), "invite");

    stranger.knock(room[0], null);
    awaitNotice(stranger.userId() + " klopt aan bij");
    counsellor.sendText(controlRoom, "!session deny " + stranger.userId());
    awaitMembership(room[0], stranger.userId(), "leave");
  }

  @Test
  void nobodyIsLetInBeforeConsentIsOnRecord() {
    String[] room = newRoom(null);

    // A valid code is not enough without consent: the knock waits, and so does the admit command.
    stranger.knock(room[0], room[1]);
    awaitNotice(stranger.userId() + " kan nog niet binnen");
    counsellor.sendText(controlRoom, "!gesprek toelaten " + stranger.userId());
    awaitNotice("er is nog geen toestemming");
    assertEquals("knock", counsellor.membership(room[0], stranger.userId()));

    // Once the stranger consents, the waiting knock with its valid code is let in: no second knock.
    giveConsent(stranger);
    awaitMembership(room[0], stranger.userId(), "invite");
  }

  @Test
  void elementsOwnApproveAndDenyButtonsWork() {
    String room = newRoom(null)[0];

    // Element's "deny" is a kick by the counsellor; its "approve" is an invite by the counsellor.
    stranger.knock(room, null);
    awaitMembership(room, stranger.userId(), "knock");
    counsellor.call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room)
        + "/kick", new JsonObject().put("user_id", stranger.userId()));
    awaitMembership(room, stranger.userId(), "leave");

    client.knock(room, null);
    awaitMembership(room, client.userId(), "knock");
    counsellor.invite(room, client.userId());
    client.join(room);
    awaitMembership(room, client.userId(), "join");
  }

  @Test
  void aThirdPersonIsRemovedWhateverTheRoute() {
    String[] room = newRoom(null);
    admitClient(room[0], room[1]);

    // The counsellor invites a third person, who tries to accept at once: either way they end up out.
    counsellor.invite(room[0], stranger.userId());
    try {
      stranger.join(room[0]);
    } catch (IllegalStateException inviteAlreadyWithdrawn) {
      // The bridge was faster than the join; that is the good outcome.
    }
    awaitMembership(room[0], stranger.userId(), "leave");
    awaitNotice("maximaal 2 personen");
    assertEquals("join", counsellor.membership(room[0], client.userId()), "the client stays");
  }

  @Test
  void theCounsellorCannotWeakenTheRoom() {
    String room = newRoom(null)[0];
    JsonObject escalated = counsellor.state(room, "m.room.power_levels");
    escalated.getJsonObject("users").put(counsellor.userId(), 100);

    assertForbidden(() -> counsellor.setState(room, "m.room.join_rules",
        new JsonObject().put("join_rule", "public")));
    assertForbidden(() -> counsellor.setState(room, "m.room.power_levels", escalated));
    assertForbidden(() -> counsellor.setState(room, "m.room.server_acl", new JsonObject()
        .put("allow", List.of("*")).put("deny", List.of()).put("allow_ip_literals", true)));
    assertEquals("knock", counsellor.state(room, "m.room.join_rules").getString("join_rule"));
  }

  @Test
  void settingsThatDriftAreRevertedAtOnce() {
    String room = newRoom(null)[0];
    // Only the bot's own account has the power to change settings; use it as a stale admin tool would.
    MatrixTestClient withBotPower = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .withToken(bridge.config().appservice().asToken(), bridge.config().botUserId());
    JsonObject escalated = counsellor.state(room, "m.room.power_levels");
    escalated.getJsonObject("users").put(counsellor.userId(), 75);

    withBotPower.setState(room, "m.room.join_rules", new JsonObject().put("join_rule", "public"));
    withBotPower.setState(room, "m.room.power_levels", escalated);

    eventually(WAIT, "the join rule and power levels to be restored", () ->
        "knock".equals(counsellor.state(room, "m.room.join_rules").getString("join_rule"))
            && counsellor.state(room, "m.room.power_levels").getJsonObject("users")
                .getInteger(counsellor.userId()) == 50 ? Optional.of(true) : Optional.empty());
    awaitNotice("is teruggezet volgens het beleid");
  }

  @Test
  void violationsMadeWhileTheBridgeWasDownAreRepairedAtStartup() throws Exception {
    String room = newRoom(null)[0];
    MatrixTestClient withBotPower = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .withToken(bridge.config().appservice().asToken(), bridge.config().botUserId());

    // GIVEN the bridge is down while the room is opened up and a stranger walks in
    bridge.stop();
    JsonObject escalated = counsellor.state(room, "m.room.power_levels");
    escalated.getJsonObject("users").put(counsellor.userId(), 75);
    withBotPower.setState(room, "m.room.power_levels", escalated);
    withBotPower.setState(room, "m.room.join_rules", new JsonObject().put("join_rule", "public"));
    withBotPower.setState(room, "m.room.history_visibility",
        new JsonObject().put("history_visibility", "shared"));
    withBotPower.setState(room, "m.room.server_acl", new JsonObject().put("allow", List.of("*"))
        .put("deny", List.of()).put("allow_ip_literals", true));
    stranger.join(room);
    assertEquals("join", counsellor.membership(room, stranger.userId()));

    // WHEN the bridge starts again, THEN everything is back as the policy says
    bridge.start();
    assertEquals("leave", counsellor.membership(room, stranger.userId()));
    assertEquals("knock", counsellor.state(room, "m.room.join_rules").getString("join_rule"));
    assertEquals("joined", counsellor.state(room, "m.room.history_visibility").getString("history_visibility"));
    assertEquals(List.of("caw.test", "clb.test"),
        counsellor.state(room, "m.room.server_acl").getJsonArray("allow").getList());
    assertEquals(50, counsellor.state(room, "m.room.power_levels").getJsonObject("users")
        .getInteger(counsellor.userId()));
  }

  private static void assertForbidden(Runnable attempt) {
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalStateException.class, attempt::run);
    assertTrue(refused.getMessage().contains("-> 403"), refused.getMessage());
  }

  @Test
  void retentionPurgesOldMessagesAndKeepsNewOnes() throws Exception {
    String room = newRoom("kort")[0];

    counsellor.sendText(room, "oud bericht");
    Thread.sleep(9_000);
    counsellor.sendText(room, "nieuw bericht");

    eventually(Duration.ofSeconds(30), "the old message to be purged", () -> {
      try {
        return counsellor.messageBodies(room, null, 50).contains("oud bericht") ? Optional.empty() : Optional.of(true);
      } catch (IllegalStateException midPurge) {
        // Synapse's purge is not atomic with reads: a /messages that meets an event being purged
        // fails with 500 ("No state group for unknown or outlier event"). Ask again; the read
        // below, after the purge, must succeed.
        if (midPurge.getMessage().contains("-> 500")) {
          return Optional.empty();
        }
        throw midPurge;
      }
    });
    assertTrue(counsellor.messageBodies(room, null, 50).contains("nieuw bericht"));
    // Synapse's own retention support hides an expired event at once, so the message can be gone
    // before the bridge's purge of it has run and been recorded.
    eventually(Duration.ofSeconds(30), "the purge to be recorded", () -> {
      try {
        return retentionRuns(room).contains("purge:complete") ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void endingASessionRemovesTheClientClosesTheRoomAndKeepsOnlyMetadata() throws Exception {
    String[] room = newRoom(null);
    admitClient(room[0], room[1]);

    counsellor.sendText(controlRoom, "!gesprek einde");

    awaitMembership(room[0], client.userId(), "leave");
    eventually(WAIT, "the room to close", () -> "invite".equals(
        counsellor.state(room[0], "m.room.join_rules").getString("join_rule")) ? Optional.of(true) : Optional.empty());
    try (Connection db = ItStore.open(bridge.config().database());
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT r.status, r.client_id, s.client_ref, s.duration_ms"
            + " FROM counselling_rooms r JOIN session_records s ON s.room_id = r.room_id")) {
      assertTrue(rows.next());
      assertEquals("closed", rows.getString(1));
      assertEquals(null, rows.getString(2), "the client's Matrix id is forgotten");
      assertTrue(be.praatbrug.policy.clients.ClientReference.isBridgeMade(rows.getString(3)),
          "records use a pseudonymous reference of the bridge's own making: " + rows.getString(3));
      assertTrue(rows.getLong(4) >= 0);
      assertFalse(rows.next());
    }
    // A closed room takes no one: even a knock with the old code is refused by the homeserver.
    assertForbidden(() -> stranger.knock(room[0], room[1]));

    // The signed ledger has consent, admission and both ends of the session, and verifies.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int exit = be.praatbrug.bridge.main.Main.run(new String[] {"--config",
        homeserver.configFile.toString(), "ledger", "export-sessions", "--format", "json"},
        ledgerEnv(), new java.io.PrintStream(out, true), System.err);
    assertEquals(0, exit, out.toString());
    assertTrue(out.toString().contains("duration_seconds"), out.toString());
    assertFalse(out.toString().contains(client.userId()), "no Matrix ids in session exports");
    assertEquals(0, be.praatbrug.bridge.main.Main.run(new String[] {"--config",
        homeserver.configFile.toString(), "ledger", "verify"}, ledgerEnv(), System.out, System.err));
  }

  @Test
  void closedRoomsAreDeletedOnceTheirRetentionHasPassed() throws Exception {
    String room = newRoom("kort")[0];
    counsellor.sendText(controlRoom, "!gesprek einde " + counsellor.state(room, "m.room.name").getString("name"));

    eventually(Duration.ofSeconds(40), "the closed room to be deleted", () -> {
      try {
        return retentionRuns(room).contains("delete:complete") ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertFalse(counsellor.call(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null)
        .getJsonArray("joined_rooms").contains(room), "the counsellor is no longer in the deleted room");
  }

  @Test
  void aReloadedPolicyAppliesToExistingRoomsAndABrokenOneIsRefused() throws Exception {
    String room = newRoom(null)[0];
    Path policy = policyDir.resolve("caw.yaml");
    String original = Files.readString(policy);
    try {
      // A broken file is refused as a whole: the room keeps its rules.
      Files.writeString(policy, original.replace("max_humans: 2", "max_humans: twee"));
      bridge.vertx().eventBus().send(be.praatbrug.bridge.main.BridgeVerticle.RELOAD_ADDRESS, "test");
      eventually(WAIT, "the broken policy file to be refused", () -> {
        try {
          return bridge.count("praatbrug_policy_reloads_total{result=\"refused\"}") >= 1
              ? Optional.of(true) : Optional.empty();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertEquals("joined", counsellor.state(room, "m.room.history_visibility").getString("history_visibility"));

      // A valid change reaches the existing room.
      Files.writeString(policy, original.replace("history_visibility: joined", "history_visibility: invited"));
      bridge.vertx().eventBus().send(be.praatbrug.bridge.main.BridgeVerticle.RELOAD_ADDRESS, "test");
      eventually(WAIT, "the room to follow the reloaded policy", () -> "invited".equals(
          counsellor.state(room, "m.room.history_visibility").getString("history_visibility"))
          ? Optional.of(true) : Optional.empty());
    } finally {
      Files.writeString(policy, original);
    }
  }

  /** The running bridge's store, key and policies, for the ledger command line. */
  private Map<String, String> ledgerEnv() {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "PRAATBRUG_DATABASE_TYPE", bridge.config().database().type(),
        "PRAATBRUG_DATABASE_URI", bridge.config().database().uri(),
        "PRAATBRUG_LEDGER_KEY_FILE", bridge.config().ledger().keyFile(),
        "PRAATBRUG_ROOMS_POLICY_DIR", policyDir.toString()));
    if (bridge.config().database().username() != null) {
      env.put("PRAATBRUG_DATABASE_USERNAME", bridge.config().database().username());
      env.put("PRAATBRUG_DATABASE_PASSWORD", bridge.config().database().password());
    }
    return env;
  }

  private List<String> retentionRuns(String roomId) throws Exception {
    try (Connection db = ItStore.open(bridge.config().database());
        Statement query = db.createStatement();
        ResultSet rows = query.executeQuery("SELECT kind, status FROM retention_runs WHERE room_id = '"
            + roomId + "'")) {
      List<String> runs = new java.util.ArrayList<>();
      while (rows.next()) {
        runs.add(rows.getString(1) + ":" + rows.getString(2));
      }
      return runs;
    }
  }
}
