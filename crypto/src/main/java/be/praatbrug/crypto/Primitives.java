package be.praatbrug.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The symmetric primitives Olm and Megolm need: HMAC-SHA-256, HKDF-SHA-256 (RFC 5869), SHA-256,
 * AES-256-CBC with PKCS#7 padding and AES-256-CTR. They come from the JDK's own provider, which
 * HotSpot backs with AES-NI and SHA instructions; the curves come from BouncyCastle. Instances are
 * cached per thread because {@link Mac} and {@link Cipher} are not thread-safe and costly to look up.
 */
public final class Primitives {

  /** libolm truncates message MACs to 8 bytes. */
  public static final int TRUNCATED_MAC_LENGTH = 8;

  private static final byte[] ZERO_SALT = new byte[32];
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> instance(() -> Mac.getInstance("HmacSHA256")));
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> instance(() -> MessageDigest.getInstance("SHA-256")));
  private static final ThreadLocal<Cipher> AES_CBC = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/CBC/PKCS5Padding")));
  private static final ThreadLocal<Cipher> AES_CTR = ThreadLocal.withInitial(() -> instance(() -> Cipher.getInstance("AES/CTR/NoPadding")));

  private Primitives() {}

  private interface Factory<T> {
    T create() throws GeneralSecurityException;
  }

  private static <T> T instance(Factory<T> factory) {
    try {
      return factory.create();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks a required algorithm", e);
    }
  }

  public static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  public static byte[] hmacSha256(byte[] key, byte[] data) {
    return hmacSha256(key, data, 0, data.length);
  }

  public static byte[] hmacSha256(byte[] key, byte[] data, int offset, int length) {
    Mac mac = HMAC.get();
    try {
      // An empty HMAC key equals a key of zero bytes (RFC 2104 pads keys with zeros); the JDK refuses empty keys.
      mac.init(new SecretKeySpec(key.length == 0 ? ZERO_SALT : key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    mac.update(data, offset, length);
    return mac.doFinal();
  }

  /** HKDF-SHA-256 (RFC 5869); an empty salt means 32 zero bytes, as the RFC and libolm have it. */
  public static byte[] hkdfSha256(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
    if (length > 255 * 32) {
      throw new IllegalArgumentException("HKDF output too long");
    }
    byte[] prk = hmacSha256(salt.length == 0 ? ZERO_SALT : salt, inputKeyMaterial);
    Mac mac = HMAC.get();
    try {
      mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] out = new byte[length];
    byte[] previous = new byte[0];
    int written = 0;
    for (int counter = 1; written < length; counter++) {
      mac.update(previous);
      mac.update(info);
      mac.update((byte) counter);
      previous = mac.doFinal();
      int take = Math.min(previous.length, length - written);
      System.arraycopy(previous, 0, out, written, take);
      written += take;
    }
    Arrays.fill(prk, (byte) 0);
    return out;
  }

  public static byte[] sha256(byte[]... parts) {
    MessageDigest digest = SHA256.get();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  public static byte[] aesCbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
    Cipher cipher = AES_CBC.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Decrypts AES-256-CBC; a wrong padding is reported as {@code BAD_MESSAGE_FORMAT}. */
  public static byte[] aesCbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext, int offset, int length) {
    Cipher cipher = AES_CBC.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(ciphertext, offset, length);
    } catch (BadPaddingException | javax.crypto.IllegalBlockSizeException e) {
      throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_FORMAT, "ciphertext does not decrypt");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** AES-256-CTR with a 128-bit big-endian counter block, as the key export format uses. */
  public static byte[] aesCtr(byte[] key, byte[] iv, byte[] input, int offset, int length) {
    Cipher cipher = AES_CTR.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      return cipher.doFinal(input, offset, length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Compares in time that depends on the length only, never on where the bytes differ. */
  public static boolean constantTimeEquals(byte[] a, int aOffset, byte[] b, int bOffset, int length) {
    if (aOffset < 0 || bOffset < 0 || aOffset + length > a.length || bOffset + length > b.length) {
      return false;
    }
    int difference = 0;
    for (int i = 0; i < length; i++) {
      difference |= a[aOffset + i] ^ b[bOffset + i];
    }
    return difference == 0;
  }

  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return a.length == b.length && constantTimeEquals(a, 0, b, 0, a.length);
  }
}
