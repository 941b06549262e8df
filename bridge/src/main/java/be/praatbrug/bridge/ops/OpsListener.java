package be.praatbrug.bridge.ops;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/**
 * The bridge's internal listener ({@code metrics.hostname}/{@code metrics.port}): {@code /health},
 * {@code /health/live}, {@code /health/ready} and, with {@code metrics.enabled}, {@code /metrics}.
 *
 * <p>None of these is on the public port: a reverse proxy that forwards the public port passes
 * nothing of them, whatever its path rules (Vert.x serves {@code /metrics/} as {@code /metrics},
 * which an exact-path block in the proxy missed). Keep this port on loopback or a private network
 * that only the monitoring and the orchestrator reach.
 */
public final class OpsListener {

  private final HttpServer server;

  private OpsListener(HttpServer server) {
    this.server = server;
  }

  /**
   * Listens on {@code host:port} (0: any free port).
   *
   * @param scrape the Prometheus text, or {@code null} when metrics are off
   */
  public static Future<OpsListener> start(Vertx vertx, String host, int port, HealthRoutes health,
      Supplier<Future<String>> scrape) {
    Router router = Router.router(vertx);
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
    health.mount(router);
    if (scrape != null) {
      router.get("/metrics").handler(ctx -> scrape.get().onSuccess(text ->
          ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
              .end(text)).onFailure(ctx::fail));
    }
    return vertx.createHttpServer().requestHandler(router).listen(port, host).map(OpsListener::new);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> close() {
    return server.close();
  }
}
