package be.praatbrug.bridge.rooms;

import static be.praatbrug.bridge.Await.await;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of the rooms' store code that run on every backend ({@code @MethodSource("backends")}):
 * a fresh store per test ({@link #openStore}), closed after it with its Vert.x.
 */
abstract class StoreTestCase {

  @TempDir Path directory;
  Vertx vertx;
  Database database;

  static List<String> backends() {
    return TestDatabases.backends();
  }

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeStore() throws Exception {
    if (database != null) {
      await(database.close());
    }
    await(vertx.close());
  }

  /** A fresh, migrated store on {@code backend}. */
  Database openStore(String backend) throws Exception {
    database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    return database;
  }
}
