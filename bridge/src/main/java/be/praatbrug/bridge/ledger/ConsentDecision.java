package be.praatbrug.bridge.ledger;

import java.time.Instant;

/**
 * A client's latest consent decision for an organisation, as the ledger holds it.
 *
 * @param given a consent ({@code true}) or a withdrawal ({@code false})
 * @param version the consent text's version it names
 * @param channel how it was given: {@code matrix}, {@code link} or {@code counsellor}
 * @param under12 a parent or guardian consented for a child under 12
 * @param guardianInSession the child's parent agrees on their own place in the family session
 */
public record ConsentDecision(boolean given, String version, String channel, Instant at,
    boolean under12, boolean guardianInSession) {

  public ConsentDecision(boolean given, String version, String channel, Instant at,
      boolean under12) {
    this(given, version, channel, at, under12, false);
  }
}
