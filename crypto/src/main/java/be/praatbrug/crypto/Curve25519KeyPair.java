package be.praatbrug.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** An X25519 key pair (RFC 7748). {@link #toString()} shows the public key only. */
public final class Curve25519KeyPair {

  public static final int KEY_LENGTH = 32;

  private final byte[] secret;
  private final byte[] publicKey;

  private Curve25519KeyPair(byte[] secret) {
    this.secret = secret;
    this.publicKey = new byte[KEY_LENGTH];
    X25519.scalarMultBase(secret, 0, publicKey, 0);
  }

  public static Curve25519KeyPair generate() {
    return new Curve25519KeyPair(Primitives.randomBytes(KEY_LENGTH));
  }

  /** Rebuilds a pair from its 32 secret bytes (clamping happens inside the scalar multiplication). */
  public static Curve25519KeyPair fromSecret(byte[] secret) {
    if (secret.length != KEY_LENGTH) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Curve25519 secret must be 32 bytes");
    }
    return new Curve25519KeyPair(secret.clone());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyBase64() {
    return Base64s.encode(publicKey);
  }

  boolean hasPublicKey(byte[] candidate) {
    return Arrays.equals(publicKey, candidate);
  }

  /** The 32 secret bytes, for persisting the pair; callers must encrypt what they store. */
  public byte[] secretForStorage() {
    return secret.clone();
  }

  /** X25519(our secret, their public); refuses a result of all zeros (a small-order public key). */
  public byte[] agree(byte[] theirPublicKey) {
    if (theirPublicKey.length != KEY_LENGTH) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Curve25519 public key must be 32 bytes");
    }
    byte[] shared = new byte[KEY_LENGTH];
    if (!X25519.calculateAgreement(secret, 0, theirPublicKey, 0, shared, 0)) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Curve25519 key agreement gave no shared secret");
    }
    return shared;
  }

  @Override
  public String toString() {
    return "Curve25519KeyPair[public=" + publicKeyBase64() + "]";
  }
}
