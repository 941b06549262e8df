package be.praatbrug.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** An Ed25519 signing key (RFC 8032) from a 32-byte seed. {@link #toString()} shows the public key only. */
public final class Ed25519KeyPair {

  public static final int SEED_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private final byte[] seed;
  private final byte[] publicKey;

  private Ed25519KeyPair(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
  }

  public static Ed25519KeyPair generate() {
    return new Ed25519KeyPair(Primitives.randomBytes(SEED_LENGTH));
  }

  public static Ed25519KeyPair fromSeed(byte[] seed) {
    if (seed.length != SEED_LENGTH) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Ed25519 seed must be 32 bytes");
    }
    return new Ed25519KeyPair(seed.clone());
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String publicKeyBase64() {
    return Base64s.encode(publicKey);
  }

  /** The 32-byte seed, for persisting the pair; callers must encrypt what they store. */
  public byte[] seedForStorage() {
    return seed.clone();
  }

  public byte[] sign(byte[] message) {
    return sign(message, 0, message.length);
  }

  public byte[] sign(byte[] message, int offset, int length) {
    byte[] signature = new byte[SIGNATURE_LENGTH];
    sign(message, offset, length, signature, 0);
    return signature;
  }

  /** Signs {@code message[offset, offset+length)} into {@code out[outOffset, outOffset+64)}. */
  public void sign(byte[] message, int offset, int length, byte[] out, int outOffset) {
    Ed25519.sign(seed, 0, publicKey, 0, message, offset, length, out, outOffset);
  }

  @Override
  public String toString() {
    return "Ed25519KeyPair[public=" + publicKeyBase64() + "]";
  }
}
