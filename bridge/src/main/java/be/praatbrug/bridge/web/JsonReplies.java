package be.praatbrug.bridge.web;

import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;

/** JSON answers of the bridge's own APIs: never cached, errors in Matrix's shape. */
public final class JsonReplies {

  private JsonReplies() {}

  public static void reply(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  public static void error(RoutingContext ctx, int status, String errcode, String message) {
    reply(ctx, status, new JsonObject().put("errcode", errcode).put("error", message));
  }

  /**
   * Answers a failed request: a refusal or the homeserver's Matrix error as it is, anything else as
   * a 502 whose cause goes to {@code log} under {@code what} (never a token or a name: callers'
   * failures carry neither).
   */
  public static void fail(RoutingContext ctx, Throwable failure, Logger log, String what) {
    if (failure instanceof ApiRefusal refusal) {
      error(ctx, refusal.status(), refusal.errcode(), refusal.getMessage());
      return;
    }
    if (failure instanceof MatrixException matrix) {
      error(ctx, matrix.httpStatus(), matrix.rawErrCode(), matrix.getMessage());
      return;
    }
    log.error("{} failed: {}", what, failure.toString());
    error(ctx, 502, "M_UNKNOWN", "The request could not be handled; try again shortly");
  }
}
