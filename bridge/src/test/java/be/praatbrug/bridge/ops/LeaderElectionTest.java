package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.config.MinimalConfig;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.store.TestDatabases;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The advisory lock on a real PostgreSQL, inside one JVM: a second contender waits while the
 * first holds the lock and wins within the retry interval once it is given up; settings that
 * PostgreSQL refuses stop the election instead of retrying forever. (Two processes and a kill -9:
 * FailoverIT.)
 */
class LeaderElectionTest {

  @TempDir Path directory;

  @Test
  void aSecondInstanceWaitsAndTakesOverWithinTheRetryInterval() throws Exception {
    BridgeConfig config = config("praatbrug");
    try (LeaderElection first = LeaderElection.await(config, () -> {})) {
      CompletableFuture<LeaderElection> second = CompletableFuture.supplyAsync(() -> {
        try {
          return LeaderElection.await(config, () -> {});
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      assertThrows(TimeoutException.class, () -> second.get(3, TimeUnit.SECONDS),
          "the second instance must not lead while the first holds the lock");

      long released = System.nanoTime();
      first.close();
      try (LeaderElection taken = second.get(5, TimeUnit.SECONDS)) {
        long tookMs = (System.nanoTime() - released) / 1_000_000;
        assertTrue(tookMs <= 2_500, "took over after " + tookMs + " ms, retry is 1 s");
      }
    }
  }

  @Test
  void aMissingDatabaseStopsTheElectionAtOnce() throws Exception {
    // The test cluster trusts local connections, so a wrong database name stands in for the
    // settings PostgreSQL refuses (a wrong password is SQLSTATE 28P01, handled the same way).
    BridgeConfig config = config("praatbrug", "/praatbrug_no_such_database");
    long started = System.nanoTime();
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> LeaderElection.await(config, () -> {}).close());
    assertTrue((System.nanoTime() - started) / 1_000_000 < 10_000);
    assertTrue(refused.getMessage().contains("praatbrug_no_such_database"), refused.getMessage());
  }

  private BridgeConfig config(String password) throws Exception {
    return config(password, null);
  }

  private BridgeConfig config(String password, String otherDatabase) throws Exception {
    DatabaseSection postgres = TestDatabases.postgres();
    assumeTrue(postgres != null, "no PostgreSQL configured (PRAATBRUG_TEST_POSTGRES_URL)");
    Path file = MinimalConfig.write(directory, """
        election:
          retry_seconds: 1
        """);
    return BridgeConfig.load(file, Map.of("PRAATBRUG_DATABASE_TYPE", "postgres",
        "PRAATBRUG_DATABASE_URI", otherDatabase == null ? postgres.uri()
            : postgres.uri().replaceFirst("/[^/]+$", otherDatabase), "PRAATBRUG_DATABASE_USERNAME", postgres.username(),
        "PRAATBRUG_DATABASE_PASSWORD", password), false);
  }
}
