package be.praatbrug.bridge.widget;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Serves the call widget under {@value #PREFIX}: the page, its bundle and the MediaPipe model
 * files, with the headers of {@link WidgetHeaders}.
 *
 * <p>No token is needed: the files are public code, the same for everyone. Everything the widget
 * does with Matrix goes through the user's own client, never through these routes.
 */
public final class WidgetRoutes {

  public static final String PREFIX = "/widget/call/";

  private final Vertx vertx;
  private final WidgetAssets assets;
  private final WidgetHeaders headers;
  private final Router router;

  public WidgetRoutes(Vertx vertx, WidgetAssets assets, WidgetSection config) {
    this.vertx = vertx;
    this.assets = assets;
    this.headers = new WidgetHeaders(config);
    this.router = Router.router(vertx);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serve);
  }

  /** Mount with {@code parent.route("/widget/call*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  private void serve(RoutingContext ctx) {
    String file = relativePath(ctx);
    if (file == null) {
      // "/widget/call" without the slash: relative asset URLs need the folder form.
      ctx.redirect(PREFIX);
      return;
    }
    if (!assets.exists(file)) {
      ctx.response().setStatusCode(404).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain").end("Not found");
      return;
    }
    // The first read of a file comes from the jar: not on the event loop.
    vertx.executeBlocking(() -> assets.read(file))
        .onSuccess(asset -> respond(ctx, asset))
        .onFailure(ctx::fail);
  }

  /** The path below {@value #PREFIX}, {@code index.html} for the folder itself, null without slash. */
  private static String relativePath(RoutingContext ctx) {
    String full = ctx.normalizedPath();
    if (!full.startsWith(PREFIX)) {
      return null;
    }
    String path = full.substring(PREFIX.length());
    return path.isEmpty() ? "index.html" : path;
  }

  private void respond(RoutingContext ctx, Optional<WidgetAssets.Asset> found) {
    WidgetAssets.Asset asset = found.orElseThrow();
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, WidgetHeaders.cacheControl(asset.path()))
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader("Content-Security-Policy", headers.contentSecurityPolicy())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Permissions-Policy",
            "camera=(self), microphone=(self), display-capture=(self), geolocation=()");
    if (asset.etag().equals(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(asset.bytes().length));
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
    } else {
      response.end(Buffer.buffer(asset.bytes()));
    }
  }
}
