package be.praatbrug.bridge.entry;

import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * What the client page sends when the client agrees: the code, a first name or pseudonym, and for
 * a child under 12 the name of the parent or guardian who consents.
 *
 * @param guardianName {@code null} unless the client is under 12 and a guardian is named here
 * @param language the language the consent text was shown in ({@code nl} or {@code en})
 * @param guardianInSession a child under 12 whose parent takes part in the family session and
 *     agrees on their own place (then no guardian is named here)
 */
record GuestRequest(String code, String name, String guardianName, String consentVersion,
    String language, boolean guardianInSession) {

  GuestRequest(String code, String name, String guardianName, String consentVersion,
      String language) {
    this(code, name, guardianName, consentVersion, language, false);
  }

  /** Letters (any script), digits, spaces and the punctuation of names; no markup, no ids. */
  private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{M}\\p{N} .'’-]+");
  static final int MAX_NAME = 40;
  static final int MAX_GUARDIAN = 80;

  /** A field the client must correct; {@link #field()} names it for the page. */
  static final class Invalid extends Exception {
    private final String field;

    Invalid(String field, String message) {
      super(message);
      this.field = field;
    }

    String field() {
      return field;
    }
  }

  static GuestRequest from(JsonObject body) throws Invalid {
    String code = text(body, "code");
    if (code.isEmpty()) {
      throw new Invalid("code", "code is missing");
    }
    String name = name(body, "name", MAX_NAME);
    Object under12Value = body.getValue("under_12") == null ? Boolean.FALSE : body.getValue("under_12");
    if (!(under12Value instanceof Boolean under12)) {
      throw new Invalid("under_12", "under_12 must be true or false");
    }
    Object inSessionValue = body.getValue("guardian_in_session") == null ? Boolean.FALSE
        : body.getValue("guardian_in_session");
    if (!(inSessionValue instanceof Boolean inSession) || (inSession && !under12)) {
      throw new Invalid("guardian_in_session", "guardian_in_session must be true or false, and true"
          + " only for a child under 12");
    }
    // A parent who takes part in the family session agrees on their own place, not here.
    String guardian = under12 && !inSession ? name(body, "guardian_name", MAX_GUARDIAN) : null;
    if (under12 && !inSession && !Boolean.TRUE.equals(body.getValue("guardian_consents"))) {
      throw new Invalid("guardian_consents", "a parent or guardian must agree for a child under 12");
    }
    if (!Boolean.TRUE.equals(body.getValue("agreed"))) {
      throw new Invalid("agreed", "agreement to the consent text is missing");
    }
    String version = text(body, "consent_version");
    if (version.isEmpty()) {
      throw new Invalid("consent_version", "consent_version is missing");
    }
    String language = text(body, "language");
    if (!language.equals("nl") && !language.equals("en")) {
      throw new Invalid("language", "language must be nl or en");
    }
    return new GuestRequest(code, name, guardian, version, language, inSession);
  }

  /**
   * A returning client's request: their consent to {@code consent_version} is on record, so the
   * form is not filled in again. The name is optional here ("Cliënt" / "Client" when left empty):
   * the counsellor knows the record.
   */
  static GuestRequest returning(JsonObject body) throws Invalid {
    String code = text(body, "code");
    if (code.isEmpty()) {
      throw new Invalid("code", "code is missing");
    }
    String version = text(body, "consent_version");
    if (version.isEmpty()) {
      throw new Invalid("consent_version", "consent_version is missing");
    }
    String language = text(body, "language");
    if (!language.equals("nl") && !language.equals("en")) {
      throw new Invalid("language", "language must be nl or en");
    }
    String name = text(body, "name").isEmpty() ? (language.equals("en") ? "Client" : "Cliënt")
        : name(body, "name", MAX_NAME);
    return new GuestRequest(code, name, null, version, language);
  }

  private static String name(JsonObject body, String field, int max) throws Invalid {
    String value = text(body, field);
    if (value.isEmpty()) {
      throw new Invalid(field, field + " is missing");
    }
    if (value.length() > max || !NAME.matcher(value).matches()) {
      throw new Invalid(field, field + " must be at most " + max
          + " letters, digits, spaces, dots, hyphens or apostrophes");
    }
    return value;
  }

  private static String text(JsonObject body, String field) throws Invalid {
    Object value = body.getValue(field);
    if (value == null) {
      return "";
    }
    if (!(value instanceof String string)) {
      throw new Invalid(field, field + " must be a string");
    }
    return string.strip().replaceAll("\\s+", " ");
  }

  /** The name is personal data: never in logs. */
  @Override
  public String toString() {
    return "GuestRequest[language=" + language + ", consentVersion=" + consentVersion
        + ", under12=" + (guardianName != null || guardianInSession) + "]";
  }
}
