package be.praatbrug.crypto.olm;

import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Curve25519KeyPair;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.StateCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A 1:1 Olm session (libolm session.cpp). The outbound side ("Alice") sends pre-key messages until
 * it has decrypted one reply; the inbound side ("Bob") is created from the first pre-key message.
 * Triple Diffie-Hellman: S = ECDH(I_A, E_B) || ECDH(E_A, I_B) || ECDH(E_A, E_B).
 */
public final class OlmSession {

  final byte[] aliceIdentityKey;
  final byte[] aliceBaseKey;
  final byte[] bobOneTimeKey;
  final byte[] remoteIdentityKey;
  final Ratchet ratchet;
  boolean receivedMessage;

  OlmSession(byte[] aliceIdentityKey, byte[] aliceBaseKey, byte[] bobOneTimeKey, byte[] remoteIdentityKey,
      Ratchet ratchet, boolean receivedMessage) {
    this.aliceIdentityKey = aliceIdentityKey;
    this.aliceBaseKey = aliceBaseKey;
    this.bobOneTimeKey = bobOneTimeKey;
    this.remoteIdentityKey = remoteIdentityKey;
    this.ratchet = ratchet;
    this.receivedMessage = receivedMessage;
  }

  /** Starts a session to a device from its Curve25519 identity key and a claimed one-time key. */
  public static OlmSession createOutbound(OlmAccount account, String theirIdentityKey, String theirOneTimeKey) {
    byte[] identity = Base64s.decodeKey(theirIdentityKey, "identity key");
    byte[] oneTime = Base64s.decodeKey(theirOneTimeKey, "one-time key");
    Curve25519KeyPair baseKey = Curve25519KeyPair.generate();
    Curve25519KeyPair ratchetKey = Curve25519KeyPair.generate();
    byte[] secret = concat(account.identityKey.agree(oneTime), baseKey.agree(identity), baseKey.agree(oneTime));
    Ratchet ratchet = Ratchet.asAlice(secret, ratchetKey);
    Arrays.fill(secret, (byte) 0);
    return new OlmSession(account.identityKey.publicKey(), baseKey.publicKey(), oneTime, identity, ratchet, false);
  }

  /** Creates the receiving side from a pre-key message; decrypt that message next. */
  public static OlmSession createInbound(OlmAccount account, OlmMessage preKeyMessage) {
    return createInbound(account, null, preKeyMessage);
  }

  /** As {@link #createInbound(OlmAccount, OlmMessage)}, insisting the sender has this identity key. */
  public static OlmSession createInboundFrom(OlmAccount account, String theirIdentityKey, OlmMessage preKeyMessage) {
    return createInbound(account, Base64s.decodeKey(theirIdentityKey, "identity key"), preKeyMessage);
  }

