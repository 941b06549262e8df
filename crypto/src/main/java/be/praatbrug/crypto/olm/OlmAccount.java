package be.praatbrug.crypto.olm;

import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CanonicalJson;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.Curve25519KeyPair;
import be.praatbrug.crypto.Ed25519KeyPair;
import be.praatbrug.crypto.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device's long-term keys as libolm keeps them: a Curve25519 identity key, an Ed25519
 * fingerprint key, up to 100 one-time keys (oldest dropped first) and a current and previous
 * fallback key. Key ids count up from 1 and are published as the base64 of 4 big-endian bytes.
 */
public final class OlmAccount {

  public static final int MAX_ONE_TIME_KEYS = 100;

  /** A one-time or fallback key with its id. */
  record OneTimeKey(long id, Curve25519KeyPair keyPair, boolean published) {
    String keyId() {
      byte[] bytes = {(byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id};
      return Base64s.encode(bytes);
    }

    OneTimeKey asPublished() {
      return new OneTimeKey(id, keyPair, true);
    }
  }

  /** The two public identity keys, unpadded base64. */
  public record IdentityKeys(String curve25519, String ed25519) {}

  final Curve25519KeyPair identityKey;
  final Ed25519KeyPair fingerprintKey;
  final ArrayDeque<OneTimeKey> oneTimeKeys = new ArrayDeque<>();
  OneTimeKey currentFallbackKey;
  OneTimeKey previousFallbackKey;
  long nextKeyId;

  OlmAccount(Curve25519KeyPair identityKey, Ed25519KeyPair fingerprintKey) {
    this.identityKey = identityKey;
    this.fingerprintKey = fingerprintKey;
  }

  public static OlmAccount create() {
    return new OlmAccount(Curve25519KeyPair.generate(), Ed25519KeyPair.generate());
  }

  public IdentityKeys identityKeys() {
    return new IdentityKeys(identityKey.publicKeyBase64(), fingerprintKey.publicKeyBase64());
  }

  /** Ed25519 signature with the fingerprint key, unpadded base64. */
  public String sign(byte[] message) {
    return Base64s.encode(fingerprintKey.sign(message));
  }

  public String sign(String message) {
    return sign(message.getBytes(StandardCharsets.UTF_8));
  }

  /** Signs a JSON object the Matrix way (canonical JSON without signatures and unsigned). */
  public String signJson(Map<String, ?> object) {
    return sign(CanonicalJson.signingBytes(object));
  }

  public void generateOneTimeKeys(int count) {
    for (int i = 0; i < count; i++) {
      if (oneTimeKeys.size() == MAX_ONE_TIME_KEYS) {
        oneTimeKeys.removeLast();
      }
      oneTimeKeys.addFirst(new OneTimeKey(++nextKeyId, Curve25519KeyPair.generate(), false));
    }
  }

  /** Unpublished one-time keys: key id to public key, oldest first. */
  public Map<String, String> unpublishedOneTimeKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    for (Iterator<OneTimeKey> it = oneTimeKeys.descendingIterator(); it.hasNext(); ) {
      OneTimeKey key = it.next();
      if (!key.published()) {
        keys.put(key.keyId(), key.keyPair().publicKeyBase64());
      }
    }
    return keys;
  }

  public int oneTimeKeyCount() {
    return oneTimeKeys.size();
  }

  /** Starts a new fallback key; the current one stays usable as the previous one. */
  public void generateFallbackKey() {
    previousFallbackKey = currentFallbackKey;
    currentFallbackKey = new OneTimeKey(++nextKeyId, Curve25519KeyPair.generate(), false);
  }

  /** The current fallback key if not yet published: key id to public key (empty otherwise). */
  public Map<String, String> unpublishedFallbackKey() {
    Map<String, String> keys = new LinkedHashMap<>();
    if (currentFallbackKey != null && !currentFallbackKey.published()) {
      keys.put(currentFallbackKey.keyId(), currentFallbackKey.keyPair().publicKeyBase64());
    }
    return keys;
  }

  public void forgetOldFallbackKey() {
    previousFallbackKey = null;
  }

  public void markKeysAsPublished() {
    int size = oneTimeKeys.size();
    for (int i = 0; i < size; i++) {
      oneTimeKeys.addLast(oneTimeKeys.removeFirst().asPublished());
    }
    if (currentFallbackKey != null) {
      currentFallbackKey = currentFallbackKey.asPublished();
    }
  }

  /** Drops the one-time key an inbound session used, so nobody can use it again. */
  public boolean removeOneTimeKeys(OlmSession session) {
    byte[] used = session.ourOneTimeKey();
    return oneTimeKeys.removeIf(key -> Arrays.equals(key.keyPair().publicKey(), used));
  }

  /** Finds our key pair for a one-time or fallback public key named in a pre-key message. */
  Curve25519KeyPair lookupKey(byte[] publicKey) {
    for (OneTimeKey key : oneTimeKeys) {
      if (Arrays.equals(key.keyPair().publicKey(), publicKey)) {
        return key.keyPair();
      }
    }
    for (OneTimeKey key : new OneTimeKey[] {currentFallbackKey, previousFallbackKey}) {
      if (key != null && Arrays.equals(key.keyPair().publicKey(), publicKey)) {
        return key.keyPair();
      }
    }
    return null;
  }

  private static final int STATE_TAG = 'A';
  private static final int STATE_VERSION = 1;

  /** The whole account, secret keys included, for saving; see {@link StateCodec}. */
  public byte[] toState() {
    StateCodec.Writer out = new StateCodec.Writer(STATE_TAG, STATE_VERSION)
        .bytes(identityKey.secretForStorage())
        .bytes(fingerprintKey.seedForStorage())
        .number(nextKeyId)
        .integer(oneTimeKeys.size());
    for (OneTimeKey key : oneTimeKeys) {
      writeKey(out, key);
    }
    for (OneTimeKey key : new OneTimeKey[] {currentFallbackKey, previousFallbackKey}) {
      out.bool(key != null);
      if (key != null) {
        writeKey(out, key);
      }
    }
    return out.toBytes();
  }

  public static OlmAccount fromState(byte[] state) {
    StateCodec.Reader in = new StateCodec.Reader(state, STATE_TAG, STATE_VERSION);
    OlmAccount account = new OlmAccount(Curve25519KeyPair.fromSecret(in.key()), Ed25519KeyPair.fromSeed(in.key()));
    account.nextKeyId = in.number();
    int count = in.integer();
    if (count < 0 || count > MAX_ONE_TIME_KEYS) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved account has too many one-time keys");
    }
    for (int i = 0; i < count; i++) {
      account.oneTimeKeys.addLast(readKey(in));
    }
    account.currentFallbackKey = in.bool() ? readKey(in) : null;
    account.previousFallbackKey = in.bool() ? readKey(in) : null;
    in.end();
    return account;
  }

  private static void writeKey(StateCodec.Writer out, OneTimeKey key) {
    out.number(key.id()).bytes(key.keyPair().secretForStorage()).bool(key.published());
  }

  private static OneTimeKey readKey(StateCodec.Reader in) {
    return new OneTimeKey(in.number(), Curve25519KeyPair.fromSecret(in.key()), in.bool());
  }

  @Override
  public String toString() {
    return "OlmAccount[curve25519=" + identityKey.publicKeyBase64() + ", oneTimeKeys=" + oneTimeKeys.size() + "]";
  }
}
