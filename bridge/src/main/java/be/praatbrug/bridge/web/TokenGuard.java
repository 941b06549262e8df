package be.praatbrug.bridge.web;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.entry.AttemptThrottle;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Who a request's access token ({@code Authorization: Bearer}) belongs to, for the bridge's APIs
 * that pages call with their user's own token. Each check asks the homeserver ({@code whoami}).
 *
 * <p>Access tokens cannot be guessed, so the limit here only bounds the lookups one client address
 * (IPv6 per /64) can cause with wrong tokens: {@value #WRONG_TOKENS_PER_MINUTE} different wrong
 * tokens a minute. An attempt is taken before the lookup, so parallel requests cannot all pass,
 * and given back when the homeserver knows the token. A token the homeserver just called unknown
 * is answered 401 at once for a minute, without a lookup and without counting again: a tab left
 * open after its sign-out asks with the same ended token every few seconds, and must not lock out
 * the colleagues behind the same office address (it did, with the links' limit of 6 in 10 min).
 * Only a hash of such an ended token is kept, in memory.
 */
public final class TokenGuard {

  /** Who a token belongs to: the homeserver's answer to {@code whoami} with that token. */
  public interface TokenCheck {
    Future<String> userOf(String accessToken);
  }

  public static final int WRONG_TOKENS_PER_MINUTE = 30;
  private static final Duration WINDOW = Duration.ofMinutes(1);
  private static final int MAX_HEADER = 1024;
  private static final int MAX_REMEMBERED = 10_000;

  private final TokenCheck tokens;
  private final ClientAddress clientAddress;
  private final AttemptThrottle wrongTokens;
  private final Clock clock;
  /** Hash of a token the homeserver called unknown → until when that answer is reused. */
  private final Map<String, Instant> knownWrong = new LinkedHashMap<>();

  public TokenGuard(TokenCheck tokens, EntrySection limits, Clock clock) {
    this.tokens = tokens;
    this.clock = clock;
    this.clientAddress = new ClientAddress(limits.trustedProxies());
    this.wrongTokens = new AttemptThrottle(WRONG_TOKENS_PER_MINUTE, WINDOW, clock);
  }

  /**
   * The user whose token {@code ctx} carries, if {@code served} accepts them; otherwise an {@link
   * ApiRefusal}: 429 (with {@code Retry-After}) past the limit, 401 without a live token, 403 with
   * {@code refusedMessage} for someone else, 503 when the homeserver could not be asked.
   */
  public Future<String> userOf(RoutingContext ctx, Predicate<String> served, String refusedMessage) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ") || header.length() > MAX_HEADER) {
      return Future.failedFuture(new ApiRefusal(401, "M_MISSING_TOKEN", "An access token is needed"));
    }
    String token = header.substring("Bearer ".length()).strip();
    String hash = hash(token);
    if (stillKnownWrong(hash)) {
      return Future.failedFuture(unknownToken());
    }
    String address = clientAddress.limitKeyOf(ctx);
    Duration wait = wrongTokens.tryTake(address);
    if (!wait.isZero()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      return Future.failedFuture(new ApiRefusal(429, "M_LIMIT_EXCEEDED", "Too many attempts; wait a little"));
    }
    return tokens.userOf(token)
        .recover(failure -> {
          if (failure instanceof MatrixException matrix && refusesTheToken(matrix.httpStatus())) {
            remember(hash);
            return Future.failedFuture(unknownToken());
          }
          // The homeserver did not answer: nobody's fault here, so nothing counts.
          wrongTokens.giveBack(address);
          return Future.failedFuture(new ApiRefusal(503, "M_UNKNOWN", "The homeserver could not be asked; try again"));
        })
        .compose(userId -> {
          wrongTokens.giveBack(address);
          return served.test(userId) ? Future.succeededFuture(userId)
              : Future.failedFuture(new ApiRefusal(403, "M_FORBIDDEN", refusedMessage));
        });
  }

  /** The homeserver's answer is about the token (401, or 403 for a deactivated account), not its load. */
  private static boolean refusesTheToken(int status) {
    return status >= 400 && status < 500 && status != 429;
  }

  private static ApiRefusal unknownToken() {
    return new ApiRefusal(401, "M_UNKNOWN_TOKEN", "Unknown or ended access token");
  }

  private synchronized boolean stillKnownWrong(String hash) {
    Instant until = knownWrong.get(hash);
    if (until == null) {
      return false;
    }
    if (clock.instant().isBefore(until)) {
      return true;
    }
    knownWrong.remove(hash);
    return false;
  }

  /** Kept in insertion order, so the oldest go first when the map is full or out of date. */
  private synchronized void remember(String hash) {
    Instant now = clock.instant();
    var oldest = knownWrong.entrySet().iterator();
    while (oldest.hasNext()) {
      var entry = oldest.next();
      if (knownWrong.size() < MAX_REMEMBERED && entry.getValue().isAfter(now)) {
        break;
      }
      oldest.remove();
    }
    knownWrong.remove(hash);
    knownWrong.put(hash, now.plus(WINDOW));
  }

  private static String hash(String token) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible);
    }
  }
}
