package be.praatbrug.bridge.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named points where a crash test stops the bridge. With the environment variable
 * {@value #VARIABLE} set to a point's name, the process freezes when it gets there (it says so in
 * the log, then its thread never returns), so the test can {@code kill -9} it at exactly that
 * moment. Unset, as always outside tests, every point is a no-op.
 */
public final class FaultPoint {

  public static final String VARIABLE = "PRAATBRUG_TEST_FREEZE_AT";
  /** The homeserver accepted an invite the bridge sent (e.g. letting a client in). */
  public static final String INVITE_SENT = "invite-sent";

  private static final Logger LOG = LoggerFactory.getLogger(FaultPoint.class);
  private static final String ARMED = System.getenv(VARIABLE);

  private FaultPoint() {}

  public static void reach(String name) {
    if (ARMED == null || !ARMED.equals(name)) {
      return;
    }
    LOG.warn("test fault point {} reached: frozen until killed", name);
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(Long.MAX_VALUE);
      } catch (InterruptedException ignored) {
        // frozen on purpose: only a kill ends this
      }
    }
  }
}