  private static OlmSession createInbound(OlmAccount account, byte[] expectedIdentity, OlmMessage message) {
    if (!message.isPreKey()) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "an inbound session needs a pre-key message");
    }
    OlmWire.PreKey preKey = OlmWire.decodePreKey(Base64s.decode(message.body(), "message body"));
    if (expectedIdentity != null && !Arrays.equals(expectedIdentity, preKey.identityKey())) {
      throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "pre-key message is from another identity key");
    }
    OlmWire.Normal inner = OlmWire.decodeNormal(preKey.message());
    Curve25519KeyPair oneTimeKey = account.lookupKey(preKey.oneTimeKey());
    if (oneTimeKey == null) {
      throw new CryptoException(Reason.BAD_MESSAGE_KEY_ID, "unknown one-time key");
    }
    byte[] secret = concat(oneTimeKey.agree(preKey.identityKey()), account.identityKey.agree(preKey.baseKey()),
        oneTimeKey.agree(preKey.baseKey()));
    Ratchet ratchet = Ratchet.asBob(secret, inner.ratchetKey());
    Arrays.fill(secret, (byte) 0);
    return new OlmSession(preKey.identityKey(), preKey.baseKey(), preKey.oneTimeKey(), preKey.identityKey(), ratchet, false);
  }

  /** SHA-256(Alice's identity key, Alice's base key, Bob's one-time key); both ends agree on it. */
  public String sessionId() {
    return Base64s.encode(Primitives.sha256(aliceIdentityKey, aliceBaseKey, bobOneTimeKey));
  }

  /** The Curve25519 identity key of the other device. */
  public String remoteIdentityKey() {
    return Base64s.encode(remoteIdentityKey);
  }

  public boolean hasReceivedMessage() {
    return receivedMessage;
  }

  byte[] ourOneTimeKey() {
    return bobOneTimeKey.clone();
  }

  /** True when a pre-key message belongs to this inbound session (same base and one-time key). */
  public boolean matchesInbound(OlmMessage message) {
    return matches(null, message);
  }

  public boolean matchesInboundFrom(String theirIdentityKey, OlmMessage message) {
    return matches(Base64s.decodeKey(theirIdentityKey, "identity key"), message);
  }

  private boolean matches(byte[] identity, OlmMessage message) {
    if (!message.isPreKey()) {
      return false;
    }
    OlmWire.PreKey preKey;
    try {
      preKey = OlmWire.decodePreKey(Base64s.decode(message.body(), "message body"));
    } catch (CryptoException e) {
      return false;
    }
    return (identity == null || Arrays.equals(identity, preKey.identityKey()))
        && Arrays.equals(aliceIdentityKey, preKey.identityKey())
        && Arrays.equals(aliceBaseKey, preKey.baseKey())
        && Arrays.equals(bobOneTimeKey, preKey.oneTimeKey());
  }

  public OlmMessage encrypt(String plaintext) {
    return encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
  }

  public OlmMessage encrypt(byte[] plaintext) {
    byte[] inner = ratchet.encrypt(plaintext);
    if (receivedMessage) {
      return new OlmMessage(OlmMessage.NORMAL, Base64s.encode(inner));
    }
    // Until the peer answers it may not have this session yet, so every message carries the pre-key data.
    byte[] outer = OlmWire.encodePreKey(bobOneTimeKey, aliceBaseKey, aliceIdentityKey, inner);
    return new OlmMessage(OlmMessage.PRE_KEY, Base64s.encode(outer));
  }

  public byte[] decrypt(OlmMessage message) {
    byte[] raw = Base64s.decode(message.body(), "message body");
    byte[] inner = message.isPreKey() ? OlmWire.decodePreKey(raw).message() : raw;
    byte[] plaintext = ratchet.decrypt(inner);
    receivedMessage = true;
    return plaintext;
  }

  public String decryptToString(OlmMessage message) {
    return new String(decrypt(message), StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int pos = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, pos, part.length);
      pos += part.length;
      Arrays.fill(part, (byte) 0);
    }
    return out;
  }

  private static final int STATE_TAG = 'S';
  private static final int STATE_VERSION = 1;

  /** The whole session, ratchet secrets included, for saving; see {@link StateCodec}. */
  public byte[] toState() {
    StateCodec.Writer out = new StateCodec.Writer(STATE_TAG, STATE_VERSION)
        .bytes(aliceIdentityKey).bytes(aliceBaseKey).bytes(bobOneTimeKey).bytes(remoteIdentityKey).bool(receivedMessage);
    ratchet.write(out);
    return out.toBytes();
  }

  public static OlmSession fromState(byte[] state) {
    StateCodec.Reader in = new StateCodec.Reader(state, STATE_TAG, STATE_VERSION);
    byte[] aliceIdentity = in.key();
    byte[] aliceBase = in.key();
    byte[] bobOneTime = in.key();
    byte[] remoteIdentity = in.key();
    boolean received = in.bool();
    Ratchet ratchet = Ratchet.read(in);
    in.end();
    return new OlmSession(aliceIdentity, aliceBase, bobOneTime, remoteIdentity, ratchet, received);
  }

  @Override
  public String toString() {
    return "OlmSession[id=" + sessionId() + "]";
  }
}
