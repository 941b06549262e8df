package be.praatbrug.policy.rooms;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A knock code that can still admit someone, as the bridge stores it: a keyed hash, never the code.
 * In a family session each place has codes of its own ({@code place}); they admit into that place
 * only.
 *
 * <p>Codes are hashed with HMAC-SHA-256 under a bridge secret, so a copy of the database does not
 * reveal them, and a short code cannot be brute-forced offline without the secret either.
 */
public record KnockCode(String hash, Instant expiresAt, boolean singleUse, Instant validFrom,
    int place) {

  /** A code of the room's own client (place 1). */
  public KnockCode(String hash, Instant expiresAt, boolean singleUse, Instant validFrom) {
    this(hash, expiresAt, singleUse, validFrom, Place.CLIENT);
  }

  /** A code that works from the moment it is made (not for a planned session). */
  public KnockCode(String hash, Instant expiresAt, boolean singleUse) {
    this(hash, expiresAt, singleUse, null);
  }

  /** Upper-case letters and digits without look-alikes (0/O, 1/I/L), so codes survive being read aloud. */
  public static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

  /** A planned session's code works from {@code validFrom} (a while before the start) only. */
  public boolean isValidAt(Instant now) {
    return (validFrom == null || !now.isBefore(validFrom)) && now.isBefore(expiresAt);
  }

  /** What people type varies: spaces, dashes and lower case are forgiven. */
  public static String normalise(String typed) {
    return typed == null ? "" : typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
  }

  /** The stored form of {@code code} (normalised first). */
  public static String hash(byte[] key, String code) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(normalise(code).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  /** Groups a code for display: {@code KX7P3MQ9} → {@code KX7P-3MQ9}. */
  public static String display(String code) {
    return code.length() <= 4 ? code : code.substring(0, 4) + "-" + display(code.substring(4));
  }
}
