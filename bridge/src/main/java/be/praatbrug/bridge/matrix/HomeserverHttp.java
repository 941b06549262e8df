package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP pipeline to the homeserver, for the appservice's calls ({@link HttpMatrixClient})
 * and the bot's encryption device alike: one connection pool, one retry loop, one place that
 * watches every attempt (metrics).
 *
 * <p>Tokens go in the Authorization header only, never in a URL, so they cannot end up in a proxy
 * or access log. Log lines name the method and path template, never bodies.
 */
public final class HomeserverHttp {

  private static final Logger LOG = LoggerFactory.getLogger(HomeserverHttp.class);
  static final long REQUEST_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final WebClient web;
  private final String baseUrl;
  private volatile RequestObserver observer = RequestObserver.NONE;

  /** Watches each HTTP attempt (metrics): method, path template, status (0: no response), time. */
  @FunctionalInterface
  public interface RequestObserver {
    RequestObserver NONE = (method, pathTemplate, status, nanos) -> {};

    void attempted(String method, String pathTemplate, int status, long nanos);
  }

  /**
   * @param maxConnections HTTP/1.1 connections to the homeserver at most ({@code
   *     homeserver.max_connections}); Vert.x's default of 5 makes a burst of kicks and notices wait
   *     on each other
   */
  public HomeserverHttp(Vertx vertx, String homeserverUrl, int maxConnections) {
    this.vertx = vertx;
    // A connection idle 15 s is not reused: Synapse may have closed it already, and a request sent
    // into a closed connection fails (a lost key upload cannot be taken back).
    this.web = WebClient.create(vertx, new WebClientOptions()
        .setConnectTimeout(5_000)
        .setKeepAliveTimeout(15)
        .setUserAgent("Praatbrug"), new PoolOptions().setHttp1MaxSize(maxConnections));
    this.baseUrl = homeserverUrl.replaceAll("/+$", "");
  }

  public void observe(RequestObserver observer) {
    this.observer = observer;
  }

  /**
   * One call with retries under {@code policy}: the JSON answer's bytes, or a {@link
   * MatrixException} for a non-2xx answer, or the connection's failure.
   *
   * @param token the bearer token (the appservice's, or a device's)
   * @param asUserId masquerade as this user ({@code ?user_id=}, appservice token only); may be null
   */
  public Future<Buffer> call(HttpMethod method, String path, JsonObject body, String token, String asUserId,
      RetryPolicy policy) {
    Promise<Buffer> result = Promise.promise();
    attempt(method, path, body, token, asUserId, policy, 1, result);
    return result.future();
  }

  /** Once, without retries: for a question whose answer is final (does this token work?). */
  public Future<HttpResponse<Buffer>> once(HttpMethod method, String path, String token) {
    return web.requestAbs(method, baseUrl + path).bearerTokenAuthentication(token)
        .timeout(REQUEST_TIMEOUT_MS).send();
  }

  public void close() {
    web.close();
  }

  private void attempt(HttpMethod method, String path, JsonObject body, String token, String asUserId,
      RetryPolicy policy, int attempt, Promise<Buffer> result) {
    HttpRequest<Buffer> request = web.requestAbs(method, baseUrl + path).timeout(REQUEST_TIMEOUT_MS);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    if (asUserId != null) {
      request.addQueryParam("user_id", asUserId);
    }
    long started = System.nanoTime();
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    sent.onComplete(done -> {
      observer.attempted(method.name(), templateOf(path),
          done.succeeded() ? done.result().statusCode() : 0, System.nanoTime() - started);
      if (done.succeeded() && done.result().statusCode() / 100 == 2) {
        Buffer responseBody = done.result().body();
        result.complete(responseBody == null ? Buffer.buffer() : responseBody);
        return;
      }
      Throwable failure = done.succeeded() ? HttpMatrixClient.toMatrixException(done.result()) : done.cause();
      boolean retryable = done.succeeded() ? RetryPolicy.isRetryableStatus(done.result().statusCode())
          : policy.retriesAfterTimeout() || !isTimeout(failure);
      if (!retryable || attempt >= policy.maxAttempts()) {
        result.fail(failure);
        return;
      }
      long retryAfter = failure instanceof MatrixException matrix
          ? matrix.body().getLong("retry_after_ms", 0L) : 0L;
      long wait = policy.backoffMillis(attempt, retryAfter);
      LOG.debug("{} {} failed (attempt {}/{}): {}; retrying in {} ms", method, templateOf(path),
          attempt, policy.maxAttempts(), failure.toString(), wait);
      vertx.setTimer(wait, timer -> attempt(method, path, body, token, asUserId, policy, attempt + 1, result));
    });
  }

  private static boolean isTimeout(Throwable failure) {
    return failure instanceof java.util.concurrent.TimeoutException
        || failure.getClass().getSimpleName().contains("Timeout");
  }

  /** Room and user ids are replaced in log lines: ids of clients' rooms are not for logs. */
  static String templateOf(String path) {
    return path.replaceAll("/(%21|%40|%24)[^/]*", "/{id}");
  }
}
