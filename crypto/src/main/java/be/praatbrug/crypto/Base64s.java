package be.praatbrug.crypto;

import java.util.Base64;

/** Matrix's base64: standard alphabet, unpadded on output, padding tolerated on input. */
public final class Base64s {

  private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private Base64s() {}

  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Decodes or throws {@link CryptoException} with reason {@code BAD_INPUT}, naming the field. */
  public static byte[] decode(String text, String field) {
    if (text == null) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, field + " is missing");
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, field + " is not valid base64");
    }
  }

  /** Decodes a 32-byte public key (Curve25519 or Ed25519). */
  public static byte[] decodeKey(String text, String field) {
    byte[] key = decode(text, field);
    if (key.length != 32) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, field + " is not a 32-byte key");
    }
    return key;
  }
}
