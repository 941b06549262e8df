package be.praatbrug.bridge.ledger;

/**
 * One version of an organisation's consent text in one language, as shown to a client.
 *
 * <p>The ledger records {@link #version()} and {@link #sha256()} with every consent, so an
 * inspector can later check which exact words the client (or guardian) agreed to, even after the
 * text has moved on to a new version.
 *
 * @param organisation folder name under the consent directory, e.g. {@code caw}
 * @param version e.g. {@code v1}
 * @param language e.g. {@code nl} or {@code en}
 * @param sha256 hex SHA-256 of the file's bytes
 */
public record ConsentText(String organisation, String version, String language, String sha256,
    String text) {

  /** {@code caw/v1.nl.md}: where it lives under the consent directory. */
  public String path() {
    return organisation + "/" + version + "." + language + ".md";
  }
}
