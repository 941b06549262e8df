package be.praatbrug.bridge.ledger;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The organisation's ledger secrets: the Ed25519 signing key and the data key that wraps each
 * client's field key.
 *
 * <p>Two keys rather than one because they protect different things: the signing key makes entries
 * tamper-evident (its public half is published), the data key keeps personal fields unreadable to
 * someone who has only the database. Both live in the key file ({@link LedgerKeyFile}), never in
 * the database. {@link #toString()} shows the public fingerprint only.
 */
public final class OrgKeys {

  private final byte[] seed;
  private final Ed25519PrivateKeyParameters signing;
  private final OrgPublicKey publicKey;
  private final byte[] dataKey;

  public OrgKeys(byte[] seed, byte[] dataKey) {
    if (seed.length != 32 || dataKey.length != 32) {
      throw new IllegalArgumentException("ledger keys are 32 bytes each");
    }
    this.seed = seed.clone();
    this.signing = new Ed25519PrivateKeyParameters(seed, 0);
    this.publicKey = new OrgPublicKey(signing.generatePublicKey().getEncoded());
    this.dataKey = dataKey.clone();
  }

  /** Fresh random keys, for the first start. */
  public static OrgKeys generate(SecureRandom random) {
    byte[] seed = new byte[32];
    byte[] dataKey = new byte[32];
    random.nextBytes(seed);
    random.nextBytes(dataKey);
    return new OrgKeys(seed, dataKey);
  }

  /** Base64 Ed25519 signature over {@code message}. Thread-safe: one signer per call. */
  public String sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, signing);
    signer.update(message, 0, message.length);
    return Base64.getEncoder().encodeToString(signer.generateSignature());
  }

  public OrgPublicKey publicKey() {
    return publicKey;
  }

  /** The 64 secret bytes as kept in the key file: signing seed, then data key. */
  byte[] secretBytes() {
    byte[] secret = Arrays.copyOf(seed, 64);
    System.arraycopy(dataKey, 0, secret, 32, 32);
    return secret;
  }

  static OrgKeys fromSecretBytes(byte[] secret) {
    if (secret.length != 64) {
      throw new IllegalArgumentException("ledger key material has 64 bytes, not " + secret.length);
    }
    return new OrgKeys(Arrays.copyOf(secret, 32), Arrays.copyOfRange(secret, 32, 64));
  }

  byte[] dataKey() {
    return dataKey.clone();
  }

  @Override
  public String toString() {
    return "OrgKeys[public " + publicKey.fingerprint() + ", secrets=<redacted>]";
  }
}
