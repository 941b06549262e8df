package be.praatbrug.bridge.web;

/**
 * A request refused with a Matrix-style error ({@code {"errcode", "error"}} and an HTTP status);
 * {@link JsonReplies#fail} turns it into the response. Carries no stack trace: it is an answer,
 * not a fault.
 */
public final class ApiRefusal extends RuntimeException {

  private final int status;
  private final String errcode;

  public ApiRefusal(int status, String errcode, String message) {
    super(message, null, false, false);
    this.status = status;
    this.errcode = errcode;
  }

  public int status() {
    return status;
  }

  public String errcode() {
    return errcode;
  }
}
