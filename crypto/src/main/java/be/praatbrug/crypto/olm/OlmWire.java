package be.praatbrug.crypto.olm;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.Protobuf;
import java.util.Arrays;

/** libolm's encoding of normal and pre-key messages (message.cpp). */
final class OlmWire {

  static final int VERSION = 3;
  static final int RATCHET_KEY_TAG = 0x0A;
  static final int COUNTER_TAG = 0x10;
  static final int CIPHERTEXT_TAG = 0x22;
  static final int ONE_TIME_KEY_TAG = 0x0A;
  static final int BASE_KEY_TAG = 0x12;
  static final int IDENTITY_KEY_TAG = 0x1A;
  static final int MESSAGE_TAG = 0x22;

  private OlmWire() {}

  /** A decoded normal message; {@code raw} keeps the bytes for the MAC check. */
  record Normal(byte[] raw, byte[] ratchetKey, long counter, int ciphertextOffset, int ciphertextLength) {
    int macOffset() {
      return raw.length - Primitives.TRUNCATED_MAC_LENGTH;
    }
  }

  record PreKey(byte[] oneTimeKey, byte[] baseKey, byte[] identityKey, byte[] message) {}

  static byte[] encodeNormal(byte[] ratchetKey, long counter, byte[] ciphertext) {
    return new Protobuf.Writer(VERSION)
        .bytes(RATCHET_KEY_TAG, ratchetKey)
        .varintField(COUNTER_TAG, counter)
        .bytes(CIPHERTEXT_TAG, ciphertext)
        .toBytes(Primitives.TRUNCATED_MAC_LENGTH);
  }

  static byte[] encodePreKey(byte[] oneTimeKey, byte[] baseKey, byte[] identityKey, byte[] message) {
    return new Protobuf.Writer(VERSION)
        .bytes(ONE_TIME_KEY_TAG, oneTimeKey)
        .bytes(BASE_KEY_TAG, baseKey)
        .bytes(IDENTITY_KEY_TAG, identityKey)
        .bytes(MESSAGE_TAG, message)
        .toBytes(0);
  }

  static Normal decodeNormal(byte[] raw) {
    if (raw.length < 1 + Primitives.TRUNCATED_MAC_LENGTH) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "message too short");
    }
    requireVersion(raw);
    byte[][] key = new byte[1][];
    long[] counter = {-1};
    int[] ciphertext = {-1, 0};
    Protobuf.read(raw, raw.length - Primitives.TRUNCATED_MAC_LENGTH, new Protobuf.FieldVisitor() {
      @Override
      public void varint(int tag, long value) {
        if (tag == COUNTER_TAG) {
          counter[0] = value;
        }
      }

      @Override
      public void bytes(int tag, byte[] source, int offset, int length) {
        if (tag == RATCHET_KEY_TAG) {
          key[0] = Arrays.copyOfRange(source, offset, offset + length);
        } else if (tag == CIPHERTEXT_TAG) {
          ciphertext[0] = offset;
          ciphertext[1] = length;
        }
      }
    });
    if (key[0] == null || key[0].length != 32 || counter[0] < 0 || counter[0] > 0xFFFFFFFFL || ciphertext[0] < 0) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "message lacks ratchet key, counter or ciphertext");
    }
    return new Normal(raw, key[0], counter[0], ciphertext[0], ciphertext[1]);
  }

  static PreKey decodePreKey(byte[] raw) {
    if (raw.length < 1) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "message too short");
    }
    requireVersion(raw);
    byte[][] fields = new byte[4][];
    Protobuf.read(raw, raw.length, new Protobuf.FieldVisitor() {
      @Override
      public void varint(int tag, long value) {}

      @Override
      public void bytes(int tag, byte[] source, int offset, int length) {
        byte[] value = Arrays.copyOfRange(source, offset, offset + length);
        switch (tag) {
          case ONE_TIME_KEY_TAG -> fields[0] = value;
          case BASE_KEY_TAG -> fields[1] = value;
          case IDENTITY_KEY_TAG -> fields[2] = value;
          case MESSAGE_TAG -> fields[3] = value;
          default -> { }
        }
      }
    });
    for (int i = 0; i < 3; i++) {
      if (fields[i] == null || fields[i].length != 32) {
        throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "pre-key message lacks a 32-byte key");
      }
    }
    if (fields[3] == null || fields[3].length == 0) {
      throw new CryptoException(Reason.BAD_MESSAGE_FORMAT, "pre-key message lacks its inner message");
    }
    return new PreKey(fields[0], fields[1], fields[2], fields[3]);
  }

  private static void requireVersion(byte[] raw) {
    if ((raw[0] & 0xFF) != VERSION) {
      throw new CryptoException(Reason.BAD_MESSAGE_VERSION, "version " + (raw[0] & 0xFF));
    }
  }
}
