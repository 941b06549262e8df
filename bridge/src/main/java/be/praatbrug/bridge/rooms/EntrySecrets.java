package be.praatbrug.bridge.rooms;

import be.praatbrug.policy.rooms.KnockCode;
import java.security.SecureRandom;

/**
 * The two ways into a counselling room a counsellor hands out, made together and stored only as
 * keyed hashes ({@link KnockCode#hash}):
 *
 * <ul>
 *   <li>the <b>code</b>, {@value #CODE_LENGTH} characters (31^8 ≈ 2^39.6), short enough to read
 *       aloud and type, so guessing it is limited per address and bridge-wide;
 *   <li>the <b>link secret</b>, {@value #LINK_LENGTH} characters (31^26 ≈ 2^128.8), carried in the
 *       link's {@code #fragment}: nobody can guess it, so a valid link is never refused for what
 *       others at the same address did.
 * </ul>
 *
 * Both use {@link KnockCode#ALPHABET} (no look-alikes) and either may be the reason of a knock.
 */
public final class EntrySecrets {

  public static final int CODE_LENGTH = 8;
  public static final int LINK_LENGTH = 26;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A fresh code and its room's link secret. */
  public record Pair(String code, String linkSecret) {}

  private EntrySecrets() {}

  public static Pair fresh() {
    return new Pair(random(CODE_LENGTH), random(LINK_LENGTH));
  }

  private static String random(int length) {
    StringBuilder value = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      value.append(KnockCode.ALPHABET.charAt(RANDOM.nextInt(KnockCode.ALPHABET.length())));
    }
    return value.toString();
  }
}
