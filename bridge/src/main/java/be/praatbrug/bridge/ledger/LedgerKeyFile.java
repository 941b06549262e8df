package be.praatbrug.bridge.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.bouncycastle.crypto.generators.SCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that holds the organisation's ledger keys ({@link OrgKeys}), created on first start.
 *
 * <p>Protection, and why:
 * <ul>
 *   <li>The file is created with mode 0600 (owner only) and replaced atomically, so no other local
 *       user can read it and a crash never leaves half a key. A file found readable by others is
 *       tightened back to 0600 with a warning rather than refused, so a restore from backup that
 *       lost the mode does not stop the bridge.
 *   <li>With {@code ledger.key_passphrase} set (best from the environment variable
 *       {@code PRAATBRUG_LEDGER_KEY_PASSPHRASE}, so it is not next to the file it protects), the
 *       secrets are encrypted with AES-256-GCM under a key derived by scrypt (N=2^15, r=8, p=1):
 *       a copied file or backup is useless without the passphrase. Setting a passphrase later
 *       re-encrypts the existing file on the next start.
 *   <li>Without a passphrase the secrets are stored in clear, protected by the file mode only: the
 *       default, because an unattended restart must not need a person to type something in, and a
 *       passphrase in the same config file would add nothing.
 * </ul>
 *
 * <p>The public key is always stored in clear beside the secrets, so {@code ledger verify} and
 * {@code ledger public-key} work without the passphrase. Blocking: call from a worker thread.
 */
public final class LedgerKeyFile {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerKeyFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORMAT = "praatbrug-ledger-key/1";
  private static final String CLEAR = "none";
  private static final String SCRYPT = "scrypt-aes-256-gcm";
  private static final int SCRYPT_N = 1 << 15;
  private static final int SCRYPT_R = 8;
  private static final int SCRYPT_P = 1;
  private static final byte[] CONTEXT = FORMAT.getBytes(StandardCharsets.UTF_8);
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private LedgerKeyFile() {}

  /** Opens the key file, creating it with fresh keys if it does not exist yet. */
  public static OrgKeys openOrCreate(Path file, String passphrase, SecureRandom random)
      throws LedgerKeyException {
    if (!Files.exists(file)) {
      OrgKeys keys = OrgKeys.generate(random);
      write(file, keys, passphrase, random);
      LOG.info("created the ledger key {} (public key fingerprint {}, {})", file,
          keys.publicKey().fingerprint(), passphrase == null ? "protected by file mode 0600"
              : "encrypted with the configured passphrase");
      return keys;
    }
    OrgKeys keys = open(file, passphrase);
    if (passphrase != null && CLEAR.equals(read(file).path("protection").asText())) {
      write(file, keys, passphrase, random);
      LOG.info("encrypted the ledger key {} with the configured passphrase", file);
    }
    return keys;
  }

  /** Opens an existing key file; fails with a message that names what to fix. */
  public static OrgKeys open(Path file, String passphrase) throws LedgerKeyException {
    JsonNode root = read(file);
    tightenPermissions(file);
    String protection = root.path("protection").asText();
    byte[] secret;
    try {
      if (CLEAR.equals(protection)) {
        secret = Base64.getDecoder().decode(root.path("secret").asText());
      } else if (SCRYPT.equals(protection)) {
        if (passphrase == null) {
          throw new LedgerKeyException("ledger.key_file " + file + " is encrypted with a "
              + "passphrase. Set ledger.key_passphrase or PRAATBRUG_LEDGER_KEY_PASSPHRASE");
        }
        JsonNode kdf = root.path("kdf");
        byte[] key = SCrypt.generate(passphrase.getBytes(StandardCharsets.UTF_8),
            Base64.getDecoder().decode(kdf.path("salt").asText()), kdf.path("n").asInt(),
            kdf.path("r").asInt(), kdf.path("p").asInt(), 32);
        secret = FieldSealer.open(key, CONTEXT, root.path("secret").asText());
      } else {
        throw new LedgerKeyException("ledger.key_file " + file + ": unknown protection \""
            + protection + "\". Restore the file from a backup");
      }
    } catch (GeneralSecurityException e) {
      throw new LedgerKeyException("ledger.key_passphrase does not open " + file
          + ". Use the passphrase the key was protected with", e);
    } catch (IllegalArgumentException e) {
      throw new LedgerKeyException("ledger.key_file " + file + " is damaged (" + e.getMessage()
          + "). Restore it from a backup", e);
    }
    OrgKeys keys = OrgKeys.fromSecretBytes(secret);
    if (!keys.publicKey().base64().equals(root.path("public_key").asText())) {
      throw new LedgerKeyException("ledger.key_file " + file + ": the public key does not belong "
          + "to the private key. Restore the file from a backup");
    }
    return keys;
  }

  /** The public key only; needs no passphrase. */
  public static OrgPublicKey readPublicKey(Path file) throws LedgerKeyException {
    try {
      return OrgPublicKey.fromBase64(read(file).path("public_key").asText());
    } catch (IllegalArgumentException e) {
      throw new LedgerKeyException("ledger.key_file " + file + " has no valid public key ("
          + e.getMessage() + "). Restore it from a backup", e);
    }
  }

  private static JsonNode read(Path file) throws LedgerKeyException {
    if (!Files.exists(file)) {
      throw new LedgerKeyException("ledger.key_file " + file + " does not exist. The bridge "
          + "creates it on its first start; point ledger.key_file at the existing key");
    }
    try {
      JsonNode root = JSON.readTree(file.toFile());
      if (root == null || !FORMAT.equals(root.path("format").asText())) {
        throw new LedgerKeyException("ledger.key_file " + file + " is not a Praatbrug ledger key");
      }
      return root;
    } catch (IOException e) {
      throw new LedgerKeyException("ledger.key_file " + file + ": cannot read (" + e.getMessage()
          + ")", e);
    }
  }

  private static void write(Path file, OrgKeys keys, String passphrase, SecureRandom random)
      throws LedgerKeyException {
    ObjectNode root = JSON.createObjectNode()
        .put("format", FORMAT)
        .put("created_at", Instant.now().toString())
        .put("algorithm", "Ed25519")
        .put("public_key", keys.publicKey().base64())
        .put("fingerprint", keys.publicKey().fingerprint());
    if (passphrase == null) {
      root.put("protection", CLEAR)
          .put("secret", Base64.getEncoder().encodeToString(keys.secretBytes()));
    } else {
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      byte[] key = SCrypt.generate(passphrase.getBytes(StandardCharsets.UTF_8), salt, SCRYPT_N,
          SCRYPT_R, SCRYPT_P, 32);
      root.put("protection", SCRYPT);
      root.putObject("kdf").put("n", SCRYPT_N).put("r", SCRYPT_R).put("p", SCRYPT_P)
          .put("salt", Base64.getEncoder().encodeToString(salt));
      root.put("secret", new FieldSealer(random).seal(key, CONTEXT, keys.secretBytes()));
    }
    try {
      Path absolute = file.toAbsolutePath();
      Files.createDirectories(absolute.getParent());
      Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      if (posix()) {
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      }
      Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
      Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new LedgerKeyException("ledger.key_file " + file + ": cannot write (" + e.getMessage()
          + "). Make its directory writable for the bridge", e);
    }
  }

  private static void tightenPermissions(Path file) throws LedgerKeyException {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        LOG.warn("ledger key {} was readable by others ({}); set it back to rw-------", file,
            PosixFilePermissions.toString(permissions));
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new LedgerKeyException("ledger.key_file " + file + ": cannot check its permissions ("
          + e.getMessage() + ")", e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
