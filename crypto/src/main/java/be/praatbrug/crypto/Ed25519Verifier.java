package be.praatbrug.crypto;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks Ed25519 signatures against one public key. The key is decoded once, so a Megolm
 * session that checks every message does not pay for point decompression each time.
 */
public final class Ed25519Verifier {

  private final byte[] publicKey;
  private final Ed25519.PublicPoint point;

  public Ed25519Verifier(byte[] publicKey) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Ed25519 public key must be 32 bytes");
    }
    this.publicKey = publicKey.clone();
    this.point = Ed25519.validatePublicKeyPartialExport(this.publicKey, 0);
    if (point == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "Ed25519 public key is not a curve point");
    }
  }

  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return new Ed25519Verifier(publicKey).verify(message, 0, message.length, signature, 0);
  }

  public boolean verify(byte[] message, int offset, int length, byte[] signature, int signatureOffset) {
    if (signatureOffset < 0 || signatureOffset + Ed25519.SIGNATURE_SIZE > signature.length) {
      return false;
    }
    return Ed25519.verify(signature, signatureOffset, point, message, offset, length);
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public String toString() {
    return "Ed25519Verifier[public=" + Base64s.encode(publicKey) + "]";
  }
}
