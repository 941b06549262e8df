package be.praatbrug.policy.rules;

import java.time.Duration;
import java.util.List;

/**
 * The rules an organisation sets for its counselling rooms, as loaded from a policy file.
 *
 * <p>Immutable; the bridge swaps in a new instance when an admin reloads the files, and the next
 * reconciliation makes existing rooms follow it.
 *
 * @param name the file name without {@code .yaml}; what {@code !gesprek nieuw <name>} refers to
 */
public record Policy(
    String name,
    String organisation,
    String language,
    int maxHumans,
    String joinRule,
    boolean encryptionRequired,
    String historyVisibility,
    String guestAccess,
    PowerLevels powerLevels,
    Duration maxLifetime,
    List<String> allowedServers,
    boolean callWidget,
    boolean screenShare,
    boolean consentRequired,
    Duration knockCodeLifetime,
    boolean knockCodeSingleUse) {

  public Policy {
    allowedServers = List.copyOf(allowedServers);
  }

  /** Power levels for counselling rooms; the bot always holds 100, clients {@code users_default} 0. */
  public record PowerLevels(
      int counsellor, int invite, int kick, int ban, int redact, int stateDefault, int eventsDefault) {

    public static final PowerLevels DEFAULT = new PowerLevels(50, 50, 50, 100, 50, 100, 0);
  }

  /** Whether a user id's server may take part in rooms under this policy (exact match, ports ignored). */
  public boolean allowsServerOf(String userId) {
    String server = be.praatbrug.policy.MatrixEvent.serverOf(userId);
    String host = server.replaceFirst(":[0-9]+$", "");
    return allowedServers.stream().anyMatch(allowed -> allowed.replaceFirst(":[0-9]+$", "").equals(host));
  }
}
