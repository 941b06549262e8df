package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.client.WebClient;
import java.util.function.Supplier;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: this instance can do its job
 * now, i.e. startup reconciliation is done, the store answers a query and the homeserver answers
 * {@code /_matrix/client/versions}. Orchestrators (Docker HEALTHCHECK, Kubernetes probes) use
 * them; the answers name the failing check, never a secret. A standby instance (leader election)
 * is live but not ready, so a load balancer sends the homeserver's transactions to the leader.
 */
public final class HealthRoutes {

  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  private static final long CHECK_TIMEOUT_MS = 3_000;

  private final Supplier<Database> database;
  private final WebClient web;
  private final String homeserverUrl;
  private volatile String notReadyReason = "starting";

  public HealthRoutes(Vertx vertx, Supplier<Database> database, String homeserverUrl) {
    this.database = database;
    this.web = WebClient.create(vertx);
    this.homeserverUrl = homeserverUrl.replaceAll("/+$", "");
  }

  public void mount(Router router) {
    router.get(LIVE).handler(ctx -> ctx.json(new JsonObject().put("status", "up")));
    router.get(READY).handler(this::ready);
  }

  /** {@code null} once the bridge is ready to process; otherwise why not (starting, standby). */
  public void setNotReadyReason(String reason) {
    this.notReadyReason = reason;
  }

  private void ready(RoutingContext ctx) {
    String reason = notReadyReason;
    if (reason != null) {
      answer(ctx, false, new JsonObject().put("bridge", reason));
      return;
    }
    Future<String> store = database.get() == null ? Future.succeededFuture("not open")
        : database.get().blocking(connection -> {
          try (var statement = connection.createStatement()) {
            statement.setQueryTimeout((int) (CHECK_TIMEOUT_MS / 1000));
            statement.executeQuery("SELECT 1").close();
          }
          return "up";
        }).otherwise(failure -> "down: " + failure.getClass().getSimpleName());
    Future<String> homeserver = web.getAbs(homeserverUrl + "/_matrix/client/versions")
        .timeout(CHECK_TIMEOUT_MS).send()
        .map(response -> response.statusCode() == 200 ? "up" : "down: HTTP " + response.statusCode())
        .otherwise(failure -> "down: " + failure.getClass().getSimpleName());
    Future.join(store, homeserver).onComplete(done -> {
      JsonObject checks = new JsonObject().put("bridge", "up").put("store", store.result())
          .put("homeserver", homeserver.result());
      answer(ctx, "up".equals(store.result()) && "up".equals(homeserver.result()), checks);
    });
  }

  private static void answer(RoutingContext ctx, boolean up, JsonObject checks) {
    ctx.response().setStatusCode(up ? 200 : 503);
    ctx.json(new JsonObject().put("status", up ? "up" : "down").put("checks", checks));
  }

  public void close() {
    web.close();
  }
}
