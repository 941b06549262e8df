package be.praatbrug.crypto;

import java.io.ByteArrayOutputStream;

/**
 * The protobuf-style encoding of Olm and Megolm messages: a version byte, then fields as
 * (tag varint, value) with wire type 0 (varint) or 2 (length-delimited bytes). Unknown fields of
 * those two types are skipped, as libolm does.
 */
public final class Protobuf {

  private Protobuf() {}

  /** Builds an encoded message. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

    public Writer(int version) {
      out.write(version);
    }

    public Writer bytes(int tag, byte[] value) {
      out.write(tag);
      varint(value.length);
      out.write(value, 0, value.length);
      return this;
    }

    public Writer varintField(int tag, long value) {
      out.write(tag);
      varint(value);
      return this;
    }

    private void varint(long value) {
      long rest = value;
      while ((rest & ~0x7FL) != 0) {
        out.write((int) ((rest & 0x7F) | 0x80));
        rest >>>= 7;
      }
      out.write((int) rest);
    }

    /** The encoded bytes followed by {@code reserved} zero bytes for a MAC or signature. */
    public byte[] toBytes(int reserved) {
      byte[] body = out.toByteArray();
      byte[] result = new byte[body.length + reserved];
      System.arraycopy(body, 0, result, 0, body.length);
      return result;
    }
  }

  /** Receives the fields of a message in order. */
  public interface FieldVisitor {
    void varint(int tag, long value);

    void bytes(int tag, byte[] source, int offset, int length);
  }

  /** Visits the fields of {@code message[1, end)}; byte 0 is the version. */
  public static void read(byte[] message, int end, FieldVisitor visitor) {
    int pos = 1;
    while (pos < end) {
      long tag = 0;
      int shift = 0;
      while (true) {
        check(pos < end && shift < 35);
        int b = message[pos++] & 0xFF;
        tag |= (long) (b & 0x7F) << shift;
        shift += 7;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      int wireType = (int) (tag & 7);
      if (wireType == 0) {
        long value = 0;
        shift = 0;
        while (true) {
          check(pos < end && shift < 64);
          int b = message[pos++] & 0xFF;
          value |= (long) (b & 0x7F) << shift;
          shift += 7;
          if ((b & 0x80) == 0) {
            break;
          }
        }
        visitor.varint((int) tag, value);
      } else if (wireType == 2) {
        long length = 0;
        shift = 0;
        while (true) {
          check(pos < end && shift < 35);
          int b = message[pos++] & 0xFF;
          length |= (long) (b & 0x7F) << shift;
          shift += 7;
          if ((b & 0x80) == 0) {
            break;
          }
        }
        check(length <= end - pos);
        visitor.bytes((int) tag, message, pos, (int) length);
        pos += (int) length;
      } else {
        throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_FORMAT, "unsupported field wire type " + wireType);
      }
    }
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new CryptoException(CryptoException.Reason.BAD_MESSAGE_FORMAT, "truncated or overlong field");
    }
  }
}
