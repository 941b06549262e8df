package be.praatbrug.bridge.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.SCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file that holds the {@link BridgeSecret} ({@code secret.key_file}), kept like the ledger key:
 * created on the first start with 32 random bytes, mode 0600, replaced atomically; with
 * {@code secret.key_passphrase} the secrets are encrypted (scrypt N=2^15, r=8, p=1, then
 * AES-256-GCM), and a passphrase set later encrypts the file on the next start.
 *
 * <p>{@link #rotate} makes a new secret and keeps the one before as {@code previous}, which the
 * next start needs once to re-seal the E2EE state and then {@link #forgetPrevious forgets}.
 * Blocking: call from a worker thread or the command line.
 */
public final class BridgeSecretFile {

  /** What is wrong with the file, saying what to do about it. */
  public static final class Problem extends Exception {
    Problem(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(BridgeSecretFile.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORMAT = "praatbrug-bridge-secret/1";
  private static final String CLEAR = "none";
  private static final String SCRYPT = "scrypt-aes-256-gcm";
  private static final int SCRYPT_N = 1 << 15;
  private static final int SCRYPT_R = 8;
  private static final int SCRYPT_P = 1;
  private static final int SECRET_BYTES = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final SecureRandom RANDOM = new SecureRandom();

  private BridgeSecretFile() {}

  /** Opens the file, creating it with a fresh secret when it does not exist yet. */
  public static BridgeSecret openOrCreate(Path file, String passphrase) throws Problem {
    if (!Files.exists(file)) {
      byte[] secret = random();
      write(file, secret, null, passphrase);
      LOG.info("created the bridge secret {} ({})", file, passphrase == null
          ? "protected by file mode 0600" : "encrypted with the configured passphrase");
      return new BridgeSecret(secret, null);
    }
    Stored stored = read(file, passphrase);
    if (passphrase != null && CLEAR.equals(stored.protection)) {
      write(file, stored.current, stored.previous, passphrase);
      LOG.info("encrypted the bridge secret {} with the configured passphrase", file);
    }
    return new BridgeSecret(stored.current, stored.previous);
  }

  /**
   * Makes a new secret; the one before stays as {@code previous} until the next start has
   * re-sealed the E2EE state with the new one. Refused while an earlier rotation is still pending:
   * its previous secret is the only one that opens that state.
   */
  public static void rotate(Path file, String passphrase) throws Problem {
    if (!Files.exists(file)) {
      throw new Problem("secret.key_file " + file + " does not exist: there is nothing to rotate"
          + " (the bridge creates it on its first start)", null);
    }
    Stored stored = read(file, passphrase);
    if (stored.previous != null) {
      throw new Problem("secret.key_file " + file + " was rotated already and the bridge has not"
          + " started since: start it once (it re-seals its E2EE state), then rotate again", null);
    }
    write(file, random(), stored.current, passphrase);
  }

  /** Drops {@code previous}, once nothing is sealed under it any more. */
  public static void forgetPrevious(Path file, String passphrase) throws Problem {
    Stored stored = read(file, passphrase);
    if (stored.previous != null) {
      write(file, stored.current, null, passphrase);
    }
  }

  private record Stored(String protection, byte[] current, byte[] previous) {}

  private static Stored read(Path file, String passphrase) throws Problem {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new Problem("secret.key_file " + file + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new Problem("secret.key_file " + file + " is not a Praatbrug bridge secret", null);
    }
    tightenPermissions(file);
    String protection = root.path("protection").asText();
    try {
      byte[] key;
      if (CLEAR.equals(protection)) {
        key = null;
      } else if (SCRYPT.equals(protection)) {
        if (passphrase == null) {
          throw new Problem("secret.key_file " + file + " is encrypted with a passphrase. Set"
              + " secret.key_passphrase or PRAATBRUG_SECRET_KEY_PASSPHRASE", null);
        }
        JsonNode kdf = root.path("kdf");
        key = SCrypt.generate(passphrase.getBytes(StandardCharsets.UTF_8),
            Base64.getDecoder().decode(kdf.path("salt").asText()), kdf.path("n").asInt(),
            kdf.path("r").asInt(), kdf.path("p").asInt(), 32);
      } else {
        throw new Problem("secret.key_file " + file + ": unknown protection \"" + protection
            + "\". Restore the file from a backup", null);
      }
      byte[] current = unwrap(key, "current", root.path("current").asText());
      byte[] previous = root.hasNonNull("previous")
          ? unwrap(key, "previous", root.path("previous").asText()) : null;
      if (current.length != SECRET_BYTES || previous != null && previous.length != SECRET_BYTES) {
        throw new Problem("secret.key_file " + file + " is damaged. Restore it from a backup", null);
      }
      return new Stored(protection, current, previous);
    } catch (GeneralSecurityException e) {
      throw new Problem("secret.key_passphrase does not open " + file
          + ". Use the passphrase the secret was protected with", e);
    } catch (IllegalArgumentException e) {
      throw new Problem("secret.key_file " + file + " is damaged (" + e.getMessage()
          + "). Restore it from a backup", e);
    }
  }

  private static void write(Path file, byte[] current, byte[] previous, String passphrase)
      throws Problem {
    ObjectNode root = JSON.createObjectNode().put("format", FORMAT)
        .put("written_at", Instant.now().toString());
    byte[] key = null;
    if (passphrase == null) {
      root.put("protection", CLEAR);
    } else {
      byte[] salt = new byte[16];
      RANDOM.nextBytes(salt);
      key = SCrypt.generate(passphrase.getBytes(StandardCharsets.UTF_8), salt, SCRYPT_N, SCRYPT_R,
          SCRYPT_P, 32);
      root.put("protection", SCRYPT);
      root.putObject("kdf").put("n", SCRYPT_N).put("r", SCRYPT_R).put("p", SCRYPT_P)
          .put("salt", Base64.getEncoder().encodeToString(salt));
    }
    try {
      root.put("current", wrap(key, "current", current));
      if (previous != null) {
        root.put("previous", wrap(key, "previous", previous));
      }
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
      throw new Problem("secret.key_file " + file + ": cannot write (" + e.getMessage()
          + "). Make its directory writable for the bridge", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  /** In clear (base64) without a key; sealed with AES-256-GCM, bound to its field name, with one. */
  private static String wrap(byte[] key, String field, byte[] secret) throws GeneralSecurityException {
    if (key == null) {
      return Base64.getEncoder().encodeToString(secret);
    }
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
    cipher.updateAAD((FORMAT + "|" + field).getBytes(StandardCharsets.UTF_8));
    byte[] sealed = cipher.doFinal(secret);
    return Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
  }

  private static byte[] unwrap(byte[] key, String field, String text) throws GeneralSecurityException {
    byte[] bytes = Base64.getDecoder().decode(text);
    if (key == null) {
      return bytes;
    }
    if (bytes.length < 12 + 16) {
      throw new GeneralSecurityException("sealed value too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, bytes, 0, 12));
    cipher.updateAAD((FORMAT + "|" + field).getBytes(StandardCharsets.UTF_8));
    return cipher.doFinal(bytes, 12, bytes.length - 12);
  }

  private static byte[] random() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  private static void tightenPermissions(Path file) throws Problem {
    if (!posix()) {
      return;
    }
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(permissions)) {
        LOG.warn("bridge secret {} was readable by others ({}); set it back to rw-------", file,
            PosixFilePermissions.toString(permissions));
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
    } catch (IOException e) {
      throw new Problem("secret.key_file " + file + ": cannot check its permissions ("
          + e.getMessage() + ")", e);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
