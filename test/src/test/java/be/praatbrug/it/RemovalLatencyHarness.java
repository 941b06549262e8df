package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end removal latency against a real Synapse: how long after a third person's join is
 * accepted the bridge's kick is accepted, next to the floor (how long Synapse takes to push that
 * join to an appservice that does nothing). Both use Synapse's own event timestamps.
 *
 * <p>Run with {@code test/scripts/bench-removal.sh [trials]}; not part of the test suite.
 */
public final class RemovalLatencyHarness {

  private static final String PASSWORD = "benchmark password";
  private static final Duration WAIT = Duration.ofSeconds(20);

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    TestHomeserver homeserver = TestHomeserver.get();
    for (String user : List.of("counsellor", "client", "stranger")) {
      homeserver.register(user, PASSWORD);
    }
    Vertx vertx = Vertx.vertx();
    try {
      List<Long> floor = measureFloor(vertx, homeserver, trials);
      List<Long> removal = measureRemoval(vertx, homeserver, trials);
      String report = report("floor (join pushed to a no-op appservice)", floor) + "\n"
          + report("removal (join accepted -> kick accepted)", removal);
      System.out.println(report);
      Files.writeString(homeserver.workDir.resolve("removal-latency.txt"), report + "\n");
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** A no-op appservice on the bridge's port records when each of the stranger's joins arrives. */
  private static List<Long> measureFloor(Vertx vertx, TestHomeserver homeserver, int trials)
      throws Exception {
    BridgeConfig config = homeserver.bridgeConfig(Map.of());
    Map<String, Long> arrivals = new ConcurrentHashMap<>();
    Map<String, Long> sent = new ConcurrentHashMap<>();
    HttpServer noop = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      long now = System.currentTimeMillis();
      if (request.method() == io.vertx.core.http.HttpMethod.PUT && body.length() > 0) {
        JsonArray events = body.toJsonObject().getJsonArray("events", new JsonArray());
        for (int i = 0; i < events.size(); i++) {
          JsonObject event = events.getJsonObject(i);
          if ("m.room.member".equals(event.getString("type"))
              && "join".equals(event.getJsonObject("content").getString("membership"))) {
            arrivals.put(event.getString("event_id"), now);
            sent.put(event.getString("event_id"), event.getLong("origin_server_ts"));
          }
        }
      }
      request.response().putHeader("Content-Type", "application/json").end("{}");
    })).listen(homeserver.bridgePort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();

    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("counsellor", PASSWORD);
    MatrixTestClient stranger = new MatrixTestClient(vertx, homeserver.clientUrl).login("stranger", PASSWORD);
    MatrixTestClient bot = new MatrixTestClient(vertx, homeserver.clientUrl)
        .withToken(config.appservice().asToken(), config.botUserId());
    String room = counsellor.call(HttpMethod.POST, "/_matrix/client/v3/createRoom",
        new JsonObject().put("preset", "public_chat")).getString("room_id");
    counsellor.invite(room, config.botUserId());
    bot.join(room);
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      String joinId = stranger.call(HttpMethod.PUT, "/_matrix/client/v3/rooms/"
          + MatrixTestClient.encode(room) + "/state/m.room.member/"
          + MatrixTestClient.encode(stranger.userId()), new JsonObject().put("membership", "join"))
          .getString("event_id");
      MatrixTestClient.eventually(WAIT, "the join to reach the appservice", () ->
          Optional.ofNullable(arrivals.get(joinId)));
      samples.add(arrivals.get(joinId) - sent.get(joinId));
      stranger.call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room)
          + "/leave", new JsonObject());
    }
    noop.close().toCompletionStage().toCompletableFuture().get();
    return samples;
  }

  /** The real bridge in a counselling room with counsellor and client; the bot lets a third person in. */
  private static List<Long> measureRemoval(Vertx vertx, TestHomeserver homeserver, int trials)
      throws Exception {
    Path database = homeserver.workDir.resolve("bench-bridge-" + System.nanoTime() + ".db");
    BridgeConfig config = homeserver.bridgeConfig(database);
    RunningBridge bridge = new RunningBridge(vertx, config).start();
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("counsellor", PASSWORD);
    MatrixTestClient client = new MatrixTestClient(vertx, homeserver.clientUrl).login("client", PASSWORD);
    MatrixTestClient stranger = new MatrixTestClient(vertx, homeserver.clientUrl).login("stranger", PASSWORD);
    MatrixTestClient bot = new MatrixTestClient(vertx, homeserver.clientUrl)
        .withToken(config.appservice().asToken(), config.botUserId());
    String[] room = {counsellingRoomWithClient(counsellor, client, config.botUserId())};

    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < trials; i++) {
      // The bot's own invites are trusted, so the third person can really join; the join must go.
      bot.invite(room[0], stranger.userId());
      stranger.join(room[0]);
      MatrixTestClient.eventually(WAIT, "the kick", () ->
          "leave".equals(counsellor.membership(room[0], stranger.userId())) ? Optional.of(true) : Optional.empty());
      samples.add(joinToKick(counsellor, room[0], stranger.userId()));
    }
    return samples;
  }

  /** Milliseconds between the stranger's latest join and the kick that followed, by server time. */
  static long joinToKick(MatrixTestClient counsellor, String roomId, String userId) {
    JsonArray chunk = counsellor.call(HttpMethod.GET, "/_matrix/client/v3/rooms/"
        + MatrixTestClient.encode(roomId) + "/messages?dir=b&limit=10", null).getJsonArray("chunk");
    Long kick = null;
    for (int i = 0; i < chunk.size(); i++) {
      JsonObject event = chunk.getJsonObject(i);
      if (!"m.room.member".equals(event.getString("type")) || !userId.equals(event.getString("state_key"))) {
        continue;
      }
      String membership = event.getJsonObject("content").getString("membership");
      if (kick == null && "leave".equals(membership)) {
        kick = event.getLong("origin_server_ts");
      } else if (kick != null && "join".equals(membership)) {
        return kick - event.getLong("origin_server_ts");
      }
    }
    throw new IllegalStateException("no join/kick pair found for " + userId);
  }

  static String[] counsellingRoom(MatrixTestClient counsellor, String control, String bot) {
    String asked = counsellor.sendText(control, "!gesprek nieuw");
    String body = MatrixTestClient.eventually(WAIT, "the new room", () ->
        counsellor.messageFrom(control, bot, asked).map(e -> e.getJsonObject("content").getString("body"))
            .filter(text -> text.contains("Klopcode")));
    Matcher room = Pattern.compile("(![A-Za-z0-9]+:caw\\.test)").matcher(body);
    Matcher code = Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)").matcher(body);
    if (!room.find() || !code.find()) {
      throw new IllegalStateException("unexpected answer: " + body);
    }
    counsellor.join(room.group(1));
    return new String[] {room.group(1), code.group(1)};
  }

  /**
   * A counselling room made through the bridge with the counsellor in it and a client let in the
   * way clients come in (consent to the bot, knock with the code, admitted); returns the room id.
   */
  static String counsellingRoomWithClient(MatrixTestClient counsellor, MatrixTestClient client, String bot) {
    String[] room = counsellingRoom(counsellor, RunningBridge.openDirectChat(counsellor, bot), bot);
    String consentChat = RunningBridge.openDirectChat(client, bot);
    client.sendText(consentChat, "!toestemming geef");
    MatrixTestClient.eventually(WAIT, "the client's consent", () -> client.messageBodies(consentChat,
        bot, 10).stream().filter(body -> body.contains("genoteerd")).findFirst());
    client.knock(room[0], room[1]);
    MatrixTestClient.eventually(WAIT, "the client's admission", () ->
        "invite".equals(counsellor.membership(room[0], client.userId())) ? Optional.of(true) : Optional.empty());
    client.join(room[0]);
    return room[0];
  }

  static String report(String what, List<Long> samples) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return String.format("%-45s n=%d  p50=%d ms  p95=%d ms  p99=%d ms  max=%d ms", what, sorted.size(),
        percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), sorted.get(sorted.size() - 1));
  }

  static long percentileOf(List<Long> samples, int p) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return percentile(sorted, p);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
  }
}
