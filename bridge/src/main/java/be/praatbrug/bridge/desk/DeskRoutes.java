package be.praatbrug.bridge.desk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * What the counsellor page ({@code /binnen/counsellor.html}) needs before anyone signs in: the
 * homeserver to sign in at, and the bot whose commands the page gives on the counsellor's behalf.
 *
 * <p>The page has no API of its own on the bridge: every action it offers (a new room, a new code,
 * admit, deny, end) is the bot command a counsellor would type, sent by the page from her own
 * device into her direct chat with the bot. So the rules exist once, in the policy core, and the
 * chat shows every action taken from the page. Both values here are public.
 */
public final class DeskRoutes {

  public static final String PREFIX = "/_praatbrug/desk/v1/";

  private DeskRoutes() {}

  public static Router router(Vertx vertx, String homeserverPublicUrl, String botUserId) {
    JsonObject config = new JsonObject()
        .put("homeserver", homeserverPublicUrl)
        .put("bot_user_id", botUserId);
    Router router = Router.router(vertx);
    router.get("/config").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(config.encode()));
    return router;
  }
}
