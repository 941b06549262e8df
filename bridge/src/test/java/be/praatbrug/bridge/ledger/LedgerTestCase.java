package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;

import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every ledger test needs: a Vert.x instance, a temporary directory, the backends to run on
 * ({@code @MethodSource("backends")}), and a {@link LedgerFixture} that is closed after each test.
 */
abstract class LedgerTestCase {

  @TempDir Path directory;
  Vertx vertx;
  LedgerFixture fixture;

  static List<String> backends() {
    return TestDatabases.backends();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeAll() throws Exception {
    if (fixture != null) {
      fixture.close();
    }
    await(vertx.close());
  }

  /** Opens a fresh ledger on {@code backend}; it is closed after the test. */
  LedgerFixture openFixture(String backend) throws Exception {
    fixture = new LedgerFixture(vertx, backend, directory);
    return fixture;
  }
}
