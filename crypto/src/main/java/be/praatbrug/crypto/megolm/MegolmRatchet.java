package be.praatbrug.crypto.megolm;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.Primitives;
import be.praatbrug.crypto.StateCodec;
import java.util.Arrays;

/**
 * The Megolm ratchet (libolm megolm.c): four 32-byte parts R0..R3 and a 32-bit counter. Part i is
 * re-hashed every 2^(8*(3-i)) steps; R(j) from R(i) is HMAC-SHA-256(key R(i), the byte j).
 */
final class MegolmRatchet {

  static final int PARTS = 4;
  static final int PART_LENGTH = 32;
  static final int LENGTH = PARTS * PART_LENGTH;
  private static final byte[][] SEEDS = {{0x00}, {0x01}, {0x02}, {0x03}};

  private final byte[] data;
  private int counter;

  MegolmRatchet(byte[] data, int counter) {
    if (data.length != LENGTH) {
      throw new IllegalArgumentException("Megolm ratchet is 128 bytes");
    }
    this.data = data.clone();
    this.counter = counter;
  }

  MegolmRatchet copy() {
    return new MegolmRatchet(data, counter);
  }

  /** The counter as an unsigned 32-bit value. */
  long counter() {
    return Integer.toUnsignedLong(counter);
  }

  byte[] data() {
    return data.clone();
  }

  private void rehash(int from, int to) {
    byte[] next = Primitives.hmacSha256(Arrays.copyOfRange(data, from * PART_LENGTH, (from + 1) * PART_LENGTH), SEEDS[to]);
    System.arraycopy(next, 0, data, to * PART_LENGTH, PART_LENGTH);
  }

  void advance() {
    int mask = 0x00FFFFFF;
    int h = 0;
    counter++;
    // Find the highest part whose period boundary the new counter crosses.
    while (h < PARTS) {
      if ((counter & mask) == 0) {
        break;
      }
      h++;
      mask >>>= 8;
    }
    for (int i = PARTS - 1; i >= h; i--) {
      rehash(h, i);
    }
  }

  /** Moves forward to {@code target} (wrapping like libolm when target is below the counter). */
  void advanceTo(long target) {
    int advanceTo = (int) target;
    for (int j = 0; j < PARTS; j++) {
      int shift = (PARTS - j - 1) * 8;
      int mask = -1 << shift;
      int steps = ((advanceTo >>> shift) - (counter >>> shift)) & 0xFF;
      if (steps == 0) {
        // Only R0 can get here with the counter past the target: the counter wrapped around.
        if (Integer.compareUnsigned(advanceTo, counter) < 0) {
          steps = 0x100;
        } else {
          continue;
        }
      }
      while (steps > 1) {
        rehash(j, j);
        steps--;
      }
      for (int k = PARTS - 1; k >= j; k--) {
        rehash(j, k);
      }
      counter = advanceTo & mask;
    }
  }

  static MegolmRatchet read(StateCodec.Reader in) {
    byte[] data = in.bytes();
    long counter = in.number();
    if (data.length != LENGTH || counter < 0 || counter > 0xFFFFFFFFL) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "saved Megolm ratchet is malformed");
    }
    return new MegolmRatchet(data, (int) counter);
  }

  void wipe() {
    Arrays.fill(data, (byte) 0);
  }

  @Override
  public String toString() {
    return "MegolmRatchet[counter=" + counter() + "]";
  }
}
