package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bridge's removal latency beside a peer (issue #21): the shipped bridge jar and a minimal
 * appservice on npm {@code matrix-appservice} that applies only the one-to-one kick rule
 * ({@code test/bench-peer/one-to-one-peer.mjs}), each in its own process, take turns on the same
 * registration and the same counselling room. Per trial the bot invites a third person, she joins,
 * and the join → kick time is read from Synapse's own timestamps. Rounds alternate (bridge, peer,
 * bridge, peer, …) so a drift of the machine hits both.
 *
 * <p>Run with {@code test/scripts/bench-peer.sh [trials] [rounds]}; not part of the test suite.
 */
public final class KickPeerHarness {

  private static final String PASSWORD = "benchmark password";
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Unmeasured trials per turn; {@code PEER_BENCH_WARM_UP} sets another count (a long-running bridge). */
  private static final int WARM_UP = Integer.parseInt(System.getenv().getOrDefault("PEER_BENCH_WARM_UP", "50"));

  private final TestHomeserver homeserver = TestHomeserver.get();
  private final Vertx vertx = Vertx.vertx();

  public static void main(String[] args) {
    try {
      new KickPeerHarness().run(args.length > 0 ? Integer.parseInt(args[0]) : 100,
          args.length > 1 ? Integer.parseInt(args[1]) : 2, args.length > 2 ? Integer.parseInt(args[2]) : 0);
      System.exit(0);
    } catch (Throwable failure) {
      failure.printStackTrace();
      System.exit(1);
    }
  }

  private void run(int trials, int rounds, int pauseMs) throws Exception {
    for (String user : List.of("counsellor", "client", "stranger")) {
      homeserver.register(user, PASSWORD);
    }
    int metricsPort = freePort();
    Map<String, String> env = Map.of(
        "PRAATBRUG_DATABASE_URI", homeserver.workDir.resolve("peer-bench-bridge-" + System.nanoTime() + ".db").toString(),
        "PRAATBRUG_LEDGER_KEY_FILE", homeserver.workDir.resolve("peer-bench-ledger-key.json").toString(),
        "PRAATBRUG_METRICS_PORT", String.valueOf(metricsPort),
        "PRAATBRUG_LOGGING_LEVEL", System.getenv().getOrDefault("PEER_BENCH_LOG_LEVEL", "warn"));
    BridgeConfig config = homeserver.bridgeConfig(env);
    // The launcher's flags unless PEER_BENCH_JAVA_OPTS says otherwise (to compare JVM settings).
    List<String> javaOptions = List.of(System.getenv().getOrDefault("PEER_BENCH_JAVA_OPTS",
        "-Xmx512m -XX:+ExitOnOutOfMemoryError").trim().split("\\s+"));
    BridgeProcess bridge = new BridgeProcess(homeserver, env, javaOptions, metricsPort,
        homeserver.workDir.resolve("peer-bench-bridge.log"));

    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl).login("counsellor", PASSWORD);
    MatrixTestClient client = new MatrixTestClient(vertx, homeserver.clientUrl).login("client", PASSWORD);
    MatrixTestClient stranger = new MatrixTestClient(vertx, homeserver.clientUrl).login("stranger", PASSWORD);
    MatrixTestClient bot = new MatrixTestClient(vertx, homeserver.clientUrl)
        .withToken(config.appservice().asToken(), config.botUserId());
    bridge.startAndAwaitReady(Duration.ofMinutes(2));
    String room = RemovalLatencyHarness.counsellingRoomWithClient(counsellor, client, config.botUserId());
    bridge.stop();

