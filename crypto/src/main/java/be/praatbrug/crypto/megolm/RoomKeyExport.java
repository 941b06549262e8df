package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Primitives;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The Matrix key export file ("Key export format" in the client-server spec): the JSON array of
 * sessions, encrypted with AES-256-CTR under a key from PBKDF2-HMAC-SHA-512 of a passphrase, with an
 * HMAC-SHA-256 over everything, base64 between {@code -----BEGIN MEGOLM SESSION DATA-----} lines.
 * Layout: 0x01, salt (16), IV (16, bit 63 clear), rounds (4, big-endian), ciphertext, HMAC (32).
 */
public final class RoomKeyExport {

  public static final String HEADER = "-----BEGIN MEGOLM SESSION DATA-----";
  public static final String FOOTER = "-----END MEGOLM SESSION DATA-----";
  public static final int DEFAULT_ROUNDS = 500_000;
  private static final int FIXED = 1 + 16 + 16 + 4;

  private RoomKeyExport() {}

  public static String encrypt(String sessionsJson, char[] passphrase, int rounds) {
    byte[] salt = Primitives.randomBytes(16);
    byte[] iv = Primitives.randomBytes(16);
    iv[8] &= 0x7F; // bit 63 clear, so the 64-bit CTR counter half cannot overflow into the nonce
    byte[][] keys = keys(passphrase, salt, rounds);
    byte[] ciphertext = Primitives.aesCtr(keys[0], iv, sessionsJson.getBytes(StandardCharsets.UTF_8), 0,
        sessionsJson.getBytes(StandardCharsets.UTF_8).length);
    byte[] data = new byte[FIXED + ciphertext.length + 32];
    data[0] = 1;
    System.arraycopy(salt, 0, data, 1, 16);
    System.arraycopy(iv, 0, data, 17, 16);
    data[33] = (byte) (rounds >>> 24);
    data[34] = (byte) (rounds >>> 16);
    data[35] = (byte) (rounds >>> 8);
    data[36] = (byte) rounds;
    System.arraycopy(ciphertext, 0, data, FIXED, ciphertext.length);
    byte[] mac = Primitives.hmacSha256(keys[1], data, 0, FIXED + ciphertext.length);
    System.arraycopy(mac, 0, data, FIXED + ciphertext.length, 32);
    wipe(keys);
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    String encoded = Base64.getEncoder().encodeToString(data);
    for (int i = 0; i < encoded.length(); i += 96) {
      out.append(encoded, i, Math.min(encoded.length(), i + 96)).append('\n');
    }
    return out.append(FOOTER).append('\n').toString();
  }

  /** Returns the JSON text; a wrong passphrase or a changed file fails the HMAC check. */
  public static String decrypt(String file, char[] passphrase) {
    int start = file.indexOf(HEADER);
    int end = file.indexOf(FOOTER);
    if (start < 0 || end < start) {
      throw new CryptoException(Reason.BAD_PASSPHRASE_OR_FILE, "not a Megolm session export file");
    }
    byte[] data;
    try {
      data = Base64.getMimeDecoder().decode(file.substring(start + HEADER.length(), end).trim());
    } catch (IllegalArgumentException e) {
      throw new CryptoException(Reason.BAD_PASSPHRASE_OR_FILE, "export body is not base64");
    }
    if (data.length < FIXED + 32 || data[0] != 1) {
      throw new CryptoException(Reason.BAD_PASSPHRASE_OR_FILE, "unsupported export version or truncated file");
    }
    int rounds = ((data[33] & 0xFF) << 24) | ((data[34] & 0xFF) << 16) | ((data[35] & 0xFF) << 8) | (data[36] & 0xFF);
    if (rounds <= 0) {
      throw new CryptoException(Reason.BAD_PASSPHRASE_OR_FILE, "export file names no PBKDF2 rounds");
    }
    byte[][] keys = keys(passphrase, Arrays.copyOfRange(data, 1, 17), rounds);
    try {
      int macOffset = data.length - 32;
      byte[] mac = Primitives.hmacSha256(keys[1], data, 0, macOffset);
      if (!Primitives.constantTimeEquals(mac, 0, data, macOffset, 32)) {
        throw new CryptoException(Reason.BAD_PASSPHRASE_OR_FILE, "wrong passphrase or changed file");
      }
      byte[] plaintext = Primitives.aesCtr(keys[0], Arrays.copyOfRange(data, 17, 33), data, FIXED, macOffset - FIXED);
      return new String(plaintext, StandardCharsets.UTF_8);
    } finally {
      wipe(keys);
    }
  }

  private static byte[][] keys(char[] passphrase, byte[] salt, int rounds) {
    try {
      PBEKeySpec spec = new PBEKeySpec(passphrase, salt, rounds, 512);
      byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
      spec.clearPassword();
      byte[][] keys = {Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 32, 64)};
      Arrays.fill(derived, (byte) 0);
      return keys;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks PBKDF2WithHmacSHA512", e);
    }
  }

  private static void wipe(byte[][] keys) {
    for (byte[] key : keys) {
      Arrays.fill(key, (byte) 0);
    }
  }
}
