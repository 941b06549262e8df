package be.praatbrug.bridge.matrix;

/**
 * The Matrix error codes Praatbrug sends or branches on, each with the HTTP status it travels with.
 *
 * <p>One list for both directions: the appservice API answers with these, and the client-server
 * client turns homeserver errors back into them so callers can branch on codes, not strings.
 */
public enum ErrCode {
  M_FORBIDDEN(403),
  M_UNAUTHORIZED(401),
  M_MISSING_TOKEN(401),
  M_UNKNOWN_TOKEN(401),
  M_NOT_JSON(400),
  M_BAD_JSON(400),
  M_INVALID_PARAM(400),
  M_NOT_FOUND(404),
  M_UNRECOGNIZED(404),
  M_TOO_LARGE(413),
  M_LIMIT_EXCEEDED(429),
  M_USER_IN_USE(400),
  M_UNKNOWN(500),
  // Appservice ping failures (client-server API, POST /appservice/{id}/ping).
  M_URL_NOT_SET(400),
  M_CONNECTION_FAILED(502),
  M_CONNECTION_TIMEOUT(504),
  M_BAD_STATUS(502);

  private final int httpStatus;

  ErrCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** Parses a code from a homeserver response; codes we do not know become {@link #M_UNKNOWN}. */
  public static ErrCode parse(String errcode) {
    if (errcode == null) {
      return M_UNKNOWN;
    }
    try {
      return valueOf(errcode);
    } catch (IllegalArgumentException unknown) {
      return M_UNKNOWN;
    }
  }
}
