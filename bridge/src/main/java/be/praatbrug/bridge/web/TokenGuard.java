package be.praatbrug.bridge.web;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.entry.AttemptThrottle;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Who a request's access token ({@code Authorization: Bearer}) belongs to, for the bridge's APIs
 * that pages call with their user's own token. Each check asks the homeserver ({@code whoami}), so
 * guessing is limited per client address (IPv6 per /64), like the links: an attempt is taken before
 * the token is checked, so parallel requests cannot all pass the limit, and given back only when
 * the token belongs to someone the API serves. A missing, unknown or ended token, or one of someone
 * the API does not serve, counts.
 */
public final class TokenGuard {

  /** Who a token belongs to: the homeserver's answer to {@code whoami} with that token. */
  public interface TokenCheck {
    Future<String> userOf(String accessToken);
  }

  private static final int MAX_HEADER = 1024;

  private final TokenCheck tokens;
  private final ClientAddress clientAddress;
  private final AttemptThrottle wrongTokens;

  public TokenGuard(TokenCheck tokens, EntrySection limits, Clock clock) {
    this.tokens = tokens;
    this.clientAddress = new ClientAddress(limits.trustedProxies());
    this.wrongTokens = new AttemptThrottle(limits.maxAttempts(),
        Duration.ofSeconds(limits.attemptWindowSeconds()), clock);
  }

  /**
   * The user whose token {@code ctx} carries, if {@code served} accepts them; otherwise an {@link
   * ApiRefusal}: 429 (with {@code Retry-After}) past the limit, 401 without a live token, 403 with
   * {@code refusedMessage} for someone else.
   */
  public Future<String> userOf(RoutingContext ctx, Predicate<String> served, String refusedMessage) {
    String address = clientAddress.limitKeyOf(ctx);
    Duration wait = wrongTokens.tryTake(address);
    if (!wait.isZero()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      return Future.failedFuture(new ApiRefusal(429, "M_LIMIT_EXCEEDED", "Too many attempts; wait a little"));
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ") || header.length() > MAX_HEADER) {
      return Future.failedFuture(new ApiRefusal(401, "M_MISSING_TOKEN", "An access token is needed"));
    }
    return tokens.userOf(header.substring("Bearer ".length()).strip())
        .recover(unknown -> Future.failedFuture(
            new ApiRefusal(401, "M_UNKNOWN_TOKEN", "Unknown or ended access token")))
        .compose(userId -> {
          if (!served.test(userId)) {
            return Future.failedFuture(new ApiRefusal(403, "M_FORBIDDEN", refusedMessage));
          }
          wrongTokens.giveBack(address);
          return Future.succeededFuture(userId);
        });
  }
}
