package be.praatbrug.it;

import static be.praatbrug.it.FederatedOrganisations.CAW;
import static be.praatbrug.it.FederatedOrganisations.CLB;
import static be.praatbrug.it.FederatedOrganisations.OTHER;
import static be.praatbrug.it.FederatedOrganisations.PASSWORD;
import static be.praatbrug.it.MatrixTestClient.encode;
import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.it.FederatedOrganisations.Org;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Verifies that two organisations federate under Praatbrug's rules, with two real Synapses and a
 * bridge each: server ACLs and homeserver allowlists made from the policies, an outsider server
 * that cannot get in, a warm referral from a CLB counsellor to a CAW counsellor, overleg rooms for
 * professionals only, and a federation outage after which nothing is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern CODE = Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)");
  private static FederatedOrganisations organisations;
  private static Vertx vertx;
  private static BridgeConfig cawConfig;
  private static BridgeConfig clbConfig;
  private static RunningBridge cawBridge;
  private static RunningBridge clbBridge;

  private MatrixTestClient clbCounsellor;
  private MatrixTestClient clbClient;
  private MatrixTestClient clbStranger;
  private MatrixTestClient cawCounsellor;
  private MatrixTestClient cawClient;
  private MatrixTestClient outsider;
  private String clbControl;

  @BeforeAll
  static void startOrganisations() throws Exception {
    organisations = FederatedOrganisations.get();
    vertx = Vertx.vertx();
    cawConfig = organisations.bridgeConfig(CAW);
    clbConfig = organisations.bridgeConfig(CLB);
    cawBridge = new RunningBridge(vertx, cawConfig).start();
    clbBridge = new RunningBridge(vertx, clbConfig).start();
  }

  @AfterAll
  static void stopBridges() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @BeforeEach
  void people() {
    clbCounsellor = login(CLB, "counsellor");
    clbClient = login(CLB, "client");
    clbStranger = login(CLB, "stranger");
    cawCounsellor = login(CAW, "counsellor");
    cawClient = login(CAW, "client");
    outsider = login(OTHER, "outsider");
    clbControl = clbBridge.openDirectChat(clbCounsellor);
  }

  private static MatrixTestClient login(Org org, String localpart) {
    return new MatrixTestClient(vertx, org.clientUrl()).login(localpart, PASSWORD);
  }

  @Test
  @Order(1)
  void serverAclsAndHomeserverAllowlistsComeFromThePolicies() throws Exception {
    // GIVEN a counselling room on clb.test
    String room = newRoom(clbCounsellor, clbControl, CLB, null)[0];

    // THEN its server ACL names both partners by host (remote servers are matched without port),
    // and as written (Synapse checks its own name, port included), and no IP literals
    JsonObject acl = clbCounsellor.state(room, "m.room.server_acl");
    assertEquals(List.of("caw.test", CAW.serverName(), "clb.test", CLB.serverName()),
        sorted(acl.getJsonArray("allow")));
    assertEquals(false, acl.getBoolean("allow_ip_literals"));
    // AND each homeserver federates with exactly the partner its policies name, port included
    assertTrue(organisations.homeserverConfig(CAW).contains(
        "federation_domain_whitelist: [\"" + CLB.serverName() + "\"]"));
    assertTrue(organisations.homeserverConfig(CLB).contains(
        "federation_domain_whitelist: [\"" + CAW.serverName() + "\"]"));
  }

  @Test
  @Order(2)
  void anOutsiderServerIsShutOut() {
    // GIVEN a clb.test room with a client in it, and its knock code
    String[] created = newRoom(clbCounsellor, clbControl, CLB, null);
    String room = created[0];

    // WHEN the counsellor invites someone of other.test, THEN clb.test refuses to federate
    IllegalStateException invite = assertThrows(IllegalStateException.class,
        () -> clbCounsellor.invite(room, OTHER.user("outsider")));
    assertTrue(invite.getMessage().contains("Federation denied"), invite.getMessage());
    // AND the outsider can neither knock (with a valid code) nor join through clb.test
    String via = "?server_name=" + encode(CLB.serverName());
    assertThrows(IllegalStateException.class, () -> outsider.call(HttpMethod.POST,
        "/_matrix/client/v3/knock/" + encode(room) + via, new JsonObject().put("reason", created[1])));
    assertThrows(IllegalStateException.class, () -> outsider.call(HttpMethod.POST,
        "/_matrix/client/v3/join/" + encode(room) + via, new JsonObject()));
    assertEquals("leave", clbCounsellor.membership(room, OTHER.user("outsider")));
  }

  @Test
  @Order(3)
  void aWarmReferralHandsTheClientToThePartnerCounsellor() throws Exception {
    // GIVEN a session between the CLB counsellor and a pupil
    String room = sessionWithClient("clb");
    String partner = CAW.user("counsellor");

    // WHEN the counsellor refers the pupil to the CAW counsellor
    String asked = clbCounsellor.sendText(clbControl, "!gesprek doorverwijzen " + partner + " " + room);
    awaitNotice(clbControl, asked, "warme doorverwijzing");
    awaitNotice(clbControl, asked, "Voor de cliënt");
    // THEN the partner is invited across the federation and may join as the one extra member
    awaitMembership(room, partner, "invite");
    cawCounsellor.join(room);
    awaitMembership(room, partner, "join");
    awaitNotice(clbControl, asked, "is binnen");
    assertEquals(4, clbCounsellor.joinedMembers(room).size());

    // WHEN the referring counsellor leaves
    clbCounsellor.call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + encode(room) + "/leave", new JsonObject());

    // THEN the partner is the room's counsellor, the client is told, and the room is one-to-one again
    awaitNotice(clbControl, asked, "Doorverwijzing voltooid");
    awaitNotice(clbControl, asked, "je praat nu verder met " + partner);
    eventually(WAIT, "the partner to hold the counsellor's power level", () -> {
      JsonObject users = cawCounsellor.state(room, "m.room.power_levels").getJsonObject("users");
      return users.getInteger(partner, 0) == 50 && !users.containsKey(CLB.user("counsellor"))
          ? Optional.of(true) : Optional.empty();
    });
    assertEquals("join", cawCounsellor.membership(room, CLB.user("client")));
    cawCounsellor.invite(room, CLB.user("stranger"));
    eventually(WAIT, "the third person to be removed", () ->
        "leave".equals(cawCounsellor.membership(room, CLB.user("stranger"))) ? Optional.of(true) : Optional.empty());
    // AND the ledger holds the referral, naming the professionals and never the client
    List<String> fields = ledger(CLB, "referral_");
    assertTrue(fields.stream().anyMatch(field -> field.startsWith("referral_started")
        && field.contains(partner)), fields.toString());
    assertTrue(fields.stream().anyMatch(field -> field.startsWith("referral_completed")), fields.toString());
    assertTrue(fields.stream().noneMatch(field -> field.contains(CLB.user("client"))), fields.toString());
    // AND the room is still CLB's: the referring counsellor ends the session from her chat
    String end = clbCounsellor.sendText(clbControl, "!gesprek einde " + room);
    awaitNotice(clbControl, end, "is beëindigd");
    eventually(WAIT, "the client to be out of the closed room", () ->
        "leave".equals(cawCounsellor.membership(room, CLB.user("client"))) ? Optional.of(true) : Optional.empty());
  }

  @Test
  @Order(4)
  void withoutTheCommandTheRoomStaysOneToOne() {
    // GIVEN a running session
    String room = sessionWithClient("clb");
    // WHEN the counsellor simply invites the partner counsellor
    clbCounsellor.invite(room, CAW.user("counsellor"));
    // THEN the invite is withdrawn: a third member needs the referral command
    eventually(WAIT, "the invite to be withdrawn", () ->
        "leave".equals(clbCounsellor.membership(room, CAW.user("counsellor"))) ? Optional.of(true) : Optional.empty());
  }

  @Test
  @Order(5)
  void whenTheHandoverTimeRunsOutThePartnerIsRemoved() throws Exception {
    // GIVEN a session under a policy with a handover time of six seconds, and a referral
    String room = sessionWithClient("kort");
    String partner = CAW.user("counsellor");
    String asked = clbCounsellor.sendText(clbControl, "!session refer " + partner + " " + room);
    awaitMembership(room, partner, "invite");
    cawCounsellor.join(room);
    // WHEN the referring counsellor stays, THEN after the handover time the partner is removed
    eventually(WAIT, "the partner to be removed", () ->
        "leave".equals(clbCounsellor.membership(room, partner)) ? Optional.of(true) : Optional.empty());
    awaitNotice(clbControl, asked, "overdrachtstijd");
    assertEquals("join", clbCounsellor.membership(room, CLB.user("client")));
    assertTrue(ledger(CLB, "referral_ended").stream().anyMatch(field -> field.contains("expired")));
  }

  @Test
  @Order(6)
  void overlegRoomsAreForProfessionalsOfBothOrganisationsOnly() {
    // GIVEN an overleg room convened on clb.test, and the CAW counsellor invited
    String room = newOverleg();
    assertEquals("m.megolm.v1.aes-sha2", clbCounsellor.state(room, "m.room.encryption").getString("algorithm"));
    clbCounsellor.invite(room, CAW.user("counsellor"));
    awaitMembership(room, CAW.user("counsellor"), "invite");
    cawCounsellor.join(room);
    awaitMembership(room, CAW.user("counsellor"), "join");
    // WHEN the convenor invites a pupil who is a client in a running session
    sessionWithClient("clb");
    clbCounsellor.invite(room, CLB.user("client"));
    // THEN the pupil is kept out, and the professional stays
    eventually(WAIT, "the client to be kept out", () ->
        "leave".equals(clbCounsellor.membership(room, CLB.user("client"))) ? Optional.of(true) : Optional.empty());
    assertEquals("join", clbCounsellor.membership(room, CAW.user("counsellor")));
  }

  @Test
  @Order(7)
  void messagesSentWhileALinkIsDownArriveAfterwardsAndPolicyHolds() throws Exception {
    // GIVEN an overleg room with professionals of both organisations
    String room = newOverleg();
    clbCounsellor.invite(room, CAW.user("counsellor"));
    awaitMembership(room, CAW.user("counsellor"), "invite");
    cawCounsellor.join(room);
    awaitMembership(room, CAW.user("counsellor"), "join");
    sessionWithClient("clb");

    // WHEN caw.test goes down
    organisations.stopSynapse(CAW);
    // AND the CLB counsellor writes three messages while it is down
    List<String> sent = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      sent.add(clbCounsellor.sendText(room, "tijdens de onderbreking " + i));
    }
    // THEN clb.test still enforces the policy: a client invited meanwhile is removed
    clbCounsellor.invite(room, CLB.user("client"));
    eventually(WAIT, "the client to be removed during the outage", () ->
        "leave".equals(clbCounsellor.membership(room, CLB.user("client"))) ? Optional.of(true) : Optional.empty());
    // AND both bridges say what is happening
    awaitLog("homeserver " + CAW.serverName() + " unreachable");
    awaitLog("federation with " + CAW.serverName() + " failing");

    // WHEN caw.test comes back and its counsellor writes again
    organisations.startSynapse(CAW);
    awaitLog("homeserver " + CAW.serverName() + " reachable again");
    cawCounsellor = login(CAW, "counsellor");
    cawCounsellor.sendText(room, "terug");
    // THEN every message written during the outage reaches caw.test
    eventually(Duration.ofSeconds(90), "the outage's messages on caw.test", () -> {
      List<String> bodies = cawCounsellor.messageBodies(room, CLB.user("counsellor"), 50);
      return bodies.containsAll(List.of("tijdens de onderbreking 1", "tijdens de onderbreking 2",
          "tijdens de onderbreking 3")) ? Optional.of(bodies) : Optional.empty();
    });
    awaitLog("federation with " + CAW.serverName() + " restored");
    // AND the CAW bridge kept running and enforces its own policy over federation again
    String cawControl = cawBridge.openDirectChat(cawCounsellor);
    String[] created = newRoom(cawCounsellor, cawControl, CAW, null);
    cawClient.knock(created[0], created[1]);
    eventually(WAIT, "the CAW client to be admitted", () ->
        "invite".equals(cawCounsellor.membership(created[0], CAW.user("client"))) ? Optional.of(true) : Optional.empty());
    cawClient.join(created[0]);
    cawCounsellor.invite(created[0], CLB.user("stranger"));
    eventually(WAIT, "the third person from clb.test to be removed", () ->
        "leave".equals(cawCounsellor.membership(created[0], CLB.user("stranger"))) ? Optional.of(true) : Optional.empty());
    // AND the bridges never logged what was said
    assertFalse(Files.readString(log()).contains("tijdens de onderbreking"));
  }

  // --- helpers ------------------------------------------------------------------------------------

  /** A new counselling room on clb.test under {@code policy} with the pupil knocked in and joined. */
  private String sessionWithClient(String policy) {
    String[] created = newRoom(clbCounsellor, clbControl, CLB, policy);
    clbClient.knock(created[0], created[1]);
    awaitMembership(created[0], CLB.user("client"), "invite");
    clbClient.join(created[0]);
    awaitMembership(created[0], CLB.user("client"), "join");
    return created[0];
  }

  /** Asks the bot for a counselling room; returns {room id, knock code}. */
  private String[] newRoom(MatrixTestClient counsellor, String control, Org org, String policy) {
    String asked = counsellor.sendText(control, "!gesprek nieuw" + (policy == null ? "" : " " + policy));
    String body = awaitNotice(counsellor, control, asked, "Klopcode");
    Matcher room = roomId(org).matcher(body);
    Matcher code = CODE.matcher(body);
    assertTrue(room.find() && code.find(), body);
    counsellor.join(room.group(1));
    return new String[] {room.group(1), code.group(1)};
  }

  private String newOverleg() {
    String asked = clbCounsellor.sendText(clbControl, "!overleg nieuw");
    Matcher room = roomId(CLB).matcher(awaitNotice(clbControl, asked, "Overlegruimte"));
    assertTrue(room.find());
    clbCounsellor.join(room.group(1));
    return room.group(1);
  }

  @Test
  @Order(8)
  void aFamilySessionTakesItsNamedPeopleAndNoOutsiderEvenWithAPlacesCode() {
    // GIVEN a CLB family session with a second place
    String[] created = newRoom(clbCounsellor, clbControl, CLB, "gezin");
    String room = created[0];
    String asked = clbCounsellor.sendText(clbControl, "!gesprek deelnemer ouder " + room);
    Matcher place = Pattern.compile("Plaats 2 in gezinsgesprek[^\\n]*\\nCode: ([A-Z0-9-]+) ")
        .matcher(awaitNotice(clbControl, asked, "Plaats 2 in gezinsgesprek"));
    assertTrue(place.find());
    String chat = clbBridge.openDirectChat(clbClient);
    clbClient.sendText(chat, "!toestemming geef");
    eventually(WAIT, "the pupil's consent", () -> clbClient.messageBodies(chat, clbConfig.botUserId(), 10)
        .stream().filter(body -> body.contains("toestemming is genoteerd")).findFirst());
    // WHEN the pupil knocks with her code, THEN she is in
    clbClient.knock(room, created[1]);
    awaitMembership(room, clbClient.userId(), "invite");
    clbClient.join(room);
    awaitMembership(room, clbClient.userId(), "join");
    // AND someone of a server that is no partner gets nowhere, with the free place's code either:
    // the federation itself refuses, before the bridge has to
    String via = "?server_name=" + encode(CLB.serverName());
    for (String code : List.of(place.group(1), created[1])) {
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> outsider.call(HttpMethod.POST,
          "/_matrix/client/v3/knock/" + encode(room) + via, new JsonObject().put("reason", code)));
      assertTrue(refused.getMessage().contains("403") || refused.getMessage().contains("Federation denied")
          || refused.getMessage().contains("M_FORBIDDEN"), refused.getMessage());
    }
    assertEquals("leave", clbCounsellor.membership(room, OTHER.user("outsider")));
    // AND the room's server ACL names exactly the partners, as in a one-to-one room
    assertEquals(List.of("caw.test", CAW.serverName(), "clb.test", CLB.serverName()),
        sorted(clbCounsellor.state(room, "m.room.server_acl").getJsonArray("allow")));
    String end = clbCounsellor.sendText(clbControl, "!gesprek einde " + room);
    awaitNotice(clbControl, end, "is beëindigd");
  }

  private static Pattern roomId(Org org) {
    return Pattern.compile("(![A-Za-z0-9]+:" + Pattern.quote(org.serverName()) + ")");
  }

  private String awaitNotice(String control, String after, String text) {
    return awaitNotice(clbCounsellor, control, after, text);
  }

  private String awaitNotice(MatrixTestClient reader, String control, String after, String text) {
    String bot = control.endsWith(CAW.serverName()) ? cawConfig.botUserId() : clbConfig.botUserId();
    return eventually(WAIT, "a notice with '" + text + "'", () -> reader.messageBodies(control, bot, 30)
        .stream().filter(body -> body.contains(text)).findFirst());
  }

  private void awaitMembership(String room, String userId, String membership) {
    eventually(WAIT, userId + " to be '" + membership + "'", () ->
        membership.equals(clbCounsellor.membership(room, userId)) ? Optional.of(true) : Optional.empty());
  }

  /** Kind and public fields of the ledger entries of one organisation whose kind starts with {@code prefix}. */
  private static List<String> ledger(Org org, String prefix) throws Exception {
    List<String> entries = new ArrayList<>();
    try (Connection connection = ItStore.open(organisations.bridgeConfig(org).database());
        ResultSet rows = connection.createStatement().executeQuery(
            "SELECT kind, fields, sealed_fields FROM ledger_entries ORDER BY position")) {
      while (rows.next()) {
        if (rows.getString(1).startsWith(prefix)) {
          entries.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3));
        }
      }
    }
    return entries;
  }

  private static Path log() {
    return TestHomeserver.repository().resolve("test/target/it-bridge.log");
  }

  private static void awaitLog(String text) {
    eventually(WAIT, "the bridge log to say '" + text + "'", () -> {
      try {
        return Files.readString(log()).contains(text) ? Optional.of(true) : Optional.empty();
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    });
  }

  private static List<String> sorted(JsonArray values) {
    return values.stream().map(Object::toString).sorted().toList();
  }
}
