package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.main.BridgeVerticle;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The real bridge deployed in the test JVM, and the first step every scenario takes with it. */
final class RunningBridge {

  private final Vertx vertx;
  private final BridgeConfig config;
  private final Clock clock;
  private String deployment;
  private BridgeVerticle verticle;

  RunningBridge(Vertx vertx, BridgeConfig config) {
    this(vertx, config, Clock.systemUTC());
  }

  /** With a clock of the test's own ({@link TestClock}), for what happens at a set time. */
  RunningBridge(Vertx vertx, BridgeConfig config, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.clock = clock;
  }

  RunningBridge start() throws Exception {
    verticle = new BridgeVerticle(config, clock);
    deployment = vertx.deployVerticle(verticle)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return this;
  }

  BridgeVerticle verticle() {
    return verticle;
  }

  /** The bridge's metrics in the Prometheus text format, from its internal listener. */
  String scrapeMetrics() throws Exception {
    java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + verticle.opsPort() + "/metrics"))
            .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("metrics answered " + response.statusCode());
    }
    return response.body();
  }

  /**
   * The sum of the series in a metrics scrape whose lines start with {@code seriesPrefix} (name and
   * maybe first labels) and contain every one of {@code labels}.
   */
  static long count(String scrape, String seriesPrefix, String... labels) {
    return Math.round(scrape.lines()
        .filter(line -> line.startsWith(seriesPrefix) && java.util.Arrays.stream(labels).allMatch(line::contains))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum());
  }

  void stop() throws Exception {
    vertx.undeploy(deployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A direct chat between {@code person} and the bot, once the bot has joined it. */
  String openDirectChat(MatrixTestClient person) {
    return openDirectChat(person, config.botUserId());
  }

  /** The same with a bridge running elsewhere (its own process): only the bot's id is needed. */
  static String openDirectChat(MatrixTestClient person, String bot) {
    String room = person.createDirectRoom(bot);
    MatrixTestClient.eventually(Duration.ofSeconds(20), "the bot to join the direct chat", () ->
        person.joinedMembers(room).containsKey(bot) ? Optional.of(true) : Optional.empty());
    return room;
  }
}
