package be.praatbrug.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * libolm's "AES-SHA2" message cipher: HKDF-SHA-256 of a message key (empty salt, a fixed info
 * string) gives 80 bytes = AES-256 key, HMAC-SHA-256 key and CBC IV. The MAC covers the whole
 * encoded message before it and is truncated to 8 bytes.
 */
public final class AesSha2Cipher {

  private static final int DERIVED_LENGTH = 80;

  private final byte[] info;

  public AesSha2Cipher(String info) {
    this.info = info.getBytes(StandardCharsets.US_ASCII);
  }

  /** The keys for one message; derived and dropped per message. */
  public final class MessageKeys {
    private final byte[] derived;

    private MessageKeys(byte[] derived) {
      this.derived = derived;
    }

    public byte[] encrypt(byte[] plaintext) {
      return Primitives.aesCbcEncrypt(Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 64, 80), plaintext);
    }

    public byte[] decrypt(byte[] message, int offset, int length) {
      return Primitives.aesCbcDecrypt(Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 64, 80), message, offset, length);
    }

    /** Writes the truncated MAC of {@code message[0, macOffset)} at {@code macOffset}. */
    public void writeMac(byte[] message, int macOffset) {
      byte[] mac = Primitives.hmacSha256(Arrays.copyOfRange(derived, 32, 64), message, 0, macOffset);
      System.arraycopy(mac, 0, message, macOffset, Primitives.TRUNCATED_MAC_LENGTH);
    }

    /** Checks, in constant time, the truncated MAC at {@code macOffset} over {@code message[0, macOffset)}. */
    public boolean macMatches(byte[] message, int macOffset) {
      byte[] mac = Primitives.hmacSha256(Arrays.copyOfRange(derived, 32, 64), message, 0, macOffset);
      return Primitives.constantTimeEquals(mac, 0, message, macOffset, Primitives.TRUNCATED_MAC_LENGTH);
    }

    public void wipe() {
      Arrays.fill(derived, (byte) 0);
    }

    @Override
    public String toString() {
      return "MessageKeys[redacted]";
    }
  }

  public MessageKeys derive(byte[] keyMaterial) {
    return new MessageKeys(Primitives.hkdfSha256(new byte[0], keyMaterial, info, DERIVED_LENGTH));
  }
}
