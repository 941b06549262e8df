package be.praatbrug.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.main.BridgeVerticle;
import be.praatbrug.bridge.main.Main;
import be.praatbrug.bridge.main.StartupException;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies that the bridge refuses to start with a precise reason when it cannot work. */
class BridgeStartupIT {

  private static TestHomeserver homeserver;

  @TempDir Path directory;
  private Vertx vertx;

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private StartupException startupFailure(BridgeConfig config) throws Exception {
    try {
      vertx.deployVerticle(new BridgeVerticle(config, Clock.systemUTC()))
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return (StartupException) e.getCause();
    }
    throw new AssertionError("the bridge started although it should not have");
  }

  private Map<String, String> overrides(String... keyValues) {
    Map<String, String> env = new java.util.HashMap<>();
    env.put("PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString());
    for (int i = 0; i < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  @Test
  void homeserverDownGivesExitCodeAndAClearReason() throws Exception {
    // GIVEN a config whose homeserver is not running
    String down = "http://127.0.0.2:1";
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    // WHEN the bridge is started from the command line
    int exit = runMain(overrides("PRAATBRUG_HOMESERVER_ADDRESS", down), err);

    // THEN it exits with the homeserver phase's code and names the address and the fix
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(StartupException.Phase.HOMESERVER.exitCode(), exit, message);
    assertTrue(message.contains("homeserver.address " + down + ": cannot connect"), message);
    assertTrue(message.contains("Is Synapse running"), message);
  }

  @Test
  void wrongAsTokenIsNamed() throws Exception {
    StartupException failure = startupFailure(homeserver.bridgeConfig(
        overrides("PRAATBRUG_APPSERVICE_AS_TOKEN", "x".repeat(64))));

    assertEquals(StartupException.Phase.HOMESERVER, failure.phase());
    assertTrue(failure.getMessage().contains("does not accept appservice.as_token"),
        failure.getMessage());
  }

  @Test
  void hsTokenThatDiffersFromTheRegistrationIsNamed() throws Exception {
    StartupException failure = startupFailure(homeserver.bridgeConfig(
        overrides("PRAATBRUG_APPSERVICE_HS_TOKEN", "y".repeat(64))));

    assertEquals(StartupException.Phase.HOMESERVER, failure.phase());
    assertTrue(failure.getMessage().contains("appservice.hs_token differs"), failure.getMessage());
  }

  @Test
  void busyPortIsNamed() throws Exception {
    // A plain socket: a second Vert.x server on the same port would be shared, not refused.
    try (ServerSocket blocker = new ServerSocket(homeserver.bridgePort, 1,
        InetAddress.getByName("127.0.0.1"))) {
      StartupException failure = startupFailure(homeserver.bridgeConfig(overrides()));

      assertEquals(StartupException.Phase.LISTEN, failure.phase());
      assertTrue(failure.getMessage().contains(":" + homeserver.bridgePort + ": cannot listen"),
          failure.getMessage());
    }
  }

  /** Runs the real command line entry point, as an admin would, without exiting the JVM. */
  private int runMain(Map<String, String> env, ByteArrayOutputStream err) {
    String[] args = {"--config", homeserver.configFile.toString(), "run"};
    return Main.run(args, ItStore.apply(env), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
