package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.web.ApiRefusal;
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.JsonReplies;
import be.praatbrug.bridge.web.TokenGuard;
import be.praatbrug.bridge.web.TokenGuard.TokenCheck;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /_praatbrug/media/v1/files}: a project page (client page, counsellor page) tells the
 * bridge that a file it just uploaded belongs to a counselling room, so retention deletes it with
 * the room's messages ({@code GET limits} tells the page which files its room takes). The page sends its user's access token and {@code {"room_id",
 * "content_uri"}}; the bridge checks that the token's user is in the room and uploaded that very
 * file (Synapse's media admin API), then keeps media id, upload time and size. Never a file name
 * or content; Matrix-style errors.
 */
public final class UploadsApi {

  public static final String PREFIX = "/_praatbrug/media/v1/";

  private static final Logger LOG = LoggerFactory.getLogger(UploadsApi.class);
  private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");

  private final RetentionCalls calls;
  private final RoomFiles files;
  private final RoomRegistry registry;
  private final TokenGuard members;
  private final Clock clock;
  private final Router router;
  private final Function<String, Optional<Policy.Attachments>> limits;

  /**
   * @param limits a managed room's attachment rules (from its policy), empty for other rooms
   * @param entry how many wrong tokens an address may send (the links' limits)
   */
  public UploadsApi(Vertx vertx, RetentionCalls calls, RoomFiles files, RoomRegistry registry,
      TokenCheck tokens, Function<String, Optional<Policy.Attachments>> limits, EntrySection entry,
      Clock clock) {
    this.limits = limits;
    this.calls = calls;
    this.files = files;
    this.registry = registry;
    this.members = new TokenGuard(tokens, entry, clock);
    this.clock = clock;
    this.router = Router.router(vertx);
    router.route().handler(JsonBodyHandler.limitedTo(2 * 1024));
    router.post("/files").handler(this::register);
    router.get("/limits").handler(this::limits);
  }

  /** {@code GET limits?room_id=}: what the room's pages may send (size, types); not secret. */
  private void limits(RoutingContext ctx) {
    String roomId = ctx.request().getParam("room_id", "");
    Optional<Policy.Attachments> rules = limits.apply(roomId);
    if (rules.isEmpty()) {
      error(ctx, 404, "M_NOT_FOUND", "No counselling room with that id");
      return;
    }
    ok(ctx, new JsonObject().put("max_bytes", rules.get().maxBytes())
        .put("types", new io.vertx.core.json.JsonArray(rules.get().types())));
  }

  /** Mount with {@code parent.route(PREFIX + "*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  private void register(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException notJson) {
      body = null;
    }
    if (body == null) {
      error(ctx, 400, "M_NOT_JSON", "The request body must be a JSON object");
      return;
    }
    String roomId = body.getValue("room_id") instanceof String room ? room : "";
    String contentUri = body.getValue("content_uri") instanceof String uri ? uri : "";
    Matcher mxc = Pattern.compile("mxc://([^/]+)/([^/]+)").matcher(contentUri);
    if (!mxc.matches() || !mxc.group(1).equals(calls.serverName())
        || !MEDIA_ID.matcher(mxc.group(2)).matches()) {
      error(ctx, 400, "M_INVALID_PARAM", "content_uri must be an mxc:// URI of this homeserver");
      return;
    }
    if (!registry.isManaged(roomId)) {
      error(ctx, 404, "M_NOT_FOUND", "No counselling room with that id");
      return;
    }
    String mediaId = mxc.group(2);
    members.userOf(ctx, userId -> "join".equals(
            registry.snapshot(roomId, clock.instant()).memberships().get(userId)), "You are not in this room")
        .compose(userId -> calls.file(mediaId).compose(found -> {
          if (found.isEmpty() || !userId.equals(found.get().userId())) {
            return Future.failedFuture(new ApiRefusal(403, "M_FORBIDDEN", "Only the uploader can register a file"));
          }
          return files.register(roomId, found.get().toFile());
        }))
        .onSuccess(isNew -> ok(ctx, new JsonObject().put("registered", true)))
        .onFailure(failure -> JsonReplies.fail(ctx, failure, LOG, "registering a room file"));
  }

  private static void ok(RoutingContext ctx, JsonObject body) {
    JsonReplies.reply(ctx, 200, body);
  }

  private static void error(RoutingContext ctx, int status, String errcode, String message) {
    JsonReplies.error(ctx, status, errcode, message);
  }
}
