package be.praatbrug.bridge.web;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Serves one bundled front-end under a path prefix (ending in a slash): its page, built files and
 * extra files, with the headers its {@link SiteHeaders} name.
 *
 * <p>No token is needed: the files are public code, the same for everyone.
 */
public final class BundledSite {

  private final Vertx vertx;
  private final String prefix;
  private final BundledAssets assets;
  private final SiteHeaders headers;
  private final Router router;

  public BundledSite(Vertx vertx, String prefix, BundledAssets assets, SiteHeaders headers) {
    this.vertx = vertx;
    this.prefix = prefix;
    this.assets = assets;
    this.headers = headers;
    this.router = Router.router(vertx);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serve);
  }

  /** Mount with {@code parent.route(prefix-without-slash + "*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  private void serve(RoutingContext ctx) {
    String file = relativePath(ctx);
    if (file == null) {
      // The prefix without its slash: relative asset URLs need the folder form. Browsers keep a
      // #fragment across this redirect.
      ctx.redirect(prefix);
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

  /** The path below the prefix, {@code index.html} for the folder itself, null without slash. */
  private String relativePath(RoutingContext ctx) {
    String full = ctx.normalizedPath();
    if (!full.startsWith(prefix)) {
      return null;
    }
    String path = full.substring(prefix.length());
    return path.isEmpty() ? "index.html" : path;
  }

  private void respond(RoutingContext ctx, Optional<BundledAssets.Asset> found) {
    BundledAssets.Asset asset = found.orElseThrow();
    HttpServerResponse response = ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, asset.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, headers.cacheControl(asset.path()))
        .putHeader(HttpHeaders.ETAG, asset.etag())
        .putHeader("Content-Security-Policy", headers.contentSecurityPolicy())
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Permissions-Policy", headers.permissionsPolicy());
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
