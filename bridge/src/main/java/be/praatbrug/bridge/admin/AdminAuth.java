package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.entry.AttemptThrottle;
import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.web.ClientAddress;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and the check in front of every other admin route.
 *
 * <p>Sign-in: the admin's browser asks its own homeserver for an OpenID token and posts it here;
 * the bridge asks the same homeserver whose it is and whether that user is in {@code admin.users},
 * then hands out a bridge session token. Tokens from another server are refused before any call:
 * only the organisation's own accounts can administer its bridge. Failed sign-ins are limited per
 * client address ({@value #MAX_FAILURES} per {@value #WINDOW_MINUTES} minutes), so the bridge cannot
 * be used to hammer the homeserver with guessed tokens. The address is the one the entry API uses
 * ({@link ClientAddress}: behind a trusted reverse proxy the client's, IPv6 per /64), so a stranger
 * cannot lock every admin out by failing from behind the same proxy. The attempt is taken before
 * the homeserver is asked, so parallel guesses cannot all slip through before one is counted; a
 * sign-in that succeeds gives it back.
 */
final class AdminAuth {

  static final String ADMIN_KEY = "praatbrug.admin";
  static final int MAX_FAILURES = 20;
  static final int WINDOW_MINUTES = 10;
  private static final Logger LOG = LoggerFactory.getLogger(AdminAuth.class);

  private final OpenIdVerifier openId;
  private final AdminSessions sessions;
  private final List<String> admins;
  private final String ownServer;
  private final AttemptThrottle failures;
  private final ClientAddress clientAddress;

  AdminAuth(OpenIdVerifier openId, AdminSessions sessions, List<String> admins, String ownServer,
      List<String> trustedProxies, java.time.Clock clock) {
    this.failures = new AttemptThrottle(MAX_FAILURES, java.time.Duration.ofMinutes(WINDOW_MINUTES), clock);
    this.clientAddress = new ClientAddress(trustedProxies);
    this.openId = openId;
    this.sessions = sessions;
    this.admins = List.copyOf(admins);
    this.ownServer = ownServer;
  }

  /** {@code POST /login} with the homeserver's OpenID response as body. */
  void login(RoutingContext ctx) {
    String address = clientAddress.limitKeyOf(ctx);
    // Taken now, kept for every way this can fail, given back only by a sign-in that succeeds.
    java.time.Duration wait = failures.tryTake(address);
    if (!wait.isZero()) {
      throw new MatrixException(ErrCode.M_LIMIT_EXCEEDED, ErrCode.M_LIMIT_EXCEEDED.name(), 429,
          "Too many failed sign-ins from this address; try again later",
          new JsonObject().put("retry_after_ms", wait.toMillis()));
    }
    checkedLogin(ctx, address);
  }

  private void checkedLogin(RoutingContext ctx, String address) {
    JsonObject body = AdminApi.body(ctx);
    String token = body.getString("access_token");
    String server = body.getString("matrix_server_name");
    if (token == null || token.isBlank()) {
      throw new MatrixException(ErrCode.M_MISSING_TOKEN, "access_token (an OpenID token from "
          + "POST /_matrix/client/v3/user/{userId}/openid/request_token) is missing");
    }
    if (!ownServer.equals(server)) {
      throw new MatrixException(ErrCode.M_FORBIDDEN, "Only admins of " + ownServer
          + " can sign in here (the token is from " + server + ")");
    }
    openId.userOf(token).onComplete(checked -> {
      if (checked.failed()) {
        if (!(checked.cause() instanceof MatrixException refused) || refused.httpStatus() >= 500) {
          // The homeserver could not answer: no guess was judged, so none is counted.
          failures.giveBack(address);
        }
        ctx.fail(checked.cause());
        return;
      }
      String userId = checked.result();
      if (!userId.endsWith(":" + ownServer) || !admins.contains(userId)) {
        LOG.info("admin sign-in refused for {}: not in admin.users", userId);
        ctx.fail(new MatrixException(ErrCode.M_FORBIDDEN, userId + " is not an admin of "
            + ownServer + " (admin.users in the bridge config)"));
        return;
      }
      failures.giveBack(address);
      AdminSessions.Issued issued = sessions.issue(userId);
      LOG.info("admin {} signed in until {}", userId, issued.session().expiresAt());
      ctx.json(new JsonObject().put("token", issued.token()).put("user_id", userId)
          .put("expires_at", issued.session().expiresAt().toString()));
    });
  }

  /** In front of every route but sign-in: a live bridge session, or 401. */
  void requireSession(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ") || header.length() <= 7) {
      throw new MatrixException(ErrCode.M_MISSING_TOKEN, "Sign in first: Authorization: Bearer "
          + "<token from POST " + AdminApi.PREFIX + "/login>");
    }
    AdminSessions.Session session = sessions.find(header.substring(7).strip()).orElseThrow(() ->
        new MatrixException(ErrCode.M_UNKNOWN_TOKEN, "Unknown or expired admin session; sign in again"));
    ctx.put(ADMIN_KEY, session.userId());
    ctx.next();
  }

  void logout(RoutingContext ctx) {
    sessions.end(ctx.request().getHeader("Authorization").substring(7).strip());
    ctx.json(new JsonObject());
  }

  void whoami(RoutingContext ctx) {
    ctx.json(new JsonObject().put("user_id", ctx.<String>get(ADMIN_KEY)));
  }
}
