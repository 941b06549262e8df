package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.web.BundledAssets;
import be.praatbrug.bridge.web.BundledSite;
import be.praatbrug.bridge.web.SiteHeaders;
import be.praatbrug.bridge.widget.WidgetHeaders;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The client page under {@value #PREFIX}: what a client's link opens. A phone-first web app that
 * shows the consent text, then becomes the client's own end-to-end encrypted Matrix client.
 *
 * <p>Its Content-Security-Policy allows the bridge and the homeserver only; the call widget it
 * shows is framed from the bridge itself. No other site may frame the page (clickjacking a
 * consent form would be worse than most).
 */
public final class EntryPage {

  public static final String PREFIX = "/binnen/";
  /** Where the client-web Maven module puts the Vite build. */
  public static final String CLASSPATH_ROOT = "META-INF/resources/praatbrug/client-web/";

  private EntryPage() {}

  public static Router router(Vertx vertx, ClassLoader loader, String homeserverPublicUrl) {
    return router(vertx, loader, homeserverPublicUrl, PageAppearance.NEUTRAL);
  }

  /** The page with the organisation's name and quick-exit site ({@link PageAppearance}). */
  public static Router router(Vertx vertx, ClassLoader loader, String homeserverPublicUrl,
      PageAppearance appearance) {
    BundledAssets assets = BundledAssets.fromClasspath(loader, CLASSPATH_ROOT);
    Headers headers = new Headers(WidgetHeaders.origin(homeserverPublicUrl));
    Router router = new BundledSite(vertx, PREFIX, assets, headers).router();
    appearance.mount(router, assets, headers.contentSecurityPolicy());
    return router;
  }

  record Headers(String homeserverOrigin) implements SiteHeaders {

    @Override
    public String contentSecurityPolicy() {
      return String.join("; ",
          "default-src 'none'",
          // The Matrix crypto library is WebAssembly: compiling it needs 'wasm-unsafe-eval'.
          "script-src 'self' 'wasm-unsafe-eval'",
          "style-src 'self'",
          "img-src 'self' blob: data:",
          "connect-src 'self' " + homeserverOrigin,
          "frame-src 'self'",
          "worker-src 'self'",
          "manifest-src 'self'",
          "frame-ancestors 'none'",
          "base-uri 'none'",
          "form-action 'none'");
    }

    @Override
    public String permissionsPolicy() {
      return "camera=(self), microphone=(self), display-capture=(self), geolocation=()";
    }

    /** The shell and its service worker must be fresh after a deploy; built files never change. */
    @Override
    public String cacheControl(String path) {
      if (path.startsWith("assets/")) {
        return IMMUTABLE;
      }
      if (path.endsWith(".html") || path.equals("sw.js") || path.endsWith(".webmanifest")) {
        return REVALIDATE;
      }
      return ONE_DAY;
    }
  }
}
