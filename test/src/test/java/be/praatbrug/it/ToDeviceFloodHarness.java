package be.praatbrug.it;

import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.crypto.megolm.OutboundGroupSession;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmMessage;
import be.praatbrug.crypto.olm.OlmSession;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Removal latency next to a flood of to-device messages, against a real Synapse and the real
 * bridge: one local account (the "flooder", with a real device and a real Olm session to the bot's
 * device) sends the bot 1,000 encrypted {@code m.room_key} messages for rooms the bot is not in,
 * while in a counselling room a third person joins and is removed again and again. Reported: the
 * join → kick latency (Synapse's own timestamps) without the flood and while it is delivered and
 * worked through. Target: the flood delays a kick by at most 50 ms.
 *
 * <p>Run with {@code test/scripts/bench-flood.sh [messages] [trials]}; not part of the test suite.
 */
public final class ToDeviceFloodHarness {

  private static final String PASSWORD = "benchmark password";
  private static final Duration WAIT = Duration.ofSeconds(30);

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int baselineTrials = args.length > 1 ? Integer.parseInt(args[1]) : 40;
    TestHomeserver homeserver = TestHomeserver.get();
    for (String user : List.of("counsellor", "client", "stranger", "flooder")) {
      homeserver.register(user, PASSWORD);
    }
    Vertx vertx = Vertx.vertx();
    int exit = 0;
    try {
      String report = run(vertx, homeserver, messages, baselineTrials);
      System.out.println(report);
      Files.writeString(homeserver.workDir.resolve("to-device-flood.txt"), report + "\n");
    } catch (Throwable failure) {
      failure.printStackTrace();
      exit = 1;
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(exit);
  }

  private static String run(Vertx vertx, TestHomeserver homeserver, int messages, int baselineTrials)
      throws Exception {
    Path database = homeserver.workDir.resolve("flood-bridge-" + System.nanoTime() + ".db");
    BridgeConfig config = homeserver.bridgeConfig(Map.of(
        "PRAATBRUG_DATABASE_URI", database.toString(),
        "PRAATBRUG_SECRET_KEY_FILE", homeserver.workDir.resolve("flood-secret-" + System.nanoTime() + ".json").toString()));
    RunningBridge bridge = new RunningBridge(vertx, config).start();
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("counsellor", PASSWORD);
    MatrixTestClient client = new MatrixTestClient(vertx, homeserver.clientUrl).login("client", PASSWORD);
    MatrixTestClient stranger = new MatrixTestClient(vertx, homeserver.clientUrl).login("stranger", PASSWORD);
    MatrixTestClient bot = new MatrixTestClient(vertx, homeserver.clientUrl)
        .withToken(config.appservice().asToken(), config.botUserId());
    String[] room = {RemovalLatencyHarness.counsellingRoomWithClient(counsellor, client, config.botUserId())};

    Flooder flooder = new Flooder(vertx, homeserver, config.botUserId(), bridge.verticle().botDevice().deviceId());
    List<Long> baseline = trials(counsellor, stranger, bot, room[0], baselineTrials, () -> true);
    Phases removal = duringFlood(flooder, messages, more -> trials(counsellor, stranger, bot, room[0], Integer.MAX_VALUE, more));
    bridge.stop();

    // The floor: the same join → kick by an appservice that does nothing else, with and without a
    // flood (Synapse itself gets slower while it takes a thousand requests in on the same two cores).
    Floor floor = new Floor(vertx, homeserver, config, stranger, bot);
    List<Long> floorBaseline = floor.trials(baselineTrials, () -> true);
    Phases floorFlood = duringFlood(flooder, messages, more -> floor.trials(Integer.MAX_VALUE, more));
    floor.close();

    // What the bridge adds to what Synapse alone takes, under the same flood.
    long shareP50 = percentile(removal.sending, 50) - percentile(floorFlood.sending, 50)
        - (percentile(baseline, 50) - percentile(floorBaseline, 50));
    long shareP95 = percentile(removal.sending, 95) - percentile(floorFlood.sending, 95)
        - (percentile(baseline, 95) - percentile(floorBaseline, 95));
    return String.join("\n",
        RemovalLatencyHarness.report("floor (no-op kick), no flood", floorBaseline),
        RemovalLatencyHarness.report("floor (no-op kick), while the flood is sent", floorFlood.sending),
        RemovalLatencyHarness.report("floor (no-op kick), 10 s after it was sent", floorFlood.after),
        RemovalLatencyHarness.report("removal, no flood", baseline),
        RemovalLatencyHarness.report("removal, while the flood is sent", removal.sending),
        RemovalLatencyHarness.report("removal, 10 s after it was sent", removal.after),
        String.format("flood: %d to-device messages from one account, accepted by Synapse in %d ms (bridge run)"
            + " and %d ms (floor run)", messages, removal.sendMs, floorFlood.sendMs),
        String.format("removal p50 %+d ms / p95 %+d ms while sent, p50 %+d ms / p95 %+d ms after; floor"
            + " p50 %+d ms / p95 %+d ms while sent; delay the flood adds through the bridge (beyond the"
            + " floor's): p50 %+d ms, p95 %+d ms",
            percentile(removal.sending, 50) - percentile(baseline, 50),
            percentile(removal.sending, 95) - percentile(baseline, 95),
            percentile(removal.after, 50) - percentile(baseline, 50),
            percentile(removal.after, 95) - percentile(baseline, 95),
            percentile(floorFlood.sending, 50) - percentile(floorBaseline, 50),
            percentile(floorFlood.sending, 95) - percentile(floorBaseline, 95), shareP50, shareP95));
  }

  private static long percentile(List<Long> samples, int p) {
    return samples.isEmpty() ? -1 : RemovalLatencyHarness.percentileOf(samples, p);
  }

  /** Samples taken while the flood was being sent, and in the 10 s after. */
  private record Phases(List<Long> sending, List<Long> after, long sendMs) {}

  private static Phases duringFlood(Flooder flooder, int messages,
      java.util.function.Function<java.util.function.BooleanSupplier, List<Long>> measure) throws Exception {
    ExecutorService sending = Executors.newSingleThreadExecutor();
    Future<Long> sent = sending.submit(() -> flooder.send(messages, 8));
    List<Long> whileSending = measure.apply(() -> !sent.isDone());
    long sentAt = System.nanoTime();
    List<Long> after = measure.apply(() -> System.nanoTime() - sentAt < Duration.ofSeconds(10).toNanos());
    long sendMs = sent.get();
    sending.shutdown();
    return new Phases(whileSending, after, sendMs);
  }

  /**
   * The floor: an appservice on the bridge's port that does no work at all but kick the stranger
   * the moment its join arrives (no decision, no store, no E2EE device), in a room the bot made.
   * Join → kick there is what Synapse alone takes: pushing the join and creating the kick.
   */
  private static final class Floor {
    private final HttpServer server;
    private final WebClient web;
    private final MatrixTestClient stranger;
    private final MatrixTestClient bot;
    private final String room;

    Floor(Vertx vertx, TestHomeserver homeserver, BridgeConfig config, MatrixTestClient stranger,
        MatrixTestClient bot) throws Exception {
      this.stranger = stranger;
      this.bot = bot;
      this.web = WebClient.create(vertx);
      this.room = bot.call(HttpMethod.POST, "/_matrix/client/v3/createRoom",
          new JsonObject().put("preset", "public_chat")).getString("room_id");
      String kickUrl = homeserver.clientUrl + "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room) + "/kick";
      this.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        if (request.method() == HttpMethod.PUT && body.length() > 0) {
          JsonArray events = body.toJsonObject().getJsonArray("events", new JsonArray());
          for (int i = 0; i < events.size(); i++) {
            JsonObject event = events.getJsonObject(i);
            if ("m.room.member".equals(event.getString("type")) && room.equals(event.getString("room_id"))
                && stranger.userId().equals(event.getString("state_key"))
                && "join".equals(event.getJsonObject("content").getString("membership"))) {
              web.postAbs(kickUrl).bearerTokenAuthentication(config.appservice().asToken())
                  .sendJsonObject(new JsonObject().put("user_id", stranger.userId()).put("reason", "floor"));
            }
          }
        }
        request.response().putHeader("Content-Type", "application/json").end("{}");
      })).listen(homeserver.bridgePort, "127.0.0.1").toCompletionStage().toCompletableFuture().get();
    }

    List<Long> trials(int max, java.util.function.BooleanSupplier more) {
      List<Long> samples = new ArrayList<>();
      while (samples.size() < max && more.getAsBoolean()) {
        stranger.join(room);
        MatrixTestClient.eventually(WAIT, "the floor's kick", () ->
            "leave".equals(bot.membership(room, stranger.userId())) ? Optional.of(true) : Optional.empty());
        samples.add(RemovalLatencyHarness.joinToKick(bot, room, stranger.userId()));
      }
      return samples;
    }

    void close() throws Exception {
      server.close().toCompletionStage().toCompletableFuture().get();
      web.close();
    }
  }

  /** Kicks of a third person the bot lets in, measured join → kick, while {@code more} says so. */
  private static List<Long> trials(MatrixTestClient counsellor, MatrixTestClient stranger, MatrixTestClient bot,
      String room, int max, java.util.function.BooleanSupplier more) {
    List<Long> samples = new ArrayList<>();
    while (samples.size() < max && more.getAsBoolean()) {
      bot.invite(room, stranger.userId());
      stranger.join(room);
      MatrixTestClient.eventually(WAIT, "the kick", () ->
          "leave".equals(counsellor.membership(room, stranger.userId())) ? Optional.of(true) : Optional.empty());
      samples.add(RemovalLatencyHarness.joinToKick(counsellor, room, stranger.userId()));
    }
    return samples;
  }

  /** A real device of a local account with one Olm session to the bot's device. */
  private static final class Flooder {
    private final MatrixTestClient account;
    private final OlmAccount olm = OlmAccount.create();
    private final String deviceId;
    private final String botUserId;
    private final String botDeviceId;
    private final String botCurve;
    private final String botEd25519;
    private final OlmSession session;

    Flooder(Vertx vertx, TestHomeserver homeserver, String botUserId, String botDeviceId) {
      this.account = new MatrixTestClient(vertx, homeserver.clientUrl).login("flooder", PASSWORD);
      this.deviceId = account.call(HttpMethod.GET, "/_matrix/client/v3/account/whoami", null).getString("device_id");
      this.botUserId = botUserId;
      this.botDeviceId = botDeviceId;
      JsonObject deviceKeys = new JsonObject().put("user_id", account.userId()).put("device_id", deviceId)
          .put("algorithms", new JsonArray().add("m.olm.v1.curve25519-aes-sha2").add("m.megolm.v1.aes-sha2"))
          .put("keys", new JsonObject().put("curve25519:" + deviceId, olm.identityKeys().curve25519())
              .put("ed25519:" + deviceId, olm.identityKeys().ed25519()));
      account.call(HttpMethod.POST, "/_matrix/client/v3/keys/upload",
          new JsonObject().put("device_keys", signed(deviceKeys)));
      JsonObject bot = account.call(HttpMethod.POST, "/_matrix/client/v3/keys/query", new JsonObject()
          .put("device_keys", new JsonObject().put(botUserId, new JsonArray())))
          .getJsonObject("device_keys").getJsonObject(botUserId).getJsonObject(botDeviceId);
      this.botCurve = bot.getJsonObject("keys").getString("curve25519:" + botDeviceId);
      this.botEd25519 = bot.getJsonObject("keys").getString("ed25519:" + botDeviceId);
      JsonObject claimed = account.call(HttpMethod.POST, "/_matrix/client/v3/keys/claim", new JsonObject()
          .put("one_time_keys", new JsonObject().put(botUserId, new JsonObject().put(botDeviceId, "signed_curve25519"))))
          .getJsonObject("one_time_keys").getJsonObject(botUserId).getJsonObject(botDeviceId);
      String oneTimeKey = claimed.getJsonObject(claimed.fieldNames().iterator().next()).getString("key");
      this.session = OlmSession.createOutbound(olm, botCurve, oneTimeKey);
    }

    private JsonObject signed(JsonObject object) {
      String signature = olm.signJson(JsonBodies.plainMap(object));
      return object.put("signatures", new JsonObject().put(account.userId(),
          new JsonObject().put("ed25519:" + deviceId, signature)));
    }

    /** Sends {@code count} room keys, {@code parallel} requests at a time; returns how long it took (ms). */
    long send(int count, int parallel) throws Exception {
      long start = System.nanoTime();
      ExecutorService senders = Executors.newFixedThreadPool(parallel);
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < parallel; w++) {
        workers.add(senders.submit(() -> {
          for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            JsonObject content = encrypted(i);
            account.call(HttpMethod.PUT, "/_matrix/client/v3/sendToDevice/m.room.encrypted/flood-" + i + "-" + start,
                new JsonObject().put("messages", new JsonObject().put(botUserId, new JsonObject().put(botDeviceId, content))));
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      senders.shutdown();
      return (System.nanoTime() - start) / 1_000_000;
    }

    /** An m.room_key for a room the bot is not in, over the Olm session (one at a time: a ratchet). */
    private synchronized JsonObject encrypted(int i) {
      OutboundGroupSession megolm = OutboundGroupSession.create();
      JsonObject payload = new JsonObject().put("type", "m.room_key")
          .put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")
              .put("room_id", "!flood" + i + ":caw.test").put("session_id", megolm.sessionId())
              .put("session_key", megolm.sessionKey()))
          .put("sender", account.userId()).put("sender_device", deviceId)
          .put("keys", new JsonObject().put("ed25519", olm.identityKeys().ed25519()))
          .put("recipient", botUserId).put("recipient_keys", new JsonObject().put("ed25519", botEd25519));
      OlmMessage message = session.encrypt(payload.encode());
      return new JsonObject().put("algorithm", "m.olm.v1.curve25519-aes-sha2")
          .put("sender_key", olm.identityKeys().curve25519())
          .put("ciphertext", new JsonObject().put(botCurve,
              new JsonObject().put("type", message.type()).put("body", message.body())));
    }
  }
}
