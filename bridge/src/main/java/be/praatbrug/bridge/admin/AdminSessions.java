package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.ledger.Sha256;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Short-lived bridge sessions of signed-in admins, in memory only.
 *
 * <p>The token the admin holds is 32 random bytes; the bridge keeps only its SHA-256, so a heap
 * dump does not hand out sessions. A restart signs everyone out, which is fine for sessions of
 * minutes and saves a table of secrets.
 */
public final class AdminSessions {

  /** Who is signed in, until when. */
  public record Session(String userId, Instant expiresAt) {}

  /** A new session: the token goes to the admin once and is never stored. */
  public record Issued(String token, Session session) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byTokenHash = new ConcurrentHashMap<>();
  private final Duration lifetime;
  private final Clock clock;

  public AdminSessions(Duration lifetime, Clock clock) {
    this.lifetime = lifetime;
    this.clock = clock;
  }

  public Issued issue(String userId) {
    byte[] random = new byte[32];
    RANDOM.nextBytes(random);
    String token = "pba_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Session session = new Session(userId, clock.instant().plus(lifetime));
    forgetExpired();
    byTokenHash.put(hash(token), session);
    return new Issued(token, session);
  }

  /** The session of {@code token} while it lasts. */
  public Optional<Session> find(String token) {
    String key = hash(token);
    Session session = byTokenHash.get(key);
    if (session == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(session.expiresAt())) {
      byTokenHash.remove(key);
      return Optional.empty();
    }
    return Optional.of(session);
  }

  public void end(String token) {
    byTokenHash.remove(hash(token));
  }

  private void forgetExpired() {
    Instant now = clock.instant();
    byTokenHash.values().removeIf(session -> !now.isBefore(session.expiresAt()));
  }

  private static String hash(String token) {
    return Sha256.hex(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
