package be.praatbrug.bridge.staff;

import io.vertx.core.Future;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Whether staff can sign in through single sign-on right now: the homeserver answers its SSO
 * redirect with a redirect to the identity provider (from provider metadata it may have cached),
 * and the provider answers that address (any answer below 500). The pages
 * cannot ask this themselves (the redirect carries no CORS headers), so they ask the bridge, and
 * say in Dutch that the organisation's sign-in server is unreachable instead of showing the
 * homeserver's error page.
 */
public final class SsoProbe {

  private final WebClient web;
  private final String homeserver;

  public SsoProbe(WebClient web, String homeserver) {
    this.web = web;
    this.homeserver = homeserver;
  }

  public Future<Boolean> ready() {
    String address = homeserver + "/_matrix/client/v3/login/sso/redirect?redirectUrl="
        + URLEncoder.encode("http://localhost/", StandardCharsets.UTF_8);
    return web.getAbs(address).followRedirects(false).timeout(10_000).send()
        .compose(response -> {
          String provider = response.getHeader("Location");
          if (response.statusCode() < 300 || response.statusCode() >= 400 || provider == null
              || !provider.startsWith("http")) {
            return Future.succeededFuture(false);
          }
          return web.getAbs(provider).followRedirects(false).timeout(10_000).send()
              .map(answer -> answer.statusCode() < 500);
        })
        .otherwise(false);
  }
}
