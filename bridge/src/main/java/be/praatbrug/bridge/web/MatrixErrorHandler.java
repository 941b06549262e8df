package be.praatbrug.bridge.web;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into Matrix error responses {@code {"errcode","error"}}, plus
 * any details the exception carries in its body.
 *
 * <p>Client mistakes (4xx) are logged in one line without a stack trace; only our own bugs get a
 * 500, with the trace in the log and nothing internal in the response.
 */
public final class MatrixErrorHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(MatrixErrorHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    MatrixException error = toMatrixException(ctx);
    if (error.httpStatus() >= 500) {
      LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), ctx.failure());
    } else {
      LOG.info("{} {} -> {}", ctx.request().method(), ctx.normalizedPath(), error.toString());
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response()
        .setStatusCode(error.httpStatus())
        .putHeader("Content-Type", "application/json")
        // Extra fields the caller needs to act (e.g. the admin API's per-field "problems").
        .end(error.body().copy().mergeIn(error.toJson()).encode());
  }

  private static MatrixException toMatrixException(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof MatrixException matrix) {
      return matrix;
    }
    if (failure instanceof DecodeException) {
      return new MatrixException(ErrCode.M_NOT_JSON, "Request body is not valid JSON");
    }
    int status = ctx.statusCode();
    return switch (status) {
      case 404 -> new MatrixException(ErrCode.M_UNRECOGNIZED, "Unrecognized request");
      case 405 -> new MatrixException(ErrCode.M_UNRECOGNIZED, "M_UNRECOGNIZED", 405,
          "Method not allowed on this endpoint", new JsonObject());
      case 413 -> new MatrixException(ErrCode.M_TOO_LARGE, "Request body exceeds the configured limit");
      case 400 -> new MatrixException(ErrCode.M_BAD_JSON, "Bad request");
      default -> new MatrixException(ErrCode.M_UNKNOWN, "Internal error");
    };
  }
}
