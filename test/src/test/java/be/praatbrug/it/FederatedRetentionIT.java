package be.praatbrug.it;

import static be.praatbrug.it.FederatedOrganisations.CAW;
import static be.praatbrug.it.FederatedOrganisations.CLB;
import static be.praatbrug.it.FederatedOrganisations.PASSWORD;
import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.it.FederatedOrganisations.Org;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The partner's server deletes too: in a clb.test room with a client from caw.test, a message is
 * gone from caw.test's database (not just hidden) within the room's lifetime plus the purge
 * intervals, by caw.test's own Synapse following the room's {@code m.room.retention}, because the
 * shipped homeserver configuration enables retention and the CLB bot's marker makes the message no
 * longer the room's newest.
 */
class FederatedRetentionIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration BRIDGE_INTERVAL = Duration.ofSeconds(2);
  private static final Pattern CODE = Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)");
  private static Vertx vertx;
  private static BridgeConfig cawConfig;
  private static BridgeConfig clbConfig;

  @BeforeAll
  static void start() throws Exception {
    FederatedOrganisations organisations = FederatedOrganisations.get();
    vertx = Vertx.vertx();
    Map<String, String> shortInterval = Map.of("PRAATBRUG_ROOMS_RETENTION_INTERVAL_SECONDS",
        String.valueOf(BRIDGE_INTERVAL.toSeconds()));
    cawConfig = organisations.bridgeConfig(CAW, shortInterval);
    clbConfig = organisations.bridgeConfig(CLB, shortInterval);
    new RunningBridge(vertx, cawConfig).start();
    new RunningBridge(vertx, clbConfig).start();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A clb.test counselling room under the 10-second policy, a client from caw.test in it. */
  private record SharedRoom(String roomId, MatrixTestClient clbCounsellor, MatrixTestClient cawClient) {}

  private static SharedRoom sharedRoom() {
    MatrixTestClient clbCounsellor = login(CLB, "counsellor");
    MatrixTestClient cawClient = login(CAW, "client");
    String control = new RunningBridgeChat(clbConfig).open(clbCounsellor);
    String asked = clbCounsellor.sendText(control, "!gesprek nieuw vluchtig");
    String body = eventually(WAIT, "the new room", () -> clbCounsellor.messageBodies(control,
        clbConfig.botUserId(), 10).stream().filter(text -> text.contains("Klopcode")).findFirst());
    Matcher room = Pattern.compile("(![A-Za-z0-9]+:" + Pattern.quote(CLB.serverName()) + ")").matcher(body);
    Matcher code = CODE.matcher(body);
    assertTrue(room.find() && code.find(), body + " after " + asked);
    String roomId = room.group(1);
    clbCounsellor.join(roomId);
    // Over federation the knock must say which server to ask (?via=), as clients take it from the link
    cawClient.call(io.vertx.core.http.HttpMethod.POST, "/_matrix/client/v3/knock/"
        + MatrixTestClient.encode(roomId) + "?via=" + MatrixTestClient.encode(CLB.serverName()),
        new io.vertx.core.json.JsonObject().put("reason", code.group(1)));
    eventually(WAIT, "the caw.test client to be admitted", () ->
        "invite".equals(clbCounsellor.membership(roomId, cawClient.userId())) ? Optional.of(true) : Optional.empty());
    cawClient.join(roomId);
    return new SharedRoom(roomId, clbCounsellor, cawClient);
  }

  @Test
  void aMessageInASharedRoomIsGoneFromThePartnersServerWithinItsLifetimePlusThePurgeInterval() {
    // GIVEN a clb.test room under a 10-second policy with a client from caw.test in it
    SharedRoom shared = sharedRoom();
    String roomId = shared.roomId();
    MatrixTestClient clbCounsellor = shared.clbCounsellor();

    // WHEN the CLB counsellor writes, and caw.test has stored the message
    String message = clbCounsellor.sendText(roomId, "dit mag niet blijven");
    long sent = System.nanoTime();
    String cawAdmin = cawConfig.appservice().asToken();
    eventually(WAIT, "caw.test to store the message", () ->
        MediaHttp.stores(CAW.clientUrl(), cawAdmin, roomId, message) ? Optional.of(true) : Optional.empty());

    // THEN caw.test's own Synapse deletes it within lifetime + quiet period + bridge pass + purge job
    Duration bound = FederatedOrganisations.SHORT_LIFETIME.plus(BRIDGE_INTERVAL.multipliedBy(2))
        .plus(FederatedOrganisations.RETENTION_PURGE_INTERVAL).plusSeconds(10);
    eventually(bound, "the message to leave caw.test's database", () ->
        MediaHttp.stores(CAW.clientUrl(), cawAdmin, roomId, message) ? Optional.empty() : Optional.of(true));
    System.out.printf("partner copy purged %.1f s after sending (lifetime %d s)%n",
        (System.nanoTime() - sent) / 1e9, FederatedOrganisations.SHORT_LIFETIME.toSeconds());
    // AND on clb.test, the room's own server, it is gone too
    eventually(WAIT, "the message to leave clb.test's database", () ->
        MediaHttp.stores(CLB.clientUrl(), clbConfig.appservice().asToken(), roomId, message)
            ? Optional.empty() : Optional.of(true));
  }

  /**
   * The caw.test client sends a file into the clb.test room from her own Matrix client (matrix-nio:
   * an encrypted attachment, stored on caw.test, out of the clb bridge's reach): the caw bridge,
   * which is not in the room, deletes it from caw.test's media store within the room's lifetime
   * plus a few of its passes.
   */
  @Test
  void aFileTheClientSendsIntoAPartnersRoomIsDeletedFromHerOwnServer(@TempDir Path directory) throws Exception {
    SharedRoom shared = sharedRoom();
    String file;
    try (NioClient element = NioClient.start(CAW.clientUrl(), shared.cawClient().userId(), PASSWORD,
        clbConfig.botUserId(), shared.roomId(), directory.resolve("nio.log"))) {
      file = element.sendFile(2000);
    }
    long sent = System.nanoTime();
    String cawAdmin = cawConfig.appservice().asToken();
    assertTrue(file.startsWith("mxc://" + CAW.serverName() + "/"), file);
    assertEquals(200, MediaHttp.download(CAW.clientUrl(), cawAdmin, file));
    Duration bound = FederatedOrganisations.SHORT_LIFETIME.plus(BRIDGE_INTERVAL.multipliedBy(3)).plusSeconds(10);
    eventually(bound, "the client's file to leave caw.test's media store", () ->
        MediaHttp.download(CAW.clientUrl(), cawAdmin, file) == 404 ? Optional.of(true) : Optional.empty());
    System.out.printf("client's file in the partner's room deleted %.1f s after sending (lifetime %d s)%n",
        (System.nanoTime() - sent) / 1e9, FederatedOrganisations.SHORT_LIFETIME.toSeconds());
  }

  private static MatrixTestClient login(Org org, String localpart) {
    return new MatrixTestClient(vertx, org.clientUrl()).login(localpart, PASSWORD);
  }

  /** A direct chat with the CLB bot, once it has joined. */
  private record RunningBridgeChat(BridgeConfig config) {
    String open(MatrixTestClient person) {
      String room = person.createDirectRoom(config.botUserId());
      eventually(Duration.ofSeconds(20), "the bot to join the direct chat", () ->
          person.joinedMembers(room).containsKey(config.botUserId()) ? Optional.of(true) : Optional.empty());
      return room;
    }
  }
}
