package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.web.BundledAssets;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;

/**
 * How the client page shows itself on a phone that may not be the client's alone: the tab title,
 * the installed app's name, and where "Snel weg" (quick exit) goes. Neutral unless the
 * organisation configures otherwise ({@code entry.app_name}, {@code entry.exit_url}): a title such
 * as "Praatbrug" or "CAW" in a browser's history or on a home screen says too much.
 *
 * <p>Serves {@code manifest.webmanifest} (the built one with this name and without a description)
 * and {@code appearance.json} (name and exit address, read by the page at start).
 */
public record PageAppearance(String appName, String exitUrl) {

  public static final PageAppearance NEUTRAL =
      new PageAppearance(EntrySection.NEUTRAL_APP_NAME, EntrySection.NEUTRAL_EXIT_URL);

  public static PageAppearance of(EntrySection entry) {
    return new PageAppearance(entry.appName(), entry.exitUrl());
  }

  /** The built manifest with this name; its description would say what the app is for. */
  JsonObject manifest(JsonObject built) {
    JsonObject manifest = built.copy().put("name", appName).put("short_name", appName);
    manifest.remove("description");
    return manifest;
  }

  JsonObject json() {
    return new JsonObject().put("name", appName).put("exit_url", exitUrl);
  }

  /** Adds both files to the page's router, ahead of the bundled files. */
  void mount(Router router, BundledAssets assets, String contentSecurityPolicy) {
    JsonObject built = assets.read("manifest.webmanifest")
        .map(asset -> new JsonObject(new String(asset.bytes(), StandardCharsets.UTF_8)))
        .orElseGet(JsonObject::new);
    String manifest = manifest(built).encode();
    String appearance = json().encode();
    router.get("/manifest.webmanifest").order(-2).handler(ctx ->
        send(ctx, "application/manifest+json", manifest, contentSecurityPolicy));
    router.get("/appearance.json").order(-1).handler(ctx ->
        send(ctx, "application/json", appearance, contentSecurityPolicy));
  }

  private static void send(RoutingContext ctx, String type, String body, String csp) {
    ctx.response()
        .putHeader("Content-Type", type)
        .putHeader("Cache-Control", "no-cache")
        .putHeader("Content-Security-Policy", csp)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .end(body);
  }
}
