package be.praatbrug.bridge.ledger;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for personal fields (under a client's key) and for client keys (under the data key).
 *
 * <p>This is what makes erasure work on an append-only chain (crypto-shredding): every personal
 * field is stored only as ciphertext under a key that belongs to one client; the chain hashes and
 * signs the ciphertext; erasing a client deletes that key, after which the ciphertext is noise but
 * the hashes and signatures over it are unchanged.
 *
 * <p>Associated data binds each ciphertext to its client and field name, so a ciphertext copied
 * into another client's entry or another field fails to open instead of showing wrong data.
 * Format of a sealed value: base64 of 12-byte random nonce followed by ciphertext and 16-byte tag.
 */
public final class FieldSealer {

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecureRandom random;

  public FieldSealer(SecureRandom random) {
    this.random = random;
  }

  /** A fresh random 256-bit client key. */
  public byte[] newClientKey() {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return key;
  }

  public String sealField(byte[] clientKey, String clientRef, String field, String value) {
    return seal(clientKey, fieldContext(clientRef, field), value.getBytes(StandardCharsets.UTF_8));
  }

  /** The clear value; throws {@link GeneralSecurityException} when key, client or field differ. */
  public String openField(byte[] clientKey, String clientRef, String field, String sealed)
      throws GeneralSecurityException {
    return new String(open(clientKey, fieldContext(clientRef, field), sealed),
        StandardCharsets.UTF_8);
  }

  public String wrapClientKey(byte[] dataKey, String clientRef, byte[] clientKey) {
    return seal(dataKey, keyContext(clientRef), clientKey);
  }

  public byte[] unwrapClientKey(byte[] dataKey, String clientRef, String wrapped)
      throws GeneralSecurityException {
    return open(dataKey, keyContext(clientRef), wrapped);
  }

  String seal(byte[] key, byte[] context, byte[] plain) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context);
      byte[] sealed = cipher.doFinal(plain);
      return Base64.getEncoder().encodeToString(
          ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java runtime", e);
    }
  }

  static byte[] open(byte[] key, byte[] context, String sealedBase64)
      throws GeneralSecurityException {
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(sealedBase64);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("sealed value is not base64", e);
    }
    if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("sealed value too short: " + sealed.length + " bytes");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"),
        new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
    cipher.updateAAD(context);
    return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
  }

  private static byte[] fieldContext(String clientRef, String field) {
    return ("praatbrug-ledger/1 field " + clientRef + " " + field).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] keyContext(String clientRef) {
    return ("praatbrug-ledger/1 client-key " + clientRef).getBytes(StandardCharsets.UTF_8);
  }
}
