package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerKeyFileTest {

  private static final String PASSPHRASE = "correct horse battery staple";

  @TempDir Path directory;
  private final SecureRandom random = new SecureRandom();

  @Test
  void createsTheKeyOnFirstUseOwnerOnlyAndReopensTheSameKey() throws Exception {
    Path file = directory.resolve("var/ledger-key.json");

    OrgKeys created = LedgerKeyFile.openOrCreate(file, null, random);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(created.publicKey(), LedgerKeyFile.openOrCreate(file, null, random).publicKey());
    assertEquals(created.publicKey(), LedgerKeyFile.readPublicKey(file));
  }

  @Test
  void encryptsTheSecretsWhenAPassphraseIsSet() throws Exception {
    Path file = directory.resolve("key.json");
    OrgKeys created = LedgerKeyFile.openOrCreate(file, PASSPHRASE, random);

    String stored = Files.readString(file);
    assertFalse(stored.contains(Base64.getEncoder().encodeToString(created.secretBytes())));
    assertTrue(stored.contains("scrypt-aes-256-gcm"), stored);
    assertEquals(created.publicKey(), LedgerKeyFile.open(file, PASSPHRASE).publicKey());
    assertEquals(created.publicKey(), LedgerKeyFile.readPublicKey(file));
  }

  @Test
  void aWrongOrMissingPassphraseSaysWhichSettingToFix() throws Exception {
    Path file = directory.resolve("key.json");
    LedgerKeyFile.openOrCreate(file, PASSPHRASE, random);

    LedgerKeyException wrong = assertThrows(LedgerKeyException.class,
        () -> LedgerKeyFile.open(file, "another passphrase"));
    assertEquals("ledger.key_passphrase does not open " + file
        + ". Use the passphrase the key was protected with", wrong.getMessage());
    LedgerKeyException missing = assertThrows(LedgerKeyException.class,
        () -> LedgerKeyFile.open(file, null));
    assertTrue(missing.getMessage().contains("Set ledger.key_passphrase or "
        + "PRAATBRUG_LEDGER_KEY_PASSPHRASE"), missing.getMessage());
  }

  @Test
  void encryptsAnExistingClearKeyOnceAPassphraseIsConfigured() throws Exception {
    Path file = directory.resolve("key.json");
    OrgKeys created = LedgerKeyFile.openOrCreate(file, null, random);

    LedgerKeyFile.openOrCreate(file, PASSPHRASE, random);

    assertTrue(Files.readString(file).contains("scrypt-aes-256-gcm"));
    assertEquals(created.publicKey(), LedgerKeyFile.open(file, PASSPHRASE).publicKey());
  }

  @Test
  void setsAKeyFileThatOthersCouldReadBackToOwnerOnly() throws Exception {
    Path file = directory.resolve("key.json");
    LedgerKeyFile.openOrCreate(file, null, random);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    LedgerKeyFile.open(file, null);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void refusesAKeyFileWhosePublicKeyWasSwapped() throws Exception {
    Path file = directory.resolve("key.json");
    LedgerKeyFile.openOrCreate(file, null, random);
    String other = TestChains.keys().publicKey().base64();
    String stored = Files.readString(file);
    Files.writeString(file, stored.replace(LedgerKeyFile.readPublicKey(file).base64(), other));

    LedgerKeyException e = assertThrows(LedgerKeyException.class,
        () -> LedgerKeyFile.open(file, null));
    assertTrue(e.getMessage().contains("the public key does not belong to the private key"));
  }

  @Test
  void aMissingKeyFileIsNotCreatedByOpen() {
    Path file = directory.resolve("nope.json");

    LedgerKeyException e = assertThrows(LedgerKeyException.class,
        () -> LedgerKeyFile.open(file, null));
    assertTrue(e.getMessage().startsWith("ledger.key_file " + file + " does not exist"));
    assertFalse(Files.exists(file));
  }
}
