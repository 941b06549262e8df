package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.AesSha2Cipher;
import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.Ed25519KeyPair;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.StateCodec;
import java.nio.charset.StandardCharsets;

/**
 * The sending side of a Megolm session (libolm outbound_group_session.c). Each message is
 * encrypted with keys derived from the current ratchet, MAC'd, signed with the session's Ed25519
 * key, and the ratchet moves on. The session id is the Ed25519 public key.
 */
public final class OutboundGroupSession {

  static final AesSha2Cipher CIPHER = new AesSha2Cipher("MEGOLM_KEYS");
  static final int SESSION_KEY_VERSION = 2;

  final MegolmRatchet ratchet;
  final Ed25519KeyPair signingKey;
  final long createdAtMillis;
  int messagesSent;

  OutboundGroupSession(MegolmRatchet ratchet, Ed25519KeyPair signingKey, long createdAtMillis, int messagesSent) {
    this.ratchet = ratchet;
    this.signingKey = signingKey;
    this.createdAtMillis = createdAtMillis;
    this.messagesSent = messagesSent;
  }

  public static OutboundGroupSession create() {
    return new OutboundGroupSession(new MegolmRatchet(Primitives.randomBytes(MegolmRatchet.LENGTH), 0),
        Ed25519KeyPair.generate(), System.currentTimeMillis(), 0);
  }

  public String sessionId() {
    return signingKey.publicKeyBase64();
  }

  /** The index the next message will carry. */
  public long messageIndex() {
    return ratchet.counter();
  }

  /** Messages encrypted so far, for rotation by {@code rotation_period_msgs}. */
  public int messagesSent() {
    return messagesSent;
  }

  public long createdAtMillis() {
    return createdAtMillis;
  }

  /**
   * The {@code session_key} of an {@code m.room_key} event: version 2, counter, ratchet, public key
   * and a signature over those, so a receiver can decrypt from the current index on.
   */
  public String sessionKey() {
    byte[] out = new byte[1 + 4 + MegolmRatchet.LENGTH + 32 + Ed25519KeyPair.SIGNATURE_LENGTH];
    int signedLength = SessionKeys.writeHeader(out, SESSION_KEY_VERSION, ratchet, signingKey.publicKey());
    signingKey.sign(out, 0, signedLength, out, signedLength);
    return Base64s.encode(out);
  }

  public String encrypt(String plaintext) {
    return encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /** Encrypts one message and returns its unpadded base64 form. */
  public String encrypt(byte[] plaintext) {
    AesSha2Cipher.MessageKeys keys = CIPHER.derive(ratchet.data());
    byte[] message = GroupWire.encode(ratchet.counter(), keys.encrypt(plaintext));
    int macOffset = message.length - GroupWire.TRAILER;
    keys.writeMac(message, macOffset);
    keys.wipe();
    ratchet.advance();
    messagesSent++;
    int signedLength = macOffset + Primitives.TRUNCATED_MAC_LENGTH;
    signingKey.sign(message, 0, signedLength, message, signedLength);
    return Base64s.encode(message);
  }

  private static final int STATE_TAG = 'O';
  private static final int STATE_VERSION = 1;

  /** The whole session, ratchet and signing key included, for saving; see {@link StateCodec}. */
  public byte[] toState() {
    return new StateCodec.Writer(STATE_TAG, STATE_VERSION)
        .bytes(ratchet.data()).number(ratchet.counter()).bytes(signingKey.seedForStorage())
        .number(createdAtMillis).integer(messagesSent).toBytes();
  }

  public static OutboundGroupSession fromState(byte[] state) {
    StateCodec.Reader in = new StateCodec.Reader(state, STATE_TAG, STATE_VERSION);
    MegolmRatchet ratchet = MegolmRatchet.read(in);
    OutboundGroupSession session = new OutboundGroupSession(ratchet, Ed25519KeyPair.fromSeed(in.key()), in.number(), in.integer());
    in.end();
    return session;
  }

  @Override
  public String toString() {
    return "OutboundGroupSession[id=" + sessionId() + ", index=" + messageIndex() + "]";
  }
}
