package be.praatbrug.crypto;

/**
 * A message, key or session that cannot be used. The reasons mirror libolm's error codes so that
 * logs and tests can be compared with other Matrix clients; the message never holds key material
 * or plaintext.
 */
public final class CryptoException extends RuntimeException {

  /** Why an operation was refused. */
  public enum Reason {
    BAD_MESSAGE_VERSION,
    BAD_MESSAGE_FORMAT,
    BAD_MESSAGE_MAC,
    BAD_MESSAGE_KEY_ID,
    BAD_SIGNATURE,
    UNKNOWN_MESSAGE_INDEX,
    BAD_SESSION_KEY,
    BAD_INPUT,
    BAD_PASSPHRASE_OR_FILE
  }

  private final Reason reason;

  public CryptoException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
