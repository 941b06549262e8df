package be.praatbrug.policy.clients;

/**
 * Where a client record stands with consent, against the organisation's current consent text.
 *
 * <p>Consent is asked once per client record and text version, and then holds until it is
 * withdrawn (the sector's own guidance): a returning client confirms and continues, a withdrawn
 * consent or a new text version asks again.
 */
public enum ConsentStatus {
  /** The latest decision is a consent to the current version: nothing to ask. */
  GIVEN,
  /** No consent on record for this record (a new client). */
  NONE,
  /** The latest decision withdrew consent: ask again. */
  WITHDRAWN,
  /** Consent was given to an older version of the text: ask again for the current one. */
  NEW_VERSION;

  /**
   * @param latestGiven the record's latest consent decision for the organisation: {@code true} a
   *     consent, {@code false} a withdrawal, {@code null} none (or none that checks out)
   * @param latestVersion the text version that decision names
   * @param currentVersion the organisation's current text version
   */
  public static ConsentStatus of(Boolean latestGiven, String latestVersion, String currentVersion) {
    if (latestGiven == null) {
      return NONE;
    }
    if (!latestGiven) {
      return WITHDRAWN;
    }
    return currentVersion != null && currentVersion.equals(latestVersion) ? GIVEN : NEW_VERSION;
  }

  /** Whether the client must read and agree (again) before being let in. */
  public boolean mustAsk() {
    return this != GIVEN;
  }

  /** The wire name for the client page: {@code given}, {@code none}, ... */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
