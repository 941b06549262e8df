package be.praatbrug.bridge.retention;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.bridge.retention.RoomFiles.PartnerRoom;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store of rooms' files, on SQLite and (when the test command provides one) PostgreSQL. */
class RoomFilesTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final String ROOM = "!counselling:caw.test";

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

  private RoomFiles open(String backend) throws Exception {
    database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    return new RoomFiles(database);
  }

  /** The page registers its upload while the bridge finds the same file from the page's message. */
  @ParameterizedTest
  @MethodSource("backends")
  void aFileRegisteredFromTwoSidesAtTheSameMomentIsKeptOnceAndNeitherSideFails(String backend) throws Exception {
    RoomFiles files = open(backend);
    for (int round = 0; round < 20; round++) {
      StoredFile file = new StoredFile("letter-" + round, T0, 100);
      List<Future<Boolean>> at = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        at.add(files.register(ROOM, file));
      }
      await(Future.all(at));
      assertEquals(1, at.stream().filter(Future::result).count(), "round " + round);
    }
    assertEquals(20, await(files.registered(ROOM)).size());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aPartnerRoomIsKeptUpdatedAndForgottenWithItsFiles(String backend) throws Exception {
    RoomFiles files = open(backend);
    String room = "!shared:clb.test";
    await(files.rememberPartnerRoom(new PartnerRoom(room, Duration.ofDays(30), "s1_2_3")));
    await(files.rememberPartnerRoom(new PartnerRoom(room, Duration.ofDays(7), "s9_2_3")));
    await(files.register(room, new StoredFile("photo", T0, 10)));
    assertEquals(new PartnerRoom(room, Duration.ofDays(7), "s9_2_3"), await(files.partnerRooms()).get(room));
    await(files.forgetRoom(room));
    assertEquals(0, await(files.partnerRooms()).size());
    assertEquals(List.of(), await(files.registered(room)));
  }
}
