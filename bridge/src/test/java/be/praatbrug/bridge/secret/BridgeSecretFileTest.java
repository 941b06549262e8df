package be.praatbrug.bridge.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeSecretFileTest {

  private static final String AS_TOKEN = "as-token-as-token-as-token-as-token-0123";

  @TempDir Path directory;

  @Test
  void isMadeOnceOwnerOnlyAndOwesNothingToTheAppserviceToken() throws Exception {
    Path file = directory.resolve("var/bridge-secret.json");
    BridgeSecret made = BridgeSecretFile.openOrCreate(file, null);
    BridgeSecret again = BridgeSecretFile.openOrCreate(file, null);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(made.roomSecret(), again.roomSecret());
    assertArrayEquals(made.e2eeStateKey(), again.e2eeStateKey());
    assertFalse(Arrays.equals(made.roomSecret(), made.e2eeStateKey()), "one key per purpose");
    assertFalse(Arrays.equals(made.roomSecret(), BridgeSecret.legacyRoomSecret(AS_TOKEN)));
    assertFalse(Arrays.equals(made.e2eeStateKey(), BridgeSecret.legacyE2eeStateKey(AS_TOKEN)));
    assertFalse(made.toString().contains("="), made.toString());
  }

  @Test
  void aPassphraseEncryptsItAndIsNeededToOpenIt() throws Exception {
    Path file = directory.resolve("bridge-secret.json");
    BridgeSecret clear = BridgeSecretFile.openOrCreate(file, null);
    BridgeSecret sealed = BridgeSecretFile.openOrCreate(file, "a long passphrase");

    assertArrayEquals(clear.roomSecret(), sealed.roomSecret(), "encrypting keeps the secret");
    assertTrue(Files.readString(file).contains("scrypt-aes-256-gcm"));
    BridgeSecretFile.Problem without = assertThrows(BridgeSecretFile.Problem.class,
        () -> BridgeSecretFile.openOrCreate(file, null));
    assertTrue(without.getMessage().contains("PRAATBRUG_SECRET_KEY_PASSPHRASE"), without.getMessage());
    BridgeSecretFile.Problem wrong = assertThrows(BridgeSecretFile.Problem.class,
        () -> BridgeSecretFile.openOrCreate(file, "another passphrase"));
    assertTrue(wrong.getMessage().contains("does not open"), wrong.getMessage());
  }

  @Test
  void rotationKeepsThePreviousSecretUntilTheNextStartIsDone() throws Exception {
    Path file = directory.resolve("bridge-secret.json");
    BridgeSecret before = BridgeSecretFile.openOrCreate(file, null);

    BridgeSecretFile.rotate(file, null);
    BridgeSecret after = BridgeSecretFile.openOrCreate(file, null);

    assertNotEquals(Arrays.toString(before.roomSecret()), Arrays.toString(after.roomSecret()));
    assertTrue(after.hasPrevious());
    assertArrayEquals(before.e2eeStateKey(), after.olderE2eeStateKeys(AS_TOKEN).get(0));
    assertArrayEquals(BridgeSecret.legacyE2eeStateKey(AS_TOKEN), after.olderE2eeStateKeys(AS_TOKEN).get(1));
    BridgeSecretFile.Problem twice = assertThrows(BridgeSecretFile.Problem.class,
        () -> BridgeSecretFile.rotate(file, null));
    assertTrue(twice.getMessage().contains("start it once"), twice.getMessage());

    BridgeSecretFile.forgetPrevious(file, null);
    assertFalse(BridgeSecretFile.openOrCreate(file, null).hasPrevious());
    BridgeSecretFile.rotate(file, null);
  }
}