    StringBuilder report = new StringBuilder("java options: " + String.join(" ", javaOptions) + "\n");
    System.out.print(report);
    List<Long> allBridge = new ArrayList<>();
    List<Long> allPeer = new ArrayList<>();
    for (int round = 1; round <= rounds; round++) {
      bridge.startAndAwaitReady(Duration.ofMinutes(2));
      String before = bridge.metrics();
      List<Long> ours = kicks(trials, room, bot, stranger, counsellor, pauseMs);
      String inside = insideTheBridge(before, bridge.metrics());
      bridge.stop();
      Process peer = startPeer(config);
      List<Long> theirs;
      try {
        theirs = kicks(trials, room, bot, stranger, counsellor, pauseMs);
      } finally {
        peer.destroy();
        peer.waitFor(10, TimeUnit.SECONDS);
      }
      allBridge.addAll(ours);
      allPeer.addAll(theirs);
      String lines = RemovalLatencyHarness.report("round " + round + " Praatbrug (join -> kick)", ours) + "\n"
          + RemovalLatencyHarness.report("round " + round + " matrix-appservice peer", theirs) + "\n"
          + "round " + round + " inside the bridge: " + inside + "\n";
      System.out.print(lines);
      report.append(lines);
    }
    String total = RemovalLatencyHarness.report("all rounds Praatbrug", allBridge) + "\n"
        + RemovalLatencyHarness.report("all rounds matrix-appservice peer", allPeer) + "\n";
    System.out.print(total);
    report.append(total);
    Files.writeString(homeserver.workDir.resolve("kick-peer.txt"), report.toString());
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Warm-up trials first (first read of the room, JIT, connections), then {@code trials} measured. */
  private static List<Long> kicks(int trials, String room, MatrixTestClient bot, MatrixTestClient stranger,
      MatrixTestClient counsellor, int pauseMs) throws InterruptedException {
    List<Long> samples = new ArrayList<>();
    for (int i = 0; i < WARM_UP + trials; i++) {
      bot.invite(room, stranger.userId());
      stranger.join(room);
      MatrixTestClient.eventually(WAIT, "the kick", () ->
          "leave".equals(counsellor.membership(room, stranger.userId())) ? Optional.of(true) : Optional.empty());
      long joinToKick = RemovalLatencyHarness.joinToKick(counsellor, room, stranger.userId());
      if (i >= WARM_UP) {
        samples.add(joinToKick);
      }
      // A pause lets what follows a kick (the bridge's notice to the counsellor) finish first.
      Thread.sleep(pauseMs);
    }
    return samples;
  }

  /**
   * Mean milliseconds, over one round, from a transaction arriving to the last action for an event
   * done (the kick), and of the bridge's kick requests to the homeserver: the difference is the
   * bridge's own time on the way to the kick.
   */
  static String insideTheBridge(String before, String after) {
    double[] enforce = delta(before, after, "praatbrug_enforcement_latency_seconds", "");
    double[] kicks = delta(before, after, "praatbrug_homeserver_requests_seconds", "api=\"client.rooms.kick\"");
    return String.format("transaction in -> kick done %.1f ms (n=%d), of which the kick request %.1f ms (n=%d)",
        enforce[0] * 1000 / Math.max(1, enforce[1]), (long) enforce[1], kicks[0] * 1000 / Math.max(1, kicks[1]),
        (long) kicks[1]);
  }

  /** {sum, count} of a timer between two scrapes, over the series whose labels contain {@code label}. */
  private static double[] delta(String before, String after, String name, String label) {
    return new double[] {
        sum(after, name + "_sum", label) - sum(before, name + "_sum", label),
        sum(after, name + "_count", label) - sum(before, name + "_count", label)};
  }

  private static double sum(String scrape, String series, String label) {
    return scrape.lines().filter(line -> line.startsWith(series) && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  /** The JS peer on the bridge's port, with the bridge's registration; returns once it listens. */
  private Process startPeer(BridgeConfig config) throws Exception {
    Path peerDir = TestHomeserver.repository().resolve("test/bench-peer");
    if (!Files.isDirectory(peerDir.resolve("node_modules/matrix-appservice"))) {
      throw new IllegalStateException("run npm ci in " + peerDir + " first (bench-peer.sh does)");
    }
    Process peer = new ProcessBuilder("node", "one-to-one-peer.mjs", "--port", String.valueOf(homeserver.bridgePort),
        "--hs-token", config.appservice().hsToken(), "--as-token", config.appservice().asToken(),
        "--homeserver", homeserver.clientUrl, "--bot", config.botUserId())
        .directory(peerDir.toFile()).redirectErrorStream(true).start();
    BufferedReader output = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    String line = output.readLine();
    if (line == null || !line.startsWith("peer listening")) {
      throw new IllegalStateException("the peer did not start: " + line);
    }
    Thread drain = new Thread(() -> output.lines().forEach(text -> System.err.println("[peer] " + text)));
    drain.setDaemon(true);
    drain.start();
    return peer;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
