package be.praatbrug.bridge.rooms;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * Room handles made of three ordinary Dutch words ({@code rustige-groene-boot}).
 *
 * <p>Easy to say on the phone and to type, and free of anything about the client: a room name is
 * visible to every member and in notifications, so it must never carry a name or a topic.
 */
final class RoomNames {

  private static final List<String> ADJECTIVES = List.of(
      "rustige", "groene", "blauwe", "zachte", "heldere", "warme", "stille", "vrolijke", "lichte",
      "zonnige", "frisse", "gouden", "zilveren", "ronde", "kleine", "grote", "lange", "brede",
      "diepe", "hoge", "gele", "rode", "paarse", "witte", "milde", "kalme", "open", "verre");
  private static final List<String> NOUNS = List.of(
      "boot", "brug", "tuin", "berg", "zee", "boom", "wolk", "vijver", "molen", "toren", "haven",
      "vallei", "weide", "rivier", "ster", "maan", "duin", "heuvel", "meer", "vlinder", "zwaluw",
      "eik", "linde", "kade", "baai", "beek", "dijk", "kreek", "lente", "zomer");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RoomNames() {}

  /** A handle not in {@code taken}; with ~23 000 combinations a few tries always suffice. */
  static String fresh(Set<String> taken) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      String first = pick(ADJECTIVES);
      String second = pick(ADJECTIVES);
      if (first.equals(second)) {
        continue;
      }
      String name = first + "-" + second + "-" + pick(NOUNS);
      if (!taken.contains(name)) {
        return name;
      }
    }
    throw new IllegalStateException("no free room name after 1000 tries: " + taken.size() + " rooms");
  }

  private static String pick(List<String> words) {
    return words.get(RANDOM.nextInt(words.size()));
  }
}
