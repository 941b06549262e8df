package be.praatbrug.bridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.HandClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Admin sessions are short-lived, unguessable and end on sign-out. */
class AdminSessionsTest {

  private final HandClock clock = new HandClock(Instant.parse("2026-11-24T08:00:00Z"));
  private final AdminSessions sessions = new AdminSessions(Duration.ofMinutes(15), clock);

  @Test
  void aSessionLastsItsLifetimeAndNotASecondLonger() {
    AdminSessions.Issued issued = sessions.issue("@beheerder:caw.test");
    assertEquals("@beheerder:caw.test", sessions.find(issued.token()).orElseThrow().userId());

    clock.advance(Duration.ofMinutes(15).minusSeconds(1));
    assertTrue(sessions.find(issued.token()).isPresent());
    clock.advance(Duration.ofSeconds(1));
    assertTrue(sessions.find(issued.token()).isEmpty());
  }

  @Test
  void tokensAreRandomAndSigningOutEndsOnlyThatSession() {
    AdminSessions.Issued first = sessions.issue("@beheerder:caw.test");
    AdminSessions.Issued second = sessions.issue("@beheerder:caw.test");
    assertNotEquals(first.token(), second.token());
    assertTrue(first.token().length() >= 40, first.token());

    sessions.end(first.token());
    assertTrue(sessions.find(first.token()).isEmpty());
    assertTrue(sessions.find(second.token()).isPresent());
    assertTrue(sessions.find("pba_guessed").isEmpty());
  }
}
