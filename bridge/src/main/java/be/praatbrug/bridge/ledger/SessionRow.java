package be.praatbrug.bridge.ledger;

import java.time.Instant;

/**
 * One counselling session as the client file needs it: who, when, how long. Never content.
 *
 * @param endedAt {@code null} while the session runs (or if its end was never recorded)
 * @param durationSeconds {@code null} when {@code endedAt} is
 * @param ledgerPosition the entry this row was read from, to look it up in a consent proof
 * @param place in a family session, the participant's place (every participant has a row of
 *     their own, under their own record); {@code null} for the client of a one-to-one session
 */
public record SessionRow(String sessionId, String clientRef, String counsellor, String roomId,
    Instant startedAt, Instant endedAt, Long durationSeconds, long ledgerPosition, Integer place) {

  /** A one-to-one session's row (no place). */
  public SessionRow(String sessionId, String clientRef, String counsellor, String roomId,
      Instant startedAt, Instant endedAt, Long durationSeconds, long ledgerPosition) {
    this(sessionId, clientRef, counsellor, roomId, startedAt, endedAt, durationSeconds,
        ledgerPosition, null);
  }
}
