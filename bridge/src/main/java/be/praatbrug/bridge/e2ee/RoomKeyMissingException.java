package be.praatbrug.bridge.e2ee;

/**
 * An encrypted room event whose room key did not come in time, neither in a transaction nor as
 * the answer to the bot's key request: the event cannot be read, now or later.
 */
public final class RoomKeyMissingException extends RuntimeException {

  RoomKeyMissingException(String sessionId, long waitedMs) {
    super("no room key for session " + sessionId + " after " + waitedMs + " ms (asked the sender's devices)");
  }
}
