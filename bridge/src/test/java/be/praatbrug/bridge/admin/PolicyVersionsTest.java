package be.praatbrug.bridge.admin;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Saved policy versions on both database backends: numbering, who and when, lost races. */
class PolicyVersionsTest {

  private static final Instant AT = Instant.parse("2026-11-24T08:00:00Z");

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void close() throws Exception {
    if (database != null) {
      await(database.close());
    }
    await(vertx.close());
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  private PolicyVersions open(String backend) throws Exception {
    database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    return new PolicyVersions(database);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void versionsCountUpFromTheFileAndKeepWhoSavedThem(String backend) throws Exception {
    PolicyVersions versions = open(backend);
    assertTrue(await(versions.latest("caw")).isEmpty());

    await(versions.save("caw", 0, "text 1", "@a:caw.test", AT));
    await(versions.save("caw", 1, "text 2", "@b:caw.test", AT.plusSeconds(60)));

    PolicyVersions.Version latest = await(versions.latest("caw")).orElseThrow();
    assertEquals(2, latest.version());
    assertEquals("text 2", latest.source());
    assertEquals("@b:caw.test", latest.savedBy());
    assertEquals(AT.plusSeconds(60), latest.savedAt());
    assertEquals(List.of(2, 1), await(versions.history("caw")).stream()
        .map(PolicyVersions.Version::version).toList());
    assertEquals(List.of("caw"), await(versions.latestAll()).stream()
        .map(PolicyVersions.Version::name).toList());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void savingAnOlderVersionIsAConflictThatNamesTheCurrentOne(String backend) throws Exception {
    PolicyVersions versions = open(backend);
    await(versions.save("caw", 0, "first", "@a:caw.test", AT));

    Throwable failure = await(versions.save("caw", 0, "second", "@b:caw.test", AT)
        .transform(done -> io.vertx.core.Future.succeededFuture(done.cause())));

    assertEquals(1, assertInstanceOf(PolicyVersions.Conflict.class, failure).current());
    assertEquals("first", await(versions.latest("caw")).orElseThrow().source());
  }
}
