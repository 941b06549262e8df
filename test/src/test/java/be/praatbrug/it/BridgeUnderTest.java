package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.main.BridgeVerticle;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real bridge for one test against the shared test homeserver, set up the same way for every
 * IT: its own Vert.x, its own store and ledger key in a fresh directory, the homeserver's
 * registration, then started and ready before the test's own {@code @BeforeEach} runs; stopped
 * and its directory deleted after the test. Register with {@code @RegisterExtension}.
 */
final class BridgeUnderTest implements BeforeEachCallback, AfterEachCallback {

  private final Map<String, Supplier<String>> settings = new LinkedHashMap<>();
  private Clock clock = Clock.systemUTC();
  private Vertx vertx;
  private Path directory;
  private BridgeConfig config;
  private RunningBridge bridge;

  /** An environment-style setting ({@code PRAATBRUG_SECTION_KEY}), read when the bridge starts. */
  BridgeUnderTest with(String variable, String value) {
    return with(variable, () -> value);
  }

  /** The same, for a value known only once the test class is set up (a directory made in {@code @BeforeAll}). */
  BridgeUnderTest with(String variable, Supplier<String> value) {
    settings.put(variable, value);
    return this;
  }

  /** The bridge runs on this clock ({@link TestClock}) instead of the system's. */
  BridgeUnderTest onClock(Clock clock) {
    this.clock = clock;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    vertx = Vertx.vertx();
    directory = Files.createTempDirectory("praatbrug-it-");
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString());
    overrides.put("PRAATBRUG_LEDGER_KEY_FILE", directory.resolve("ledger-key.json").toString());
    settings.forEach((variable, value) -> overrides.put(variable, value.get()));
    config = TestHomeserver.get().bridgeConfig(overrides);
    bridge = new RunningBridge(vertx, config, clock).start();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      deleteDirectory();
    }
  }

  Vertx vertx() {
    return vertx;
  }

  BridgeConfig config() {
    return config;
  }

  /** Where the store and ledger key of this test's bridge live. */
  Path directory() {
    return directory;
  }

  BridgeVerticle verticle() {
    return bridge.verticle();
  }

  /** Stops the bridge (as a crash or an update would); the store stays. */
  void stop() throws Exception {
    bridge.stop();
  }

  /** Starts it again on the same store, config and clock. */
  void start() throws Exception {
    bridge.start();
  }

  void restart() throws Exception {
    stop();
    start();
  }

  /** A direct chat between {@code person} and the bot, once the bot has joined it. */
  String openDirectChat(MatrixTestClient person) {
    return bridge.openDirectChat(person);
  }

  String scrapeMetrics() throws Exception {
    return bridge.scrapeMetrics();
  }

  /** Finished passes of a periodic job ({@code retention}, {@code reminders}) since this start. */
  long jobPasses(String job) throws Exception {
    return count("praatbrug_job_passes_total{job=\"" + job + "\"");
  }

  /** The sum of the metric series whose lines start with {@code series} (name and first labels). */
  long count(String series) throws Exception {
    return RunningBridge.count(scrapeMetrics(), series);
  }

  /**
   * Waits until the job has finished at least {@code passes} passes since this start: what
   * "nothing more happens" needs, rather than a fixed sleep that a slow machine outruns.
   */
  void awaitJobPasses(String job, long passes) {
    MatrixTestClient.eventually(java.time.Duration.ofSeconds(60), passes + " passes of the " + job + " job", () -> {
      try {
        return jobPasses(job) >= passes ? java.util.Optional.of(true) : java.util.Optional.empty();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private void deleteDirectory() throws IOException {
    if (directory == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
