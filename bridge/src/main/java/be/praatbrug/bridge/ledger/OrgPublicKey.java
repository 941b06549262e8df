package be.praatbrug.bridge.ledger;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The public half of the organisation's Ed25519 ledger key: all anyone needs to check a signature.
 *
 * <p>Published in three forms: raw 32 bytes in base64 (compact, for JSON), PEM
 * ({@code SubjectPublicKeyInfo}, what {@code openssl pkeyutl -verify} reads), and a SHA-256
 * fingerprint of the raw key, short enough to read aloud or print in an inspection report so a
 * key received later can be compared with one received earlier.
 */
public final class OrgPublicKey {

  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw key follows. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

  private final byte[] raw;
  private final Ed25519PublicKeyParameters parameters;

  public OrgPublicKey(byte[] raw) {
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
    }
    this.raw = raw.clone();
    this.parameters = new Ed25519PublicKeyParameters(raw, 0);
  }

  public static OrgPublicKey fromBase64(String base64) {
    return new OrgPublicKey(Base64.getDecoder().decode(base64.strip()));
  }

  /** Reads a PEM public key as written by {@link #pem()} or {@code openssl pkey -pubout}. */
  public static OrgPublicKey fromPem(String pem) {
    String body = pem.replace("-----BEGIN PUBLIC KEY-----", "")
        .replace("-----END PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    if (der.length != SPKI_PREFIX.length + 32
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key in PEM form");
    }
    return new OrgPublicKey(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
  }

  /** Whether {@code signatureBase64} is this key's signature over {@code message}. */
  public boolean verifies(byte[] message, String signatureBase64) {
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(signatureBase64);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (signature.length != 64) {
      return false;
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, parameters);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  public byte[] raw() {
    return raw.clone();
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(raw);
  }

  /** DER SubjectPublicKeyInfo: what Java's {@code X509EncodedKeySpec} and openssl read. */
  public byte[] spki() {
    byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, SPKI_PREFIX.length, 32);
    return der;
  }

  public String pem() {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(spki())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** Hex SHA-256 of the raw key. */
  public String fingerprint() {
    return Sha256.hex(raw);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OrgPublicKey key && Arrays.equals(raw, key.raw);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "OrgPublicKey[" + fingerprint() + "]";
  }
}
