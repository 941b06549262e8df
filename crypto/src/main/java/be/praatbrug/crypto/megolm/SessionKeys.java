package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import java.util.Arrays;

/** The shared layout of session keys (version 2, signed) and session exports (version 1). */
final class SessionKeys {

  static final int HEADER_LENGTH = 1 + 4 + MegolmRatchet.LENGTH + 32;

  private SessionKeys() {}

  /** Writes version, big-endian counter, ratchet and public key; returns the bytes written. */
  static int writeHeader(byte[] out, int version, MegolmRatchet ratchet, byte[] publicKey) {
    out[0] = (byte) version;
    long counter = ratchet.counter();
    out[1] = (byte) (counter >>> 24);
    out[2] = (byte) (counter >>> 16);
    out[3] = (byte) (counter >>> 8);
    out[4] = (byte) counter;
    byte[] data = ratchet.data();
    System.arraycopy(data, 0, out, 5, MegolmRatchet.LENGTH);
    Arrays.fill(data, (byte) 0);
    System.arraycopy(publicKey, 0, out, 5 + MegolmRatchet.LENGTH, 32);
    return HEADER_LENGTH;
  }

  record Parsed(MegolmRatchet ratchet, byte[] publicKey) {}

  static Parsed parse(byte[] raw, int version, int expectedLength) {
    if (raw.length == 0 || (raw[0] & 0xFF) != version) {
      throw new CryptoException(Reason.BAD_SESSION_KEY, "expected session key version " + version);
    }
    if (raw.length != expectedLength) {
      throw new CryptoException(Reason.BAD_SESSION_KEY, "session key has the wrong length");
    }
    int counter = ((raw[1] & 0xFF) << 24) | ((raw[2] & 0xFF) << 16) | ((raw[3] & 0xFF) << 8) | (raw[4] & 0xFF);
    MegolmRatchet ratchet = new MegolmRatchet(Arrays.copyOfRange(raw, 5, 5 + MegolmRatchet.LENGTH), counter);
    byte[] publicKey = Arrays.copyOfRange(raw, 5 + MegolmRatchet.LENGTH, HEADER_LENGTH);
    return new Parsed(ratchet, publicKey);
  }
}
