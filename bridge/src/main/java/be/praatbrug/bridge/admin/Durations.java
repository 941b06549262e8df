package be.praatbrug.bridge.admin;

import java.time.Duration;

/** Durations the way policy files write them: {@code 30d}, {@code 24h}, {@code 90m}, {@code 45s}. */
final class Durations {

  private Durations() {}

  static String format(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    if (seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }
}
