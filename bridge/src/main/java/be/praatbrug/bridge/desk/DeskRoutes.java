package be.praatbrug.bridge.desk;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.web.JsonReplies;
import be.praatbrug.bridge.web.TokenGuard;
import be.praatbrug.bridge.web.TokenGuard.TokenCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
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
 *   <li>{@code GET door}, with her own access token: the door's waiting line and her duty;
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
      java.util.function.Supplier<Future<Boolean>> ssoReady,
      java.util.function.Function<String, Future<io.vertx.core.json.JsonArray>> appointments,
      java.util.function.Supplier<java.time.Duration> idleLock,
      java.util.function.Function<String, Future<JsonObject>> door) {

    /** Without a door. */
    public Parts(Vertx vertx, String homeserverPublicUrl, String botUserId, TokenCheck tokens,
        Predicate<String> isGuest, CaseloadRecords records, EntrySection entry, Clock clock,
        java.util.function.Supplier<Future<Boolean>> ssoReady,
        java.util.function.Function<String, Future<io.vertx.core.json.JsonArray>> appointments,
        java.util.function.Supplier<java.time.Duration> idleLock) {
      this(vertx, homeserverPublicUrl, botUserId, tokens, isGuest, records, entry, clock, ssoReady,
          appointments, idleLock, counsellor -> Future.succeededFuture(new JsonObject().put("enabled", false)));
    }

    /** Without planned sessions (they then read as none) and with the default idle lock. */
    public Parts(Vertx vertx, String homeserverPublicUrl, String botUserId, TokenCheck tokens,
        Predicate<String> isGuest, CaseloadRecords records, EntrySection entry, Clock clock,
        java.util.function.Supplier<Future<Boolean>> ssoReady) {
      this(vertx, homeserverPublicUrl, botUserId, tokens, isGuest, records, entry, clock, ssoReady,
          counsellor -> Future.succeededFuture(new io.vertx.core.json.JsonArray()),
          be.praatbrug.policy.rules.Policy.Desk.DEFAULT::idleLock);
    }
  }

  private final Parts parts;
  private final TokenGuard counsellors;

  public DeskRoutes(Parts parts) {
    this.parts = parts;
    this.counsellors = new TokenGuard(parts.tokens(), parts.entry(), parts.clock());
  }

  public Router router() {
    Router router = Router.router(parts.vertx());
    // Read per request: an admin's policy change reaches the next page that opens.
    router.get("/config").handler(ctx -> JsonReplies.reply(ctx, 200, new JsonObject()
        .put("homeserver", parts.homeserverPublicUrl())
        .put("bot_user_id", parts.botUserId())
        .put("idle_lock_seconds", parts.idleLock().get().toSeconds())));
    // Single sign-on possible right now (the identity provider reachable through the homeserver)?
    router.get("/sso-ready").handler(ctx -> parts.ssoReady().get().onComplete(ready ->
        JsonReplies.reply(ctx, 200, new JsonObject().put("ready", ready.succeeded() && ready.result()))));
    router.get("/records").handler(this::records);
    router.get("/appointments").handler(this::appointments);
    router.get("/door").handler(this::door);
    return router;
  }

  /** The door's line and her duty (the counsellor page's overview); changes go through the bot. */
  private void door(RoutingContext ctx) {
    counsellors.userOf(ctx, parts.isGuest().negate(), "Only for counsellors")
        .compose(parts.door())
        .onSuccess(view -> JsonReplies.reply(ctx, 200, view))
        .onFailure(failure -> JsonReplies.fail(ctx, failure, LOG, "reading the door's line"));
  }

  /** Her planned sessions that have not ended, earliest first (times only, and room and record). */
  private void appointments(RoutingContext ctx) {
    counsellors.userOf(ctx, parts.isGuest().negate(), "Only for counsellors")
        .compose(parts.appointments())
        .onSuccess(planned -> JsonReplies.reply(ctx, 200, new JsonObject().put("appointments", planned)))
        .onFailure(failure -> JsonReplies.fail(ctx, failure, LOG, "reading the counsellor's appointments"));
  }

  /** The records behind the rooms of the counsellor whose token the request carries (guests: 403). */
  private void records(RoutingContext ctx) {
    counsellors.userOf(ctx, parts.isGuest().negate(), "Only for counsellors")
        .compose(parts.records()::of)
        .onSuccess(rooms -> JsonReplies.reply(ctx, 200, new JsonObject().put("rooms", rooms)))
        .onFailure(failure -> JsonReplies.fail(ctx, failure, LOG, "reading the caseload's records"));
  }
}
