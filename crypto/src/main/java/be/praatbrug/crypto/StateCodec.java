package be.praatbrug.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.BufferUnderflowException;

/**
 * The binary layout in which accounts and sessions are saved (this module's own "pickle"): a tag
 * byte and version byte, then fields as big-endian numbers and length-prefixed byte strings. The
 * bytes hold secret keys: whoever stores them must encrypt them (the bridge does, with a key from
 * its config).
 */
public final class StateCodec {

  private StateCodec() {}

  /** Writes one saved object. */
  public static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    public Writer(int tag, int version) {
      out.write(tag);
      out.write(version);
    }

    public Writer bytes(byte[] value) {
      integer(value.length);
      out.write(value, 0, value.length);
      return this;
    }

    public Writer integer(int value) {
      out.write(value >>> 24);
      out.write(value >>> 16);
      out.write(value >>> 8);
      out.write(value);
      return this;
    }

    public Writer number(long value) {
      integer((int) (value >>> 32));
      return integer((int) value);
    }

    public Writer bool(boolean value) {
      out.write(value ? 1 : 0);
      return this;
    }

    public byte[] toBytes() {
      return out.toByteArray();
    }
  }

  /** Reads one saved object; any inconsistency is a {@code BAD_INPUT} error. */
  public static final class Reader {
    private final ByteBuffer buffer;

    public Reader(byte[] state, int tag, int version) {
      this.buffer = ByteBuffer.wrap(state);
      if (state.length < 2 || state[0] != (byte) tag || state[1] != (byte) version) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state has another type or version");
      }
      buffer.position(2);
    }

    public byte[] bytes() {
      int length = integer();
      if (length < 0 || length > buffer.remaining()) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state is truncated");
      }
      byte[] value = new byte[length];
      buffer.get(value);
      return value;
    }

    public byte[] key() {
      byte[] key = bytes();
      if (key.length != 32) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state holds a key of the wrong size");
      }
      return key;
    }

    public int integer() {
      try {
        return buffer.getInt();
      } catch (BufferUnderflowException e) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state is truncated");
      }
    }

    public long number() {
      try {
        return buffer.getLong();
      } catch (BufferUnderflowException e) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state is truncated");
      }
    }

    public boolean bool() {
      try {
        return buffer.get() != 0;
      } catch (BufferUnderflowException e) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state is truncated");
      }
    }

    /** Fails unless every byte was read, so a corrupted length cannot go unnoticed. */
    public void end() {
      if (buffer.hasRemaining()) {
        throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved state has trailing bytes");
      }
    }
  }
}
