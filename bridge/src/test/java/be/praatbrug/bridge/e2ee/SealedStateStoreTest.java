package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The E2EE state at rest: sealed on both backends, bound to its row, refused under another key. */
class SealedStateStoreTest {

  @TempDir Path directory;
  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  static List<String> backends() {
    return TestDatabases.backends();
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void storesSealedValuesThatOnlyTheRightKeyOpens(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    SealedStateStore store = new SealedStateStore(database, key(1));
    byte[] secret = "identity key material".getBytes(StandardCharsets.UTF_8);
    await(store.put("account", "bot", secret));
    await(store.put("olm", "b|2", new byte[] {2}));
    await(store.put("olm", "a|1", new byte[] {1}));
    assertArrayEquals(secret, await(store.get("account", "bot")).orElseThrow());
    assertEquals(Optional.empty(), await(store.get("account", "other")));
    assertEquals(List.of("a|1", "b|2"), List.copyOf(await(store.all("olm")).keySet()));

    String raw = await(database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement("SELECT sealed FROM e2ee_state WHERE kind = 'account'");
          ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getString(1);
      }
    }));
    assertFalse(new String(java.util.Base64.getDecoder().decode(raw), StandardCharsets.ISO_8859_1).contains("identity key"));

    SealedStateStore wrongKey = new SealedStateStore(database, key(2));
    ExecutionException refused = assertThrows(ExecutionException.class, () -> await(wrongKey.get("account", "bot")));
    assertTrue(refused.getCause().getMessage().contains("does not open"), refused.getCause().getMessage());

    // A sealed row moved to another key does not open either (the row's name is authenticated).
    await(database.blocking(connection -> {
      try (PreparedStatement copy = connection.prepareStatement(
          "INSERT INTO e2ee_state (kind, state_key, sealed, updated_at) VALUES ('account', 'moved', ?, 0)")) {
        copy.setString(1, raw);
        return copy.executeUpdate();
      }
    }));
    assertThrows(ExecutionException.class, () -> await(store.get("account", "moved")));
    await(database.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void resealsEveryRowFromTheKeyBeforeARotation(String backend) throws Exception {
    Database database = await(Database.open(vertx, TestDatabases.forBackend(backend, directory)));
    await(new SealedStateStore(database, key(1)).clear());
    SealedStateStore before = new SealedStateStore(database, key(1));
    await(before.put("account", "bot", new byte[] {1, 2, 3}));
    await(before.put("olm", "c|1", new byte[] {4}));
    SealedStateStore after = new SealedStateStore(database, key(2));

    assertFalse(await(after.resealFrom(key(3))), "a key that opens nothing re-seals nothing");
    assertTrue(await(after.resealFrom(key(1))));

    assertArrayEquals(new byte[] {1, 2, 3}, await(after.get("account", "bot")).orElseThrow());
    assertArrayEquals(new byte[] {4}, await(after.all("olm")).get("c|1"));
    ExecutionException old = assertThrows(ExecutionException.class, () -> await(before.get("account", "bot")));
    assertTrue(old.getCause() instanceof java.security.GeneralSecurityException, old.toString());
    await(database.close());
  }
}
