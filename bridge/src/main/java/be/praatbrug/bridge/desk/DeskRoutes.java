package be.praatbrug.bridge.desk;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.entry.AttemptThrottle;
import be.praatbrug.bridge.web.ClientAddress;
import be.praatbrug.bridge.entry.ClientRightsApi.TokenCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the counsellor page ({@code /binnen/counsellor.html}) reads from the bridge, under
 * {@value #PREFIX}:
 *
 * <ul>
 *   <li>{@code GET config}, before anyone signs in: the homeserver to sign in at, and the bot whose
 *       commands the page gives on the counsellor's behalf (both public);
 *   <li>{@code GET records}, with her own access token ({@code Authorization: Bearer}, checked with
 *       the homeserver): the client record behind each of her rooms ({@link CaseloadRecords}).
 * </ul>
 *
 * <p>Nothing here changes anything: every action the page offers (a new room, a new code, admit,
 * deny, end, a label) is the bot command a counsellor would type, sent by the page from her own
 * device into her direct chat with the bot. So the rules exist once, in the policy core, and the
 * chat shows every action taken from the page. Tokens are never logged.
 */
public final class DeskRoutes {

  public static final String PREFIX = "/_praatbrug/desk/v1/";

  private static final Logger LOG = LoggerFactory.getLogger(DeskRoutes.class);

  /** What the routes read; all of it exists in the running bridge. */
  public record Parts(Vertx vertx, String homeserverPublicUrl, String botUserId, TokenCheck tokens,
      Predicate<String> isGuest, CaseloadRecords records, EntrySection entry, Clock clock,
      java.util.function.Function<String, Future<io.vertx.core.json.JsonArray>> appointments) {

    /** Without planned sessions (they then read as none). */
    public Parts(Vertx vertx, String homeserverPublicUrl, String botUserId, TokenCheck tokens,
        Predicate<String> isGuest, CaseloadRecords records, EntrySection entry, Clock clock) {
      this(vertx, homeserverPublicUrl, botUserId, tokens, isGuest, records, entry, clock,
          counsellor -> Future.succeededFuture(new io.vertx.core.json.JsonArray()));
    }
  }

  private final Parts parts;
  private final ClientAddress clientAddress;
  private final AttemptThrottle wrongTokens;

  public DeskRoutes(Parts parts) {
    this.parts = parts;
    this.clientAddress = new ClientAddress(parts.entry().trustedProxies());
    this.wrongTokens = new AttemptThrottle(parts.entry().maxAttempts(),
        Duration.ofSeconds(parts.entry().attemptWindowSeconds()), parts.clock());
  }

  public Router router() {
    JsonObject config = new JsonObject()
        .put("homeserver", parts.homeserverPublicUrl())
        .put("bot_user_id", parts.botUserId());
    Router router = Router.router(parts.vertx());
    router.get("/config").handler(ctx -> reply(ctx, 200, config));
    router.get("/records").handler(this::records);
    router.get("/appointments").handler(this::appointments);
    return router;
  }

  /** Her planned sessions that have not ended, earliest first (times only, and room and record). */
  private void appointments(RoutingContext ctx) {
    answer(ctx, counsellor(ctx).compose(parts.appointments())
        .map(planned -> new JsonObject().put("appointments", planned)));
  }

  private void records(RoutingContext ctx) {
    answer(ctx, counsellor(ctx).compose(parts.records()::of)
        .map(rooms -> new JsonObject().put("rooms", rooms)));
  }

  private void answer(RoutingContext ctx, Future<JsonObject> work) {
    work.onSuccess(body -> reply(ctx, 200, body))
        .onFailure(failure -> {
          if (failure instanceof Refusal refusal) {
            reply(ctx, refusal.status, new JsonObject().put("errcode", refusal.errcode)
                .put("error", refusal.getMessage()));
            return;
          }
          LOG.error("the caseload's records could not be read: {}", failure.toString());
          reply(ctx, 502, new JsonObject().put("errcode", "M_UNKNOWN")
              .put("error", "The records could not be read; try again shortly"));
        });
  }

  /** The counsellor whose token the request carries; a guest (a client's link account) is refused. */
  private Future<String> counsellor(RoutingContext ctx) {
    String address = clientAddress.limitKeyOf(ctx);
    Duration wait = wrongTokens.waitFor(address);
    if (!wait.isZero() && !wait.isNegative()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      return Future.failedFuture(new Refusal(429, "M_LIMIT_EXCEEDED", "Too many attempts; wait a little"));
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ") || header.length() > 1024) {
      return Future.failedFuture(new Refusal(401, "M_MISSING_TOKEN", "An access token is needed"));
    }
    return parts.tokens().userOf(header.substring("Bearer ".length()).strip())
        .recover(unknown -> {
          wrongTokens.record(address);
          return Future.failedFuture(new Refusal(401, "M_UNKNOWN_TOKEN", "Unknown or ended access token"));
        })
        .compose(userId -> {
          if (parts.isGuest().test(userId)) {
            wrongTokens.record(address);
            return Future.failedFuture(new Refusal(403, "M_FORBIDDEN", "Only for counsellors"));
          }
          return Future.succeededFuture(userId);
        });
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** A request refused with a Matrix-style error. */
  private static final class Refusal extends RuntimeException {
    private final int status;
    private final String errcode;

    Refusal(int status, String errcode, String message) {
      super(message, null, false, false);
      this.status = status;
      this.errcode = errcode;
    }
  }
}
