package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * Checks an OpenID token with the homeserver that issued it
 * ({@code GET /_matrix/federation/v1/openid/userinfo}) and says whose it is.
 *
 * <p>The token is the single-purpose one from {@code /user/{id}/openid/request_token}, not the
 * admin's access token: it proves the identity and can do nothing else on the homeserver. The spec
 * puts it in the query string; it is never logged here.
 */
public final class OpenIdVerifier {

  static final String USERINFO = "/_matrix/federation/v1/openid/userinfo";

  private static final long TIMEOUT_MS = 10_000;

  private final WebClient web;
  private final String baseUrl;
  private final long timeoutMs;

  public OpenIdVerifier(Vertx vertx, String baseUrl) {
    this(vertx, baseUrl, TIMEOUT_MS);
  }

  OpenIdVerifier(Vertx vertx, String baseUrl, long timeoutMs) {
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000)
        .setUserAgent("Praatbrug admin"));
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.timeoutMs = timeoutMs;
  }

  /** The Matrix user id the token belongs to; fails with M_UNKNOWN_TOKEN when the server says so. */
  public Future<String> userOf(String openIdToken) {
    return web.getAbs(baseUrl + USERINFO)
        .addQueryParam("access_token", openIdToken)
        .timeout(timeoutMs)
        .send()
        // Never the failure's own message: a timeout's names the request URI, token included.
        .recover(failure -> Future.failedFuture(new MatrixException(ErrCode.M_UNKNOWN,
            "The homeserver could not be asked to check the sign-in ("
                + (failure instanceof java.util.concurrent.TimeoutException
                    || failure.getClass().getSimpleName().contains("Timeout") ? "no answer in time"
                    : failure.getClass().getSimpleName()) + ")")))
        .compose(response -> {
          if (response.statusCode() == 200) {
            String sub;
            try {
              sub = response.bodyAsJsonObject().getString("sub");
            } catch (RuntimeException notJson) {
              sub = null;
            }
            if (sub != null && sub.startsWith("@")) {
              return Future.succeededFuture(sub);
            }
          }
          if (response.statusCode() == 401 || response.statusCode() == 403
              || response.statusCode() == 200) {
            return Future.failedFuture(new MatrixException(ErrCode.M_UNKNOWN_TOKEN,
                "The homeserver does not know this OpenID token (expired, or from another server)"));
          }
          return Future.failedFuture(new MatrixException(ErrCode.M_UNKNOWN,
              "The homeserver answered " + response.statusCode() + " when checking the sign-in"));
        });
  }

  public void close() {
    web.close();
  }
}
