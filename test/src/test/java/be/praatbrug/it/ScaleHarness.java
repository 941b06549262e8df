package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bridge costs with many rooms (#21), on a real Synapse with the shipped jar as its own
 * process. For each N given (growing, e.g. {@code 1000 5000 10000}) it makes rooms up to N through
 * the bridge ({@link ScaleRooms}) and measures: resident memory and heap after a full GC, idle and
 * during a burst; a burst in which a third person joins {@code SCALE_BURST} rooms at once, each
 * join until its kick by Synapse's timestamps, beside one join at a time; how long Synapse itself
 * takes for that many kicks (the bridge stopped, the bot kicking); and a restart until ready beside
 * the floor, the same state fetches made by a bare HTTP client with the same concurrency.
 *
 * <p>Run with {@code test/scripts/bench-scale.sh N...}; not part of the test suite.
 */
public final class ScaleHarness {

  private static final String PASSWORD = "scale benchmark password";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int IN_FLIGHT = 32;

  private final Vertx vertx = Vertx.vertx();
  private final HttpClient http = HttpClient.newHttpClient();
  private final TestHomeserver homeserver = TestHomeserver.get();
  private final int parallel = Integer.parseInt(System.getenv().getOrDefault("SCALE_PARALLEL", "6"));
  private final int burst = Integer.parseInt(System.getenv().getOrDefault("SCALE_BURST", "200"));
  private final int fetchConcurrency = Integer.parseInt(System.getenv().getOrDefault("SCALE_FETCH_CONCURRENCY", "8"));
  private final Path results = homeserver.workDir.resolve("scale.txt");
  private BridgeConfig config;
  private BridgeProcess bridge;
  private MatrixTestClient bot;
  private MatrixTestClient stranger;

  public static void main(String[] args) throws Exception {
    try {
      new ScaleHarness().run(Arrays.stream(args).mapToInt(Integer::parseInt).toArray());
      System.exit(0);
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1);
    }
  }

  private void run(int[] sizes) throws Exception {
    int metricsPort = freePort();
    Map<String, String> env = Map.of(
        "PRAATBRUG_DATABASE_URI", homeserver.workDir.resolve("scale-bridge.db").toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", homeserver.workDir.resolve("scale-ledger-key.json").toString(),
        "PRAATBRUG_METRICS_PORT", String.valueOf(metricsPort),
        "PRAATBRUG_LOGGING_LEVEL", "warn",
        // The harness's visitors come through a trusted proxy, each from an address of her own.
        "PRAATBRUG_ENTRY_TRUSTED_PROXIES", "127.0.0.1",
        "PRAATBRUG_ENTRY_GLOBAL_WRONG_CODES", "100000");
    config = homeserver.bridgeConfig(env);
    List<String> javaOptions = List.of(System.getenv().getOrDefault("SCALE_JAVA_OPTS",
        "-Xmx512m -XX:+ExitOnOutOfMemoryError").trim().split("\\s+"));
    bridge = new BridgeProcess(homeserver, env, javaOptions, metricsPort, homeserver.workDir.resolve("scale-bridge.log"));
    homeserver.register("scalestranger", PASSWORD);
    stranger = new MatrixTestClient(vertx, homeserver.clientUrl).login("scalestranger", PASSWORD);
    bot = new MatrixTestClient(vertx, homeserver.clientUrl).withToken(config.appservice().asToken(), config.botUserId());
    bridge.startAndAwaitReady(Duration.ofMinutes(2));
    ScaleRooms rooms = new ScaleRooms(vertx, homeserver, config);
    report("java options: " + String.join(" ", javaOptions) + "; " + parallel + " counsellors at once; burst "
        + burst + "; state fetches " + fetchConcurrency + " at a time"
        + (homeserver.kept ? "; " + rooms.rooms().size() + " rooms kept from an earlier run" : ""));
    try {
      for (int size : sizes) {
        long started = System.nanoTime();
        rooms.growTo(size, parallel);
        report(String.format("N=%d: rooms made in %.0f s", size, (System.nanoTime() - started) / 1e9));
        measure("N=" + size, rooms.rooms());
      }
      // The same rooms under another build (SCALE_COMPARE_JAR), e.g. the one before a change.
      String other = System.getenv("SCALE_COMPARE_JAR");
      if (other != null && !other.isBlank()) {
        bridge.stop();
        bridge = new BridgeProcess(homeserver, env, javaOptions, metricsPort,
            homeserver.workDir.resolve("scale-compare.log"), Path.of(other));
        bridge.startAndAwaitReady(Duration.ofMinutes(10));
        measure("N=" + rooms.rooms().size() + " (" + other + ")", rooms.rooms());
      }
      // The same rooms under other JVM flags (SCALE_COMPARE_JAVA_OPTS), e.g. a collector setting.
      String flags = System.getenv("SCALE_COMPARE_JAVA_OPTS");
      if (flags != null && !flags.isBlank()) {
        bridge.stop();
        bridge = new BridgeProcess(homeserver, env, List.of(flags.trim().split("\\s+")), metricsPort,
            homeserver.workDir.resolve("scale-compare-flags.log"));
        bridge.startAndAwaitReady(Duration.ofMinutes(10));
        measure("N=" + rooms.rooms().size() + " (" + flags.trim() + ")", rooms.rooms());
      }
    } finally {
      bridge.stop();
    }
  }

  private void measure(String size, List<ScaleRooms.Room> rooms) throws Exception {
    List<String> roomIds = rooms.stream().map(ScaleRooms.Room::roomId).toList();
    List<String> burstRooms = spread(roomIds, burst);

    // One join at a time, in one room: the baseline the burst is read against.
    List<Long> single = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      single.add(joinUntilKicked(List.of(burstRooms.get(0))).get(0));
    }
    // The burst, with the process's memory sampled meanwhile.
    AtomicLong peakKb = new AtomicLong();
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          peakKb.accumulateAndGet(bridge.residentKb(), Math::max);
          Thread.sleep(100);
        } catch (Exception stop) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    String metricsBefore = bridge.metrics();
    List<Long> burstLatencies = joinUntilKicked(burstRooms);
    sampler.interrupt();
    Thread.sleep(1000); // a removal is timed when its kick is answered, just after the person is out
    String insideBurst = KickPeerHarness.insideTheBridge(metricsBefore, bridge.metrics());
    long heapLoadKb = bridge.heapAfterFullGcKb();

    // The bridge stopped: Synapse's own time for the kicks, and the floor of the startup fetches.
    bridge.stop();
    long kicksMs = synapseKicks(burstRooms);
    List<Long> idealLatencies = synapseJoinsAndKicks(burstRooms);
    long floorMs = fetchAllStates(roomIds);
    long startupMs = bridge.startAndAwaitReady(Duration.ofMinutes(10));
    Thread.sleep(10_000); // settle: the resent transactions, JIT
    long idleRssKb = bridge.residentKb();
    // A minute later, before any full GC of ours: what the collector gives back by itself when
    // nothing happens (the launcher's periodic GC), which is what a quiet night costs.
    Thread.sleep(50_000);
    long minuteRssKb = bridge.residentKb();
    long idleHeapKb = bridge.heapAfterFullGcKb();
    report(String.format("%s: RSS idle %d MB, after a minute idle %d MB, heap after full GC idle %.1f MB;"
            + " during the burst RSS peak %d MB, heap after GC %.1f MB", size, idleRssKb / 1024,
        minuteRssKb / 1024, idleHeapKb / 1024.0, peakKb.get() / 1024, heapLoadKb / 1024.0));
    report(String.format("%s: startup until ready %d ms; floor (%d state fetches, %d at a time) %d ms; ratio %.2f",
        size, startupMs, roomIds.size(), fetchConcurrency, floorMs, (double) startupMs / floorMs));
    report(String.format("%s: %s", size, RemovalLatencyHarness.report("single join -> kick", single)));
    report(String.format("%s: %s", size, RemovalLatencyHarness.report("burst of " + burstRooms.size()
        + " joins -> kicks", burstLatencies)));
    report(String.format("%s: burst, inside the bridge (means): %s", size, insideBurst));
    report(String.format("%s: Synapse alone, %d kicks sent at once by the bot: %d ms until the last was accepted",
        size, burstRooms.size(), kicksMs));
    report(String.format("%s: %s", size, RemovalLatencyHarness.report("Synapse alone, the same burst with "
        + "each kick sent as its join returns", idealLatencies)));
  }

  /**
   * The burst's floor on this Synapse: with no bridge, the same joins at once, and the bot kicks
   * each room the moment its join is answered (an appservice with no delivery or decision time),
   * {@link #IN_FLIGHT} kicks at a time beside the joins, as the bridge's own connections allow.
   * Synapse stores the joins and the kicks, as in the burst; ms join -> kick each, by its timestamps.
   */
  private List<Long> synapseJoinsAndKicks(List<String> roomIds) throws Exception {
    inviteStranger(roomIds);
    Semaphore kickSlots = new Semaphore(IN_FLIGHT);
    java.util.concurrent.ExecutorService kickers = java.util.concurrent.Executors.newFixedThreadPool(IN_FLIGHT);
    try {
      all(roomIds, room -> matrix(stranger, "POST", "/_matrix/client/v3/join/" + MatrixTestClient.encode(room), "{}")
          .thenApplyAsync(joined -> {
            kickSlots.acquireUninterruptibly();
            try {
              return matrix(bot, "POST", "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room) + "/kick",
                  new JsonObject().put("user_id", stranger.userId()).encode()).join();
            } finally {
              kickSlots.release();
            }
          }, kickers));
    } finally {
      kickers.shutdown();
    }
    List<Long> latencies = new ArrayList<>();
    for (String room : roomIds) {
      latencies.add(RemovalLatencyHarness.joinToKick(bot, room, stranger.userId()));
    }
    return latencies;
  }

  /** The stranger, invited by the bot (trusted), joins every room at once; ms join -> kick each. */
  private List<Long> joinUntilKicked(List<String> roomIds) throws Exception {
    inviteStranger(roomIds);
    all(roomIds, room -> matrix(stranger, "POST", "/_matrix/client/v3/join/" + MatrixTestClient.encode(room), "{}"));
    List<Long> latencies = new ArrayList<>();
    for (String room : roomIds) {
      MatrixTestClient.eventually(WAIT, "the stranger removed from " + room, () ->
          "leave".equals(bot.membership(room, stranger.userId())) ? Optional.of(true) : Optional.empty());
      latencies.add(RemovalLatencyHarness.joinToKick(bot, room, stranger.userId()));
    }
    return latencies;
  }

  private void inviteStranger(List<String> roomIds) throws Exception {
    all(roomIds, room -> matrix(bot, "POST", "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room)
        + "/invite", new JsonObject().put("user_id", stranger.userId()).encode()));
  }

  /** With no bridge listening: the stranger joins, then the bot kicks all at once; wall ms of the kicks. */
  private long synapseKicks(List<String> roomIds) throws Exception {
    inviteStranger(roomIds);
    all(roomIds, room -> matrix(stranger, "POST", "/_matrix/client/v3/join/" + MatrixTestClient.encode(room), "{}"));
    long started = System.nanoTime();
    all(roomIds, room -> matrix(bot, "POST", "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room)
        + "/kick", new JsonObject().put("user_id", stranger.userId()).encode()));
    return (System.nanoTime() - started) / 1_000_000;
  }

  /** The state of every room, as reconciliation fetches it, {@code fetchConcurrency} at a time. */
  private long fetchAllStates(List<String> roomIds) throws Exception {
    Semaphore slots = new Semaphore(fetchConcurrency);
    long started = System.nanoTime();
    List<CompletableFuture<?>> fetches = new ArrayList<>();
    for (String room : roomIds) {
      slots.acquire();
      fetches.add(matrix(bot, "GET", "/_matrix/client/v3/rooms/" + MatrixTestClient.encode(room) + "/state", null)
          .whenComplete((body, failure) -> slots.release()));
    }
    CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).join();
    return (System.nanoTime() - started) / 1_000_000;
  }

  /**
   * One call per room, {@link #IN_FLIGHT} at a time: Synapse resets connections beyond its listen
   * backlog when hundreds are opened at once, and that many already make a burst for it.
   */
  private void all(List<String> roomIds, java.util.function.Function<String, CompletableFuture<String>> call)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    List<CompletableFuture<?>> calls = new ArrayList<>();
    for (String room : roomIds) {
      slots.acquire();
      calls.add(call.apply(room).whenComplete((body, failure) -> slots.release()));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
  }

  private CompletableFuture<String> matrix(MatrixTestClient as, String method, String path, String body) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(homeserver.clientUrl + path))
        .timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + as.accessToken())
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    // A connection reset under load is tried once more (joins, invites and kicks may repeat).
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .exceptionallyCompose(failure -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
        .thenApply(response -> {
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " " + response.body());
      }
      return response.body();
    });
  }

  private static List<String> spread(List<String> all, int count) {
    List<String> picked = new ArrayList<>();
    int step = Math.max(1, all.size() / Math.min(count, all.size()));
    for (int i = 0; i < all.size() && picked.size() < count; i += step) {
      picked.add(all.get(i));
    }
    return picked;
  }

  private void report(String line) throws Exception {
    System.out.println(line);
    Files.writeString(results, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
