package be.praatbrug.bridge.main;

/**
 * Startup failed in a known phase; the message says what to fix, the phase gives the exit code so
 * scripts can tell a bad config from a homeserver that is down.
 */
public final class StartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Startup phases in order, each with its own process exit code. */
  public enum Phase {
    CONFIG(3),
    STORE(4),
    LISTEN(5),
    HOMESERVER(6),
    /** Not startup but its end: a leader that lost its PostgreSQL lock stops at once. */
    LEADER_LOST(8);

    private final int exitCode;

    Phase(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Phase phase;

  public StartupException(Phase phase, String message, Throwable cause) {
    super(message, cause, false, false);
    this.phase = phase;
  }

  public Phase phase() {
    return phase;
  }
}
