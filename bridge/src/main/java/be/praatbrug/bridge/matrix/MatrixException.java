package be.praatbrug.bridge.matrix;

import io.vertx.core.json.JsonObject;

/**
 * A Matrix-level error: an errcode, a human message, and the HTTP status it came with or goes out
 * with.
 *
 * <p>Thrown by our own API handlers (the failure handler writes {@code {"errcode","error"}}) and
 * returned by the client-server client for homeserver errors. No stack trace: these are expected
 * outcomes, and 4xx are logged without one.
 */
public final class MatrixException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final ErrCode errCode;
  private final String rawErrCode;
  private final int httpStatus;
  private final JsonObject body;

  public MatrixException(ErrCode errCode, String message) {
    this(errCode, errCode.name(), errCode.httpStatus(), message, new JsonObject());
  }

  public MatrixException(
      ErrCode errCode, String rawErrCode, int httpStatus, String message, JsonObject body) {
    super(message, null, false, false);
    this.errCode = errCode;
    this.rawErrCode = rawErrCode;
    this.httpStatus = httpStatus;
    this.body = body;
  }

  public ErrCode errCode() {
    return errCode;
  }

  /** The code exactly as the homeserver sent it, also when {@link #errCode()} is M_UNKNOWN. */
  public String rawErrCode() {
    return rawErrCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The full error body, for fields such as {@code retry_after_ms} or {@code status}. */
  public JsonObject body() {
    return body;
  }

  public JsonObject toJson() {
    return new JsonObject().put("errcode", rawErrCode).put("error", getMessage());
  }

  @Override
  public String toString() {
    return httpStatus + " " + rawErrCode + ": " + getMessage();
  }
}
