package be.praatbrug.policy.clients;

import be.praatbrug.policy.rooms.KnockCode;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The pseudonymous reference of a client record, as the bridge makes it: {@code C-7K3P-9Q2M}.
 *
 * <p>Short enough to read aloud and to type into the client file (LARS in CLB), made of random
 * characters only, so it says nothing about the person and is no hash of any account id: who a
 * reference stands for is known only to the counsellor. The characters are the knock codes'
 * (no 0/O, 1/I/L look-alikes); eight of them give 31^8 (about 8.5 * 10^11) references, and the
 * bridge draws again on the rare collision.
 *
 * <p>References made before client records existed ({@code cl-} and 16 hex digits, a keyed hash
 * per guest account) stay valid as they are.
 */
public final class ClientReference {

  public static final String ALPHABET = KnockCode.ALPHABET;
  private static final int GROUP = 4;
  private static final Pattern BRIDGE_MADE =
      Pattern.compile("C-[" + ALPHABET + "]{" + GROUP + "}-[" + ALPHABET + "]{" + GROUP + "}");
  private static final Pattern LEGACY = Pattern.compile("cl-[0-9a-f]{16}");
  /** What a word in a command must look like to be taken for a reference at all. */
  private static final Pattern CANDIDATE = Pattern.compile("(?i)c-?[a-z0-9]{4}-?[a-z0-9]{4}|cl-[0-9a-f]{16}");

  private ClientReference() {}

  /** A fresh reference from {@code random}: {@code C-} and two groups of four. */
  public static String make(RandomGenerator random) {
    StringBuilder ref = new StringBuilder("C-");
    for (int i = 0; i < 2 * GROUP; i++) {
      if (i == GROUP) {
        ref.append('-');
      }
      ref.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return ref.toString();
  }

  public static boolean isBridgeMade(String ref) {
    return ref != null && BRIDGE_MADE.matcher(ref).matches();
  }

  /** A reference from before client records: a keyed hash per guest account, kept as it was. */
  public static boolean isLegacy(String ref) {
    return ref != null && LEGACY.matcher(ref).matches();
  }

  /**
   * The reference a person meant: {@code c7k3p9q2m}, {@code C-7k3p-9Q2M} and {@code c 7K3P 9Q2M}
   * all mean {@code C-7K3P-9Q2M}; a legacy reference is taken in lower case. Empty when the text
   * is neither.
   */
  public static Optional<String> normalise(String typed) {
    if (typed == null) {
      return Optional.empty();
    }
    String plain = typed.strip();
    if (isLegacy(plain.toLowerCase(Locale.ROOT))) {
      return Optional.of(plain.toLowerCase(Locale.ROOT));
    }
    String compact = plain.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    if (compact.length() != 1 + 2 * GROUP || compact.charAt(0) != 'C') {
      return Optional.empty();
    }
    String ref = "C-" + compact.substring(1, 1 + GROUP) + "-" + compact.substring(1 + GROUP);
    return isBridgeMade(ref) ? Optional.of(ref) : Optional.empty();
  }

  /**
   * The references named in a command's words, normalised: what the bridge looks up before the
   * command is decided, so the decision itself stays pure.
   */
  public static Set<String> namedIn(String text) {
    Set<String> refs = new LinkedHashSet<>();
    if (text == null) {
      return refs;
    }
    for (String word : text.strip().split("\\s+")) {
      if (CANDIDATE.matcher(word).matches()) {
        normalise(word).ifPresent(refs::add);
      }
    }
    return refs;
  }
}
