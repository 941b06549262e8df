package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.InputStream;
import java.net.URI;
import java.util.Map;

/**
 * The admin web page under {@value #PREFIX}: plain HTML, JavaScript and CSS from the bridge jar,
 * nothing fetched elsewhere.
 *
 * <p>The Content-Security-Policy allows scripts and styles from the bridge only and connections to
 * the bridge and the homeserver (the page signs in there); no frames at all, so another site cannot
 * wrap the page to trick an admin. The page's settings ({@code config.json}) are the homeserver's
 * public address and server name, nothing secret.
 */
public final class AdminPage {

  public static final String PREFIX = "/admin/";
  private static final String FOLDER = "/be/praatbrug/bridge/admin/page/";
  private static final Map<String, String> FILES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "admin.js", "text/javascript; charset=utf-8",
      "admin.css", "text/css; charset=utf-8");

  private final Router router;
  private final String contentSecurityPolicy;
  private final Buffer config;

  public AdminPage(Vertx vertx, BridgeConfig bridge) {
    String homeserver = origin(bridge.widget().homeserverPublicUrl());
    this.contentSecurityPolicy = String.join("; ",
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self' " + homeserver,
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'");
    this.config = new JsonObject()
        .put("homeserver", bridge.widget().homeserverPublicUrl())
        .put("server_name", bridge.homeserver().domain())
        .put("api", AdminApi.PREFIX).toBuffer();
    this.router = Router.router(vertx);
    router.get("/").handler(ctx -> serve(ctx, "index.html"));
    router.get("/config.json").handler(ctx -> headers(ctx, "application/json").end(config));
    router.get("/:file").handler(ctx -> serve(ctx, ctx.pathParam("file")));
  }

  /** Mount with {@code parent.route("/admin/*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  public String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  private void serve(RoutingContext ctx, String file) {
    String type = FILES.get(file);
    if (type == null) {
      ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain").end("Not found");
      return;
    }
    ctx.vertx().executeBlocking(() -> {
      try (InputStream in = AdminPage.class.getResourceAsStream(FOLDER + file)) {
        return Buffer.buffer(in.readAllBytes());
      }
    }).onSuccess(bytes -> headers(ctx, type).end(bytes)).onFailure(ctx::fail);
  }

  private io.vertx.core.http.HttpServerResponse headers(RoutingContext ctx, String type) {
    return ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", contentSecurityPolicy)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY");
  }

  private static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
