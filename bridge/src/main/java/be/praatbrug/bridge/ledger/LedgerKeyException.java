package be.praatbrug.bridge.ledger;

/** The ledger key file cannot be read, created or opened; the message names the key to fix. */
public final class LedgerKeyException extends Exception {

  private static final long serialVersionUID = 1L;

  public LedgerKeyException(String message) {
    super(message);
  }

  public LedgerKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
