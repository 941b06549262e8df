package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two real bridge processes (the shipped jar) against one real PostgreSQL and a real Synapse:
 * only the one holding the advisory lock listens and acts; after {@code kill -9} of that leader
 * the standby takes over within the bound (retry interval + startup) and answers commands again,
 * including the one sent while no bridge was up. Prints the measured times (BENCHMARKS.md).
 */
class FailoverIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final int RETRY_SECONDS = 2;
  /** Retry interval plus a full startup (homeserver ping, reconciliation) on a loaded machine. */
  private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(RETRY_SECONDS + 40);

  private static final int REMINDER_LEAD_SECONDS = 30;
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("dd/MM HH:mm");

  private final HttpClient http = HttpClient.newHttpClient();
  private Process leader;
  private Process standby;
  private Vertx vertx;

  @AfterEach
  void stopProcesses() throws Exception {
    for (Process process : new Process[] {leader, standby}) {
      if (process != null && process.isAlive()) {
        process.destroy();
        process.waitFor(20, TimeUnit.SECONDS);
        process.destroyForcibly();
      }
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void theStandbyTakesOverWithinTheBoundAfterTheLeaderIsKilled() throws Exception {
    String postgresUrl = requirePostgres();
    TestHomeserver homeserver = TestHomeserver.get();
    homeserver.register("failovercounsellor", PASSWORD);
    resetSchema(postgresUrl);
    Map<String, String> env = postgresEnv(postgresUrl);
    BridgeConfig config = homeserver.bridgeConfig(env);
    Path logs = homeserver.workDir.resolve("failover");
    Files.createDirectories(logs);

    // GIVEN a leader that is up and a second process started after it
    startLeaderAndStandby(homeserver, env, config, logs);
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl)
        .login("failovercounsellor", PASSWORD);
    String room = new RunningBridge(vertx, config).openDirectChat(counsellor);
    String first = counsellor.sendText(room, "!hulp");
    eventually(Duration.ofSeconds(20), "the leader's answer", () ->
        counsellor.messageFrom(room, config.botUserId(), first));
    assertTrue(read(logs.resolve("standby.log")).contains("standing by")
        && !read(logs.resolve("standby.log")).contains("this instance is the leader"), "the standby did not act");

    // WHEN the leader is killed without any chance to clean up, and a command arrives meanwhile
    long killedAt = System.nanoTime();
    leader.destroyForcibly();
    assertTrue(leader.waitFor(10, TimeUnit.SECONDS));
    String duringTakeover = counsellor.sendText(room, "!help");

    // THEN the standby holds the lock, listens and is ready within the bound, and answers
    eventually(TAKEOVER_BOUND, "the standby to become the leader", () ->
        read(logs.resolve("standby.log")).contains("this instance is the leader") ? Optional.of(true) : Optional.empty());
    long leaderAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
    eventually(TAKEOVER_BOUND, "the standby to be ready", () ->
        status(config, "/health/ready") == 200 ? Optional.of(true) : Optional.empty());
    long readyAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
    eventually(Duration.ofSeconds(120), "the answer to the command sent during the takeover", () ->
        counsellor.messageFrom(room, config.botUserId(), duringTakeover));
    long answeredAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
    assertTrue(readyAfterMs <= TAKEOVER_BOUND.toMillis(), "ready after " + readyAfterMs + " ms");
    String after = counsellor.sendText(room, "!hulp");
    long askedAt = System.nanoTime();
    eventually(Duration.ofSeconds(20), "the new leader's answer", () ->
        counsellor.messageFrom(room, config.botUserId(), after));
    long answerMs = (System.nanoTime() - askedAt) / 1_000_000;

    String figures = "failover (retry " + RETRY_SECONDS + " s): lock taken " + leaderAfterMs
        + " ms after kill -9, ready after " + readyAfterMs + " ms, command sent during the takeover"
        + " answered after " + answeredAfterMs + " ms; next command answered in " + answerMs + " ms";
    System.out.println(figures);
    Files.writeString(logs.resolve("figures.txt"), figures + "\n");
    assertEquals(1, count(read(logs.resolve("standby.log")), "this instance is the leader"));
  }

  /**
   * A reminder that falls due after the leader died is sent by the standby, once, and so is the
   * "not arrived" notice at the start. The policy's reminder comes 30 s before the start so the
   * test runs on the real clock (the processes are the shipped jar, with no test clock).
   */
  @Test
  void aReminderDueAfterTheLeaderIsKilledIsSentOnceByTheStandby() throws Exception {
    String postgresUrl = requirePostgres();
    TestHomeserver homeserver = TestHomeserver.get();
    homeserver.register("failoverplanner", PASSWORD);
    resetSchema(postgresUrl);
    Path logs = homeserver.workDir.resolve("failover-reminders");
    Path policies = logs.resolve("policies");
    Files.createDirectories(policies);
    try (var files = Files.list(TestHomeserver.repository().resolve("policy/policies"))) {
      for (Path file : files.toList()) {
        Files.writeString(policies.resolve(file.getFileName().toString()),
            Files.readString(file).replace("reminder_before: 10m", "reminder_before: " + REMINDER_LEAD_SECONDS + "s"));
      }
    }
    Map<String, String> env = new HashMap<>(postgresEnv(postgresUrl));
    env.put("PRAATBRUG_ROOMS_POLICY_DIR", policies.toString());
    BridgeConfig config = homeserver.bridgeConfig(env);
    startLeaderAndStandby(homeserver, env, config, logs);
    MatrixTestClient counsellor = new MatrixTestClient(vertx, homeserver.clientUrl)
        .login("failoverplanner", PASSWORD);
    String room = new RunningBridge(vertx, config).openDirectChat(counsellor);

    // GIVEN a session planned by the leader whose reminder falls due 20 to 80 s from now
    ZonedDateTime start = ZonedDateTime.now(BRUSSELS).plusSeconds(REMINDER_LEAD_SECONDS + 20)
        .truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    Instant reminderDue = start.toInstant().minusSeconds(REMINDER_LEAD_SECONDS);
    String plan = counsellor.sendText(room, "!afspraak " + DAY_AND_TIME.format(start) + " 15m");
    eventually(Duration.ofSeconds(20), "the planned session", () -> counsellor
        .messageFrom(room, config.botUserId(), plan)
        .map(event -> event.getJsonObject("content").getString("body"))
        .filter(body -> body.contains("Afspraak gepland")));
    assertTrue(Instant.now().isBefore(reminderDue.minusSeconds(5)), "planned too late to test a takeover");

    // WHEN the leader is killed before the reminder is due
    leader.destroyForcibly();
    assertTrue(leader.waitFor(10, TimeUnit.SECONDS));
    eventually(TAKEOVER_BOUND, "the standby to become the leader", () ->
        read(logs.resolve("standby.log")).contains("this instance is the leader") ? Optional.of(true) : Optional.empty());

    // THEN the standby reminds once, and says once that the client has not arrived
    Duration untilStart = Duration.between(Instant.now(), start.toInstant());
    eventually(untilStart.plusSeconds(20), "the reminder from the new leader", () ->
        count(counsellor, room, config, "⏰") > 0 ? Optional.of(true) : Optional.empty());
    long reminderLateMs = Duration.between(reminderDue, Instant.now()).toMillis();
    eventually(Duration.between(Instant.now(), start.toInstant()).plusSeconds(20), "the not-arrived notice",
        () -> count(counsellor, room, config, "nog niet aangekomen") > 0 ? Optional.of(true) : Optional.empty());
    long notArrivedLateMs = Duration.between(start.toInstant(), Instant.now()).toMillis();
    Thread.sleep(3000); // a second sender, if there were one, has had its chance
    assertEquals(1, count(counsellor, room, config, "⏰"), "the reminder once");
    assertEquals(1, count(counsellor, room, config, "nog niet aangekomen"), "the notice once");
    System.out.println("reminders across a failover: reminder seen " + reminderLateMs
        + " ms after it fell due, not-arrived notice " + notArrivedLateMs + " ms after the start");
  }

  /** Starts the leader, waits until it is ready, then a second process until it stands by. */
  private void startLeaderAndStandby(TestHomeserver homeserver, Map<String, String> env,
      BridgeConfig config, Path logs) throws IOException {
    leader = start(homeserver, env, logs.resolve("leader.log"));
    eventually(Duration.ofSeconds(90), "the first process to be ready", () ->
        status(config, "/health/ready") == 200 ? Optional.of(true) : Optional.empty());
    standby = start(homeserver, env, logs.resolve("standby.log"));
    eventually(Duration.ofSeconds(30), "the second process to stand by", () ->
        read(logs.resolve("standby.log")).contains("standing by") ? Optional.of(true) : Optional.empty());
    vertx = Vertx.vertx();
  }

  private static long count(MatrixTestClient counsellor, String room, BridgeConfig config, String text) {
    return counsellor.messageBodies(room, config.botUserId(), 50).stream()
        .filter(body -> body.contains(text)).count();
  }

  private static String requirePostgres() {
    String postgresUrl = System.getenv("PRAATBRUG_TEST_POSTGRES_URL");
    if (postgresUrl == null || postgresUrl.isBlank()) {
      assertTrue(!"1".equals(System.getenv("PRAATBRUG_REQUIRE_POSTGRES")),
          "PRAATBRUG_REQUIRE_POSTGRES=1 but PRAATBRUG_TEST_POSTGRES_URL is not set");
      assumeTrue(false, "no PostgreSQL (PRAATBRUG_TEST_POSTGRES_URL): failover needs one");
    }
    return postgresUrl;
  }

  private static Map<String, String> postgresEnv(String postgresUrl) throws IOException {
    return Map.of("PRAATBRUG_DATABASE_TYPE", "postgres",
        "PRAATBRUG_DATABASE_URI", postgresUrl, "PRAATBRUG_DATABASE_USERNAME", "praatbrug",
        "PRAATBRUG_DATABASE_PASSWORD", "praatbrug",
        "PRAATBRUG_ELECTION_RETRY_SECONDS", String.valueOf(RETRY_SECONDS),
        "PRAATBRUG_LOGGING_LEVEL", "info",
        // Both processes name the same internal port; only the leader listens on it.
        "PRAATBRUG_METRICS_PORT", String.valueOf(freePort()));
  }

  private Process start(TestHomeserver homeserver, Map<String, String> env, Path log)
      throws IOException {
    Path jar = TestHomeserver.repository().resolve("bridge/target/praatbrug-bridge.jar");
    assertTrue(Files.isRegularFile(jar), "build the bridge jar first (mvn package): " + jar);
    ProcessBuilder builder = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
        "--config", homeserver.configFile.toString(), "run"))
        .directory(TestHomeserver.repository().toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> processEnv = new HashMap<>(builder.environment());
    processEnv.putAll(env);
    builder.environment().putAll(processEnv);
    return builder.start();
  }

  private int status(BridgeConfig config, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + config.ops().metricsPort() + path)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static int count(String text, String needle) {
    int count = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      count++;
    }
    return count;
  }

  private static void resetSchema(String url) throws Exception {
    try (Connection connection = DriverManager.getConnection(url, "praatbrug", "praatbrug");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    }
  }
}
