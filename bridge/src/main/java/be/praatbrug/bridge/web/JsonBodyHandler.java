package be.praatbrug.bridge.web;

import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;

/**
 * The one way the bridge's routers read request bodies: JSON only, up to a limit, in memory.
 *
 * <p>Every API of the bridge takes JSON. Vert.x's default body handler would also take
 * {@code multipart/form-data} and write each upload into {@code file-uploads/} of the working
 * directory, never deleting it: anyone on the internet could fill the disk that holds the store and
 * the ledger key. So a body whose {@code Content-Type} is not JSON is refused with 415 before a byte
 * of it is read, and the body handler underneath never handles uploads.
 */
public final class JsonBodyHandler implements Handler<RoutingContext> {

  private final BodyHandler body;

  private JsonBodyHandler(long maxBytes) {
    this.body = BodyHandler.create(false).setBodyLimit(maxBytes);
  }

  /** Reads JSON bodies up to {@code maxBytes} (larger ones get 413 from the handler underneath). */
  public static JsonBodyHandler limitedTo(long maxBytes) {
    return new JsonBodyHandler(maxBytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !isJson(type)) {
      // The unread body is not worth draining: the connection closes after this answer.
      ctx.response().setStatusCode(415)
          .putHeader("Content-Type", "application/json")
          .putHeader("Connection", "close")
          .end(new JsonObject().put("errcode", "M_NOT_JSON")
              .put("error", "Send a JSON body (Content-Type: application/json); this API takes no"
                  + " forms or uploads").encode());
      return;
    }
    body.handle(ctx);
  }

  /** {@code application/json}, with or without parameters, or a {@code +json} type. */
  static boolean isJson(String contentType) {
    String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
  }
}
