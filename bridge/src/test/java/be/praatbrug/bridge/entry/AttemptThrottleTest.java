package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.bridge.HandClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptThrottleTest {

  @Test
  void allowsUpToTheLimitThenSaysHowLongToWait() {
    HandClock clock = new HandClock(Instant.parse("2026-11-24T10:00:00Z"));
    AttemptThrottle throttle = new AttemptThrottle(3, Duration.ofMinutes(10), clock);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, throttle.waitFor("10.0.0.1"));
      throttle.record("10.0.0.1");
      clock.advance(Duration.ofSeconds(60));
    }
    // First attempt at 10:00, now 10:03: the window frees it at 10:10.
    assertEquals(Duration.ofMinutes(7), throttle.waitFor("10.0.0.1"));
    assertEquals(Duration.ZERO, throttle.waitFor("10.0.0.2"), "another address is not affected");
  }

  @Test
  void attemptsLeaveTheWindow() {
    HandClock clock = new HandClock(Instant.parse("2026-11-24T10:00:00Z"));
    AttemptThrottle throttle = new AttemptThrottle(2, Duration.ofMinutes(10), clock);
    throttle.record("a");
    throttle.record("a");
    clock.advance(Duration.ofMinutes(10));
    assertEquals(Duration.ZERO, throttle.waitFor("a"));
    throttle.forgetIdle();
    throttle.record("a");
    assertEquals(Duration.ZERO, throttle.waitFor("a"));
  }

  @Test
  void anAttemptIsTakenBeforeTheCheckSoParallelOnesCannotAllPass() {
    HandClock clock = new HandClock(Instant.parse("2026-11-24T10:00:00Z"));
    AttemptThrottle throttle = new AttemptThrottle(10, Duration.ofMinutes(10), clock);
    int taken = 0;
    // 200 requests at the same moment, none answered yet.
    for (int i = 0; i < 200; i++) {
      if (throttle.tryTake("198.51.100.7").isZero()) {
        taken++;
      }
    }
    assertEquals(10, taken);
  }

  @Test
  void aSuccessGivesItsAttemptBack() {
    HandClock clock = new HandClock(Instant.parse("2026-11-24T10:00:00Z"));
    AttemptThrottle throttle = new AttemptThrottle(2, Duration.ofMinutes(10), clock);
    for (int i = 0; i < 50; i++) {
      assertEquals(Duration.ZERO, throttle.tryTake("a"));
      throttle.giveBack("a");
    }
    assertEquals(Duration.ZERO, throttle.tryTake("a"));
    assertEquals(Duration.ZERO, throttle.tryTake("a"));
    assertEquals(Duration.ofMinutes(10), throttle.tryTake("a"));
  }
}
