package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.web.BundledAssets;
import be.praatbrug.bridge.web.BundledSite;
import be.praatbrug.bridge.web.SiteHeaders;
import be.praatbrug.bridge.widget.WidgetHeaders;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * The admin web page under {@value #PREFIX}: plain HTML, JavaScript and CSS from the bridge jar
 * (no build step, no library), nothing fetched elsewhere.
 *
 * <p>The Content-Security-Policy allows scripts and styles from the bridge only and connections to
 * the bridge and the homeserver (the page signs in there); no frames at all, so another site cannot
 * wrap the page to trick an admin. The page's settings ({@value #CONFIG_PATH}) are the
 * homeserver's public address and server name, nothing secret.
 */
public final class AdminPage {

  public static final String PREFIX = "/admin/";
  public static final String CONFIG_PATH = PREFIX + "config.json";
  static final String CLASSPATH_ROOT = "be/praatbrug/bridge/admin/page/";

  private AdminPage() {}

  /** Adds the page's routes to {@code parent}. */
  public static void mount(Router parent, Vertx vertx, ClassLoader loader, BridgeConfig config) {
    Headers headers = new Headers(WidgetHeaders.origin(config.widget().homeserverPublicUrl()));
    Buffer settings = new JsonObject()
        .put("homeserver", config.widget().homeserverPublicUrl())
        .put("server_name", config.homeserver().domain())
        .put("api", AdminApi.PREFIX).toBuffer();
    parent.get(CONFIG_PATH).handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", SiteHeaders.REVALIDATE)
        .putHeader("Content-Security-Policy", headers.contentSecurityPolicy())
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(settings));
    parent.route(PREFIX.substring(0, PREFIX.length() - 1) + "*").subRouter(new BundledSite(vertx,
        PREFIX, BundledAssets.fromClasspath(loader, CLASSPATH_ROOT), headers).router());
  }

  record Headers(String homeserverOrigin) implements SiteHeaders {

    @Override
    public String contentSecurityPolicy() {
      return String.join("; ",
          "default-src 'none'",
          "script-src 'self'",
          "style-src 'self'",
          "img-src 'self' data:",
          "connect-src 'self' " + homeserverOrigin,
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'none'");
    }

    @Override
    public String permissionsPolicy() {
      return "camera=(), microphone=(), display-capture=(), geolocation=()";
    }

    /** The files keep their names across versions: always revalidate (by ETag), so a deploy shows at once. */
    @Override
    public String cacheControl(String path) {
      return REVALIDATE;
    }
  }
}
