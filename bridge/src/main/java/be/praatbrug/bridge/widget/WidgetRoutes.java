package be.praatbrug.bridge.widget;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import be.praatbrug.bridge.web.BundledAssets;
import be.praatbrug.bridge.web.BundledSite;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The call widget under {@value #PREFIX}: the page, its bundle and the MediaPipe model files, with
 * the headers of {@link WidgetHeaders}.
 *
 * <p>Everything the widget does with Matrix goes through the user's own client, never through
 * these routes.
 */
public final class WidgetRoutes {

  public static final String PREFIX = "/widget/call/";
  /** Where the widget's Maven module puts the Vite build. */
  public static final String CLASSPATH_ROOT = "META-INF/resources/praatbrug/call-widget/";

  private WidgetRoutes() {}

  /** Mount with {@code parent.route("/widget/call*").subRouter(router(...))}. */
  public static Router router(Vertx vertx, ClassLoader loader, WidgetSection config) {
    return new BundledSite(vertx, PREFIX, BundledAssets.fromClasspath(loader, CLASSPATH_ROOT),
        new WidgetHeaders(config)).router();
  }
}
