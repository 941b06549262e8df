package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Ed25519KeyPair;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.Protobuf;

/**
 * libolm's group message encoding: version 3, message index (tag 0x08), ciphertext (tag 0x12),
 * then an 8-byte MAC over all before it, then a 64-byte Ed25519 signature over all before it.
 */
final class GroupWire {

  static final int VERSION = 3;
  static final int MESSAGE_INDEX_TAG = 0x08;
  static final int CIPHERTEXT_TAG = 0x12;
  static final int TRAILER = Primitives.TRUNCATED_MAC_LENGTH + Ed25519KeyPair.SIGNATURE_LENGTH;

  private GroupWire() {}

  record Decoded(byte[] raw, long messageIndex, int ciphertextOffset, int ciphertextLength) {
    int macOffset() {
      return raw.length - TRAILER;
    }

    int signatureOffset() {
      return raw.length - Ed25519KeyPair.SIGNATURE_LENGTH;
    }
  }

  static byte[] encode(long messageIndex, byte[] ciphertext) {
    return new Protobuf.Writer(VERSION)
        .varintField(MESSAGE_INDEX_TAG, messageIndex)
        .bytes(CIPHERTEXT_TAG, ciphertext)
        .toBytes(TRAILER);
  }

  static Decoded decode(byte[] raw) {
    if (raw.length < 1 + TRAILER) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "group message too short");
    }
    if ((raw[0] & 0xFF) != VERSION) {
      throw new CryptoException(Reason.BAD_MESSAGE_VERSION, "version " + (raw[0] & 0xFF));
    }
    long[] index = {-1};
    int[] ciphertext = {-1, 0};
    Protobuf.read(raw, raw.length - TRAILER, new Protobuf.FieldVisitor() {
      @Override
      public void varint(int tag, long value) {
        if (tag == MESSAGE_INDEX_TAG) {
          index[0] = value;
        }
      }

      @Override
      public void bytes(int tag, byte[] source, int offset, int length) {
        if (tag == CIPHERTEXT_TAG) {
          ciphertext[0] = offset;
          ciphertext[1] = length;
        }
      }
    });
    if (index[0] < 0 || index[0] > 0xFFFFFFFFL || ciphertext[0] < 0) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "group message lacks index or ciphertext");
    }
    return new Decoded(raw, index[0], ciphertext[0], ciphertext[1]);
  }
}
