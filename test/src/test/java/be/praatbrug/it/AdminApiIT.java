package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.admin.AdminApi;
import be.praatbrug.bridge.config.BridgeConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Verifies that the admin API lets in the organisation's admins and nobody else, on every route of
 * its OpenAPI description, and that a policy saved through it reaches a live room on a real Synapse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiIT {

  private static final String PASSWORD = "admin api test password";
  private static final Pattern ROOM_ID = Pattern.compile("(![A-Za-z0-9]+:caw\\.test)");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static Path directory;
  private static BridgeConfig config;
  private static RunningBridge bridge;
  private static AdminHttp api;
  private static MatrixTestClient admin;
  private static MatrixTestClient nonAdmin;
  private static MatrixTestClient otherOrgAdmin;
  private static MatrixTestClient counsellor;

  @BeforeAll
  static void start() throws Exception {
    TestHomeserver homeserver = TestHomeserver.get();
    OtherOrganisation other = OtherOrganisation.get();
    homeserver.register("beheerder", PASSWORD);
    homeserver.register("medewerker", PASSWORD);
    homeserver.register("hulpverlener", PASSWORD);
    other.register("beheerder", PASSWORD);
    directory = Files.createTempDirectory("praatbrug-admin-it");
    Path policies = Files.createDirectories(directory.resolve("policies"));
    Files.copy(TestHomeserver.repository().resolve("policy/policies/caw.yaml"), policies.resolve("caw.yaml"));
    vertx = Vertx.vertx();
    config = homeserver.bridgeConfig(Map.of(
        "PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString(),
        "PRAATBRUG_ROOMS_POLICY_DIR", policies.toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", directory.resolve("ledger-key.json").toString(),
        "PRAATBRUG_ADMIN_USERS", "@beheerder:caw.test"));
    bridge = new RunningBridge(vertx, config).start();
    api = new AdminHttp(config.appservice().port());
    admin = new MatrixTestClient(vertx, homeserver.clientUrl).login("beheerder", PASSWORD);
    nonAdmin = new MatrixTestClient(vertx, homeserver.clientUrl).login("medewerker", PASSWORD);
    counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("hulpverlener", PASSWORD);
    otherOrgAdmin = new MatrixTestClient(vertx, other.clientUrl).login("beheerder", PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Every (method, path) the OpenAPI file describes, with whether it needs a session. */
  private record Route(String method, String path, boolean secured) {
    String concrete() {
      return AdminHttp.PREFIX + path.replace("{name}", "caw")
          .replace("{roomId}", MatrixTestClient.encode("!nothing:caw.test"))
          .replace("{clientRef}", "ref-unknown");
    }
  }

  private static List<Route> documentedRoutes() throws Exception {
    JsonNode root;
    try (InputStream in = AdminApi.class.getResourceAsStream(AdminApi.OPENAPI_RESOURCE)) {
      root = new YAMLMapper().readTree(in);
    }
    List<Route> routes = new ArrayList<>();
    root.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
      if (List.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
        boolean open = op.getValue().has("security") && op.getValue().path("security").isEmpty();
        routes.add(new Route(op.getKey().toUpperCase(), path.getKey(), !open));
      }
    }));
    return routes;
  }

  @Test
  void everyRouteRefusesEveryoneButTheOrganisationsAdmins() throws Exception {
    List<Route> routes = documentedRoutes();
    assertTrue(routes.size() >= 18, "routes read from the OpenAPI file: " + routes);

    // GIVEN sign-in attempts by the four kinds of caller
    AdminHttp.Answer noToken = api.login(new JsonObject().put("matrix_server_name", "caw.test"));
    AdminHttp.Answer staff = api.login(AdminHttp.openIdToken(nonAdmin));
    JsonObject otherToken = AdminHttp.openIdToken(otherOrgAdmin);
    AdminHttp.Answer otherOrg = api.login(otherToken);
    AdminHttp.Answer otherOrgPosingAsCaw = api.login(otherToken.copy().put("matrix_server_name", "caw.test"));
    AdminHttp.Answer orgAdmin = api.login(AdminHttp.openIdToken(admin));

    // THEN only the organisation's own admin gets a session
    assertEquals(401, noToken.status(), noToken.body());
    assertEquals("M_MISSING_TOKEN", noToken.errcode());
    assertEquals(403, staff.status(), staff.body());
    assertEquals("M_FORBIDDEN", staff.errcode());
    assertEquals(403, otherOrg.status(), otherOrg.body());
    assertEquals("M_FORBIDDEN", otherOrg.errcode());
    assertEquals(401, otherOrgPosingAsCaw.status(), otherOrgPosingAsCaw.body());
    assertEquals("M_UNKNOWN_TOKEN", otherOrgPosingAsCaw.errcode());
    assertEquals(200, orgAdmin.status(), orgAdmin.body());
    String session = orgAdmin.json().getString("token");

    // AND on every secured route: nothing without a session, nothing with any token the others hold
    List<String> failures = new ArrayList<>();
    for (Route route : routes) {
      if (!route.secured()) {
        continue;
      }
      JsonObject body = route.method().equals("GET") ? null : new JsonObject();
      expect(failures, route, "no token", api.call(route.method(), route.concrete(), null, body),
          401, "M_MISSING_TOKEN");
      expect(failures, route, "non-admin's Matrix token",
          api.call(route.method(), route.concrete(), nonAdmin.accessToken(), body), 401, "M_UNKNOWN_TOKEN");
      expect(failures, route, "other organisation's admin's Matrix token",
          api.call(route.method(), route.concrete(), otherOrgAdmin.accessToken(), body), 401,
          "M_UNKNOWN_TOKEN");
      expect(failures, route, "other organisation's admin's OpenID token",
          api.call(route.method(), route.concrete(), otherToken.getString("access_token"), body), 401,
          "M_UNKNOWN_TOKEN");
      if (route.path().equals("/logout")) {
        continue; // would end the session the rest of the loop uses; checked below
      }
      AdminHttp.Answer asAdmin = api.call(route.method(), route.concrete(), session, body);
      if (asAdmin.status() == 401 || asAdmin.status() == 403 || asAdmin.status() >= 500) {
        failures.add(route + " as admin: " + asAdmin.status() + " " + asAdmin.body());
      }
    }
    assertEquals(List.of(), failures);

    // AND signing out ends the session
    assertEquals(200, api.call("POST", AdminHttp.PREFIX + "/logout", session, new JsonObject()).status());
    assertEquals(401, api.call("GET", AdminHttp.PREFIX + "/whoami", session, null).status());

    // AND no token of any kind reached the bridge's (debug-level) log
    String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
    assertFalse(log.contains(session), "bridge session tokens must never be logged");
    assertFalse(log.contains(otherToken.getString("access_token")), "OpenID tokens must never be logged");
    assertFalse(log.contains(admin.accessToken()), "Matrix access tokens must never be logged");
  }

  private static void expect(List<String> failures, Route route, String who, AdminHttp.Answer answer,
      int status, String errcode) {
    if (answer.status() != status || !errcode.equals(answer.errcode())) {
      failures.add(route + " with " + who + ": expected " + status + " " + errcode + ", got "
          + answer.status() + " " + answer.body());
    }
  }

  @Test
  void aSavedPolicyReachesALiveRoomAndBadEditsChangeNothing() {
    String session = api.sessionFor(admin);
    String room = newRoom();
    assertEquals(2_592_000_000L, counsellor.state(room, "m.room.retention").getLong("max_lifetime"));
    AdminHttp.Answer current = api.call("GET", AdminHttp.PREFIX + "/policies/caw", session, null);
    assertEquals(200, current.status(), current.body());
    String yaml = current.json().getString("yaml");
    int version = current.json().getInteger("version");

    // A value the schema refuses: 400 naming the field, nothing saved
    AdminHttp.Answer invalid = put(session, yaml.replace("max_lifetime: 30d", "max_lifetime: 7 dagen"),
        version);
    assertEquals(400, invalid.status(), invalid.body());
    assertEquals("retention.max_lifetime", problem(invalid).getString("field"));
    // Below the server's floor: more than two people in a counselling room
    AdminHttp.Answer belowFloor = put(session, yaml.replace("max_humans: 2", "max_humans: 3"), version);
    assertEquals(400, belowFloor.status(), belowFloor.body());
    assertEquals("members.max_humans", problem(belowFloor).getString("field"));
    assertEquals("floor", problem(belowFloor).getString("kind"));
    assertEquals(version, api.call("GET", AdminHttp.PREFIX + "/policies/caw", session, null).json()
        .getInteger("version"));

    // A good edit: saved with who and when, and the live room follows
    AdminHttp.Answer saved = put(session, yaml.replace("max_lifetime: 30d", "max_lifetime: 7d"), version);
    assertEquals(200, saved.status(), saved.body());
    assertEquals(version + 1, saved.json().getInteger("version"));
    assertEquals("@beheerder:caw.test", saved.json().getString("saved_by"));
    eventually(WAIT, "the room's retention to become 7 days", () ->
        counsellor.state(room, "m.room.retention").getLong("max_lifetime") == 604_800_000L
            ? Optional.of(true) : Optional.empty());

    // Someone who still edits the old version gets a conflict with the current one
    AdminHttp.Answer stale = put(session, yaml.replace("max_lifetime: 30d", "max_lifetime: 14d"), version);
    assertEquals(409, stale.status(), stale.body());
    assertEquals(version + 1, stale.json().getInteger("current_version"));
    assertEquals(604_800_000L, counsellor.state(room, "m.room.retention").getLong("max_lifetime"));

    // The same through If-Match
    AdminHttp.Answer viaEtag = api.call("PUT", AdminHttp.PREFIX + "/policies/caw", session,
        new JsonObject().put("yaml", yaml.replace("max_lifetime: 30d", "max_lifetime: 14d")),
        "If-Match", "\"v" + version + "\"");
    assertEquals(409, viaEtag.status(), viaEtag.body());

    // The history names who saved each version
    JsonArray history = api.call("GET", AdminHttp.PREFIX + "/policies/caw", session, null).json()
        .getJsonArray("history");
    assertEquals("@beheerder:caw.test", history.getJsonObject(0).getString("saved_by"));
  }

  @Test
  void aNewPolicyIsInForceAtOnceAndCannotBeCreatedTwice() {
    String session = api.sessionFor(admin);
    String caw = api.call("GET", AdminHttp.PREFIX + "/policies/caw", session, null).json().getString("yaml")
        .replaceAll("max_lifetime: \\S+", "max_lifetime: 2d");
    // The door is caw's: a second policy with one is refused, and says why.
    AdminHttp.Answer secondDoor = api.call("POST", AdminHttp.PREFIX + "/policies", session,
        new JsonObject().put("name", "kort").put("yaml", caw));
    assertEquals(400, secondDoor.status(), secondDoor.body());
    assertTrue(secondDoor.body().contains("door"), secondDoor.body());
    String yaml = PolicyCopies.withoutDoor(caw);

    AdminHttp.Answer created = api.call("POST", AdminHttp.PREFIX + "/policies", session,
        new JsonObject().put("name", "kort").put("yaml", yaml));
    assertEquals(201, created.status(), created.body());
    assertEquals(1, created.json().getInteger("version"));
    JsonObject listed = api.call("GET", AdminHttp.PREFIX + "/policies", session, null).json()
        .getJsonArray("policies").stream().map(JsonObject.class::cast)
        .filter(policy -> "kort".equals(policy.getString("name"))).findFirst().orElseThrow();
    assertTrue(listed.getBoolean("in_force"), listed.encode());
    assertEquals("2d", listed.getString("max_lifetime"));

    AdminHttp.Answer again = api.call("POST", AdminHttp.PREFIX + "/policies", session,
        new JsonObject().put("name", "kort").put("yaml", yaml));
    assertEquals(409, again.status(), again.body());
    AdminHttp.Answer overAFile = api.call("POST", AdminHttp.PREFIX + "/policies", session,
        new JsonObject().put("name", "caw").put("yaml", yaml));
    assertEquals(409, overAFile.status(), overAFile.body());
    AdminHttp.Answer otherOrganisation = api.call("POST", AdminHttp.PREFIX + "/policies", session,
        new JsonObject().put("name", "vreemd").put("yaml", yaml.replace("organisation: caw", "organisation: clb")));
    assertEquals(400, otherOrganisation.status(), otherOrganisation.body());
    assertEquals("organisation", problem(otherOrganisation).getString("field"));
  }

  @Test
  void adminsSeeSessionMetadataEndSessionsAndExportTheLedger() {
    String session = api.sessionFor(admin);
    String room = newRoom();

    JsonArray sessions = api.call("GET", AdminHttp.PREFIX + "/sessions?state=open", session, null).json()
        .getJsonArray("sessions");
    JsonObject row = sessions.stream().map(JsonObject.class::cast)
        .filter(each -> room.equals(each.getString("room_id"))).findFirst().orElseThrow();
    assertEquals(counsellor.userId(), row.getString("counsellor"));
    assertEquals("waiting", row.getString("state"));

    AdminHttp.Answer ended = api.call("POST", AdminHttp.PREFIX + "/sessions/"
        + MatrixTestClient.encode(room) + "/end", session, new JsonObject());
    assertEquals(200, ended.status(), ended.body());
    eventually(WAIT, "the room to stop taking knocks", () ->
        "invite".equals(counsellor.state(room, "m.room.join_rules").getString("join_rule"))
            ? Optional.of(true) : Optional.empty());
    AdminHttp.Answer again = api.call("POST", AdminHttp.PREFIX + "/sessions/"
        + MatrixTestClient.encode(room) + "/end", session, new JsonObject());
    assertEquals(400, again.status(), again.body());

    AdminHttp.Answer verify = api.call("GET", AdminHttp.PREFIX + "/ledger/verify", session, null);
    assertTrue(verify.json().getBoolean("ok"), verify.body());
    AdminHttp.Answer csv = api.call("GET", AdminHttp.PREFIX + "/ledger/sessions?format=csv", session, null);
    assertEquals(200, csv.status());
    assertTrue(csv.body().replace("\uFEFF", "").startsWith("Sessie"), csv.body());
    AdminHttp.Answer status = api.call("GET", AdminHttp.PREFIX + "/status", session, null);
    assertTrue(status.json().getJsonObject("homeserver").getBoolean("reachable"), status.body());
    assertFalse(status.json().getString("last_transaction_at", "").isEmpty(), status.body());
    assertNotEquals(null, status.json().getJsonObject("last_reconciliation"), status.body());
  }

  @Test
  @Order(Integer.MAX_VALUE) // restarts the shared bridge: last (unordered tests come before)
  void savedPoliciesOutliveARestartAndStayInForceInRooms() throws Exception {
    String session = api.sessionFor(admin);
    String room = newRoom();
    JsonObject current = api.call("GET", AdminHttp.PREFIX + "/policies/caw", session, null).json();
    String threeDays = current.getString("yaml").replaceAll("max_lifetime: \\S+", "max_lifetime: 3d");
    AdminHttp.Answer saved = put(session, threeDays, current.getInteger("version"));
    assertEquals(200, saved.status(), saved.body());
    eventually(WAIT, "the room's retention to become 3 days", () ->
        counsellor.state(room, "m.room.retention").getLong("max_lifetime") == 259_200_000L
            ? Optional.of(true) : Optional.empty());

    // WHEN the bridge restarts (its startup reconciliation would revert rooms to the file's 30 days
    // if the saved version were not put back in force first)
    bridge.stop();
    bridge = new RunningBridge(vertx, config).start();

    // THEN the saved version is still the one in force, and the room kept it
    JsonObject after = api.call("GET", AdminHttp.PREFIX + "/policies/caw", api.sessionFor(admin), null)
        .json();
    assertEquals(saved.json().getInteger("version"), after.getInteger("version"));
    assertEquals("admin", after.getString("origin"));
    assertEquals(259_200_000L, counsellor.state(room, "m.room.retention").getLong("max_lifetime"));
  }

  private static AdminHttp.Answer put(String session, String yaml, int version) {
    return api.call("PUT", AdminHttp.PREFIX + "/policies/caw", session,
        new JsonObject().put("yaml", yaml).put("version", version));
  }

  private static JsonObject problem(AdminHttp.Answer answer) {
    return answer.json().getJsonArray("problems").getJsonObject(0);
  }

  private static String controlRoom;

  /** The counsellor asks the bot for a counselling room and joins it; returns its id. */
  private static synchronized String newRoom() {
    if (controlRoom == null) {
      controlRoom = bridge.openDirectChat(counsellor);
    }
    String asked = counsellor.sendText(controlRoom, "!gesprek nieuw");
    JsonObject answer = eventually(WAIT, "the new room's details", () ->
        counsellor.messageFrom(controlRoom, config.botUserId(), asked)
            .filter(event -> event.getJsonObject("content").getString("body").contains("Klopcode")));
    Matcher room = ROOM_ID.matcher(answer.getJsonObject("content").getString("body"));
    assertTrue(room.find());
    counsellor.join(room.group(1));
    return room.group(1);
  }
}
