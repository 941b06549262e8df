package be.praatbrug.bridge.widget;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import be.praatbrug.bridge.web.SiteHeaders;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The security and caching headers of the widget's responses.
 *
 * <p>The Content-Security-Policy allows the bridge's own origin ({@code 'self'}) and the
 * homeserver, nothing else: no CDN, no analytics, no external STUN or model download can be added
 * without a failing browser. {@code 'wasm-unsafe-eval'} lets the browser compile the segmentation
 * WebAssembly (it does not allow JavaScript eval). {@code frame-ancestors} names the Matrix web
 * clients that may show the widget, so another site cannot frame it to trick a user.
 */
public final class WidgetHeaders implements SiteHeaders {

  private final String contentSecurityPolicy;

  public WidgetHeaders(WidgetSection widget) {
    String homeserver = origin(widget.homeserverPublicUrl());
    Set<String> ancestors = new LinkedHashSet<>();
    ancestors.add("'self'");
    ancestors.add(homeserver);
    ancestors.addAll(widget.clientOrigins());
    this.contentSecurityPolicy = String.join("; ",
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob: mediastream:",
        "connect-src 'self' " + homeserver,
        "worker-src 'self' blob:",
        "frame-ancestors " + String.join(" ", ancestors),
        "base-uri 'none'",
        "form-action 'none'");
  }

  @Override
  public String contentSecurityPolicy() {
    return contentSecurityPolicy;
  }

  @Override
  public String permissionsPolicy() {
    return "camera=(self), microphone=(self), display-capture=(self), geolocation=()";
  }

  /** Built files are immutable; MediaPipe files keep their names across versions. */
  @Override
  public String cacheControl(String path) {
    if (path.startsWith("assets/")) {
      return IMMUTABLE;
    }
    if (path.endsWith(".html")) {
      return REVALIDATE;
    }
    return ONE_DAY;
  }

  /** {@code scheme://host[:port]} of a URL, as CSP wants it. */
  public static String origin(String url) {
    URI uri = URI.create(url);
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
  }
}
