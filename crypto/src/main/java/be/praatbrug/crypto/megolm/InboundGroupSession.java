package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.AesSha2Cipher;
import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Ed25519KeyPair;
import be.praatbrug.crypto.Ed25519Verifier;
import be.praatbrug.crypto.StateCodec;

/**
 * The receiving side of a Megolm session (libolm inbound_group_session.c). It keeps the ratchet
 * at the first known index (to decrypt older messages again) and the latest one (to go forward
 * cheaply). Order of checks as libolm: version and format, then signature, then index, then MAC.
 * Replays of an index are the caller's to detect ({@link ReplayGuard}), as the spec asks.
 */
public final class InboundGroupSession {

  static final int EXPORT_VERSION = 1;

  final MegolmRatchet initialRatchet;
  MegolmRatchet latestRatchet;
  final Ed25519Verifier signingKey;
  boolean signingKeyVerified;

  InboundGroupSession(MegolmRatchet initialRatchet, MegolmRatchet latestRatchet, Ed25519Verifier signingKey, boolean verified) {
    this.initialRatchet = initialRatchet;
    this.latestRatchet = latestRatchet;
    this.signingKey = signingKey;
    this.signingKeyVerified = verified;
  }

  /** From the {@code session_key} of an {@code m.room_key} event (version 2, signed). */
  public static InboundGroupSession fromSessionKey(String sessionKey) {
    byte[] raw = Base64s.decode(sessionKey, "session_key");
    SessionKeys.Parsed parsed = SessionKeys.parse(raw, OutboundGroupSession.SESSION_KEY_VERSION,
        SessionKeys.HEADER_LENGTH + Ed25519KeyPair.SIGNATURE_LENGTH);
    Ed25519Verifier verifier = verifier(parsed.publicKey());
    if (!verifier.verify(raw, 0, SessionKeys.HEADER_LENGTH, raw, SessionKeys.HEADER_LENGTH)) {
      throw new CryptoException(Reason.BAD_SIGNATURE, "session key signature does not match");
    }
    return new InboundGroupSession(parsed.ratchet(), parsed.ratchet().copy(), verifier, true);
  }

  /** From a session export ({@code m.forwarded_room_key}, key backup, key export file): version 1, unsigned. */
  public static InboundGroupSession importSession(String exportedKey) {
    byte[] raw = Base64s.decode(exportedKey, "session_key");
    SessionKeys.Parsed parsed = SessionKeys.parse(raw, EXPORT_VERSION, SessionKeys.HEADER_LENGTH);
    return new InboundGroupSession(parsed.ratchet(), parsed.ratchet().copy(), verifier(parsed.publicKey()), false);
  }

  private static Ed25519Verifier verifier(byte[] publicKey) {
    try {
      return new Ed25519Verifier(publicKey);
    } catch (CryptoException e) {
      throw new CryptoException(Reason.BAD_SESSION_KEY, "session key has no valid signing key");
    }
  }

  public String sessionId() {
    return Base64s.encode(signingKey.publicKey());
  }

  public long firstKnownIndex() {
    return initialRatchet.counter();
  }

  /** True when the key came signed by the session's own key, or a message has since verified. */
  public boolean isSigningKeyVerified() {
    return signingKeyVerified;
  }

  /** A decrypted message and the index it had, for replay checks. */
  public record Decrypted(byte[] plaintext, long messageIndex) {
    public String text() {
      return new String(plaintext, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Decrypted[index=" + messageIndex + "]";
    }
  }

  public Decrypted decrypt(String message) {
    GroupWire.Decoded decoded = GroupWire.decode(Base64s.decode(message, "ciphertext"));
    byte[] raw = decoded.raw();
    if (!signingKey.verify(raw, 0, decoded.signatureOffset(), raw, decoded.signatureOffset())) {
      throw new CryptoException(Reason.BAD_SIGNATURE, "group message signature does not match");
    }
    long index = decoded.messageIndex();
    MegolmRatchet ratchet;
    boolean fromLatest = ((index - latestRatchet.counter()) & 0xFFFFFFFFL) < (1L << 31);
    if (fromLatest) {
      ratchet = latestRatchet.copy();
    } else if (((index - initialRatchet.counter()) & 0xFFFFFFFFL) >= (1L << 31)) {
      throw new CryptoException(Reason.UNKNOWN_MESSAGE_INDEX, "message index " + index + " is before the first known index");
    } else {
      ratchet = initialRatchet.copy();
    }
    ratchet.advanceTo(index);
    AesSha2Cipher.MessageKeys keys = OutboundGroupSession.CIPHER.derive(ratchet.data());
    try {
      if (!keys.macMatches(raw, decoded.macOffset())) {
        throw new CryptoException(Reason.BAD_MESSAGE_MAC, "group message MAC does not match");
      }
      byte[] plaintext = keys.decrypt(raw, decoded.ciphertextOffset(), decoded.ciphertextLength());
      if (fromLatest) {
        latestRatchet = ratchet;
      }
      signingKeyVerified = true;
      return new Decrypted(plaintext, index);
    } finally {
      keys.wipe();
    }
  }

  /** The session from {@code messageIndex} on, in the version-1 export format. */
  public String export(long messageIndex) {
    if (messageIndex < initialRatchet.counter() || messageIndex > 0xFFFFFFFFL) {
      throw new CryptoException(Reason.UNKNOWN_MESSAGE_INDEX, "cannot export before the first known index");
    }
    MegolmRatchet ratchet = initialRatchet.copy();
    ratchet.advanceTo(messageIndex);
    byte[] out = new byte[SessionKeys.HEADER_LENGTH];
    SessionKeys.writeHeader(out, EXPORT_VERSION, ratchet, signingKey.publicKey());
    ratchet.wipe();
    String exported = Base64s.encode(out);
    java.util.Arrays.fill(out, (byte) 0);
    return exported;
  }

  /** The signing key, unpadded base64; compare with the sender's claimed {@code ed25519} key. */
  public String signingKey() {
    return sessionId();
  }

  private static final int STATE_TAG = 'I';
  private static final int STATE_VERSION = 1;

  /** The whole session for saving; see {@link StateCodec}. */
  public byte[] toState() {
    return new StateCodec.Writer(STATE_TAG, STATE_VERSION)
        .bytes(initialRatchet.data()).number(initialRatchet.counter())
        .bytes(latestRatchet.data()).number(latestRatchet.counter())
        .bytes(signingKey.publicKey()).bool(signingKeyVerified).toBytes();
  }

  public static InboundGroupSession fromState(byte[] state) {
    StateCodec.Reader in = new StateCodec.Reader(state, STATE_TAG, STATE_VERSION);
    MegolmRatchet initial = MegolmRatchet.read(in);
    MegolmRatchet latest = MegolmRatchet.read(in);
    InboundGroupSession session = new InboundGroupSession(initial, latest, verifier(in.key()), in.bool());
    in.end();
    return session;
  }

  @Override
  public String toString() {
    return "InboundGroupSession[id=" + sessionId() + ", firstKnownIndex=" + firstKnownIndex() + "]";
  }
}
