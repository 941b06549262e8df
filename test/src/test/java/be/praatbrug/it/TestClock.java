package be.praatbrug.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that runs at real speed from a moment the test sets, and can be moved forward: the
 * bridge's timers keep working while "now" is next Tuesday at 13:50.
 */
final class TestClock extends Clock {

  private volatile Duration offset = Duration.ZERO;

  /** From now on the clock reads {@code moment} and runs on from there. */
  TestClock set(Instant moment) {
    offset = Duration.between(Instant.now(), moment);
    return this;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the bridge works in UTC instants");
  }
}
