package be.praatbrug.crypto.megolm;

import java.util.HashMap;
import java.util.Map;

/**
 * Replay protection for Megolm, as the spec's "Protection against replay attacks" asks of clients:
 * remember which event used each (session, message index) and refuse another event that reuses
 * the pair. The same event decrypted twice (e.g. a resent transaction) is fine.
 */
public final class ReplayGuard {

  private record Use(String eventId, long originServerTs) {}

  private final Map<String, Use> uses = new HashMap<>();

  /**
   * Records the use, or returns false if another event already used this index of this session.
   */
  public synchronized boolean accept(String sessionId, long messageIndex, String eventId, long originServerTs) {
    String key = sessionId + '|' + messageIndex;
    Use earlier = uses.putIfAbsent(key, new Use(eventId, originServerTs));
    return earlier == null || (earlier.eventId().equals(eventId) && earlier.originServerTs() == originServerTs);
  }

  public synchronized int size() {
    return uses.size();
  }

  @Override
  public String toString() {
    return "ReplayGuard[entries=" + size() + "]";
  }
}
