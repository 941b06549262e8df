package be.praatbrug.policy.rules;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rules an organisation sets for its counselling rooms, as loaded from a policy file.
 *
 * <p>Immutable; the bridge swaps in a new instance when an admin reloads the files, and the next
 * reconciliation makes existing rooms follow it.
 *
 * @param name the file name without {@code .yaml}; what {@code !gesprek nieuw <name>} refers to
 * @param privacy whom clients ask to see, correct or erase their data, or {@code null} (then the
 *     client page sends them to their counsellor)
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
    boolean knockCodeSingleUse,
    String kind,
    Referral referral,
    Privacy privacy,
    Attachments attachments,
    Appointments appointments,
    Desk desk,
    be.praatbrug.policy.door.DoorSettings door) {

  /** One-to-one rooms between a counsellor and a client, entered by knocking. */
  public static final String COUNSELLING = "counselling";
  /** Rooms where professionals of partner organisations consult each other; never clients. */
  public static final String OVERLEG = "overleg";
  /**
   * Counselling rooms for a small group the counsellor names in advance (a pupil and a parent, a
   * client and an interpreter): each person has a place with its own code and consent.
   */
  public static final String FAMILY = "gezin";
  /** Most people in a family session: the counsellor and three named participants. */
  public static final int FAMILY_MAX_HUMANS = 4;

  public Policy {
    allowedServers = List.copyOf(allowedServers);
    attachments = attachments == null ? Attachments.DEFAULT : attachments;
    appointments = appointments == null ? Appointments.DEFAULT : appointments;
    desk = desk == null ? Desk.DEFAULT : desk;
    if (!kind.equals(COUNSELLING) && !kind.equals(OVERLEG) && !kind.equals(FAMILY)) {
      throw new IllegalArgumentException("kind must be counselling, overleg or gezin: " + kind);
    }
  }

  /** A policy without a door (anonymous first contact). */
  public Policy(String name, String organisation, String language, int maxHumans, String joinRule,
      boolean encryptionRequired, String historyVisibility, String guestAccess,
      PowerLevels powerLevels, Duration maxLifetime, List<String> allowedServers, boolean callWidget,
      boolean screenShare, boolean consentRequired, Duration knockCodeLifetime,
      boolean knockCodeSingleUse, String kind, Referral referral, Privacy privacy,
      Attachments attachments, Appointments appointments, Desk desk) {
    this(name, organisation, language, maxHumans, joinRule, encryptionRequired, historyVisibility,
        guestAccess, powerLevels, maxLifetime, allowedServers, callWidget, screenShare,
        consentRequired, knockCodeLifetime, knockCodeSingleUse, kind, referral, privacy, attachments,
        appointments, desk, null);
  }

  /** Whether people can reach this policy's counsellors anonymously, through the door. */
  public boolean hasDoor() {
    return door != null;
  }

  /** A policy with the default attachment and appointment rules. */
  public Policy(String name, String organisation, String language, int maxHumans, String joinRule,
      boolean encryptionRequired, String historyVisibility, String guestAccess,
      PowerLevels powerLevels, Duration maxLifetime, List<String> allowedServers, boolean callWidget,
      boolean screenShare, boolean consentRequired, Duration knockCodeLifetime,
      boolean knockCodeSingleUse, String kind, Referral referral, Privacy privacy) {
    this(name, organisation, language, maxHumans, joinRule, encryptionRequired, historyVisibility,
        guestAccess, powerLevels, maxLifetime, allowedServers, callWidget, screenShare,
        consentRequired, knockCodeLifetime, knockCodeSingleUse, kind, referral, privacy, null, null, null);
  }

  /** A policy with the default appointment rules. */
  public Policy(String name, String organisation, String language, int maxHumans, String joinRule,
      boolean encryptionRequired, String historyVisibility, String guestAccess,
      PowerLevels powerLevels, Duration maxLifetime, List<String> allowedServers, boolean callWidget,
      boolean screenShare, boolean consentRequired, Duration knockCodeLifetime,
      boolean knockCodeSingleUse, String kind, Referral referral, Privacy privacy,
      Attachments attachments) {
    this(name, organisation, language, maxHumans, joinRule, encryptionRequired, historyVisibility,
        guestAccess, powerLevels, maxLifetime, allowedServers, callWidget, screenShare,
        consentRequired, knockCodeLifetime, knockCodeSingleUse, kind, referral, privacy, attachments,
        null, null);
  }

  /**
   * Which files the room's pages let people share (end to end encrypted): at most
   * {@code maxBytes} each, of these MIME types. {@code maxBytes} 0 turns files off.
   */
  public record Attachments(long maxBytes, List<String> types) {
    public static final Attachments DEFAULT = new Attachments(10_000_000L,
        List.of("image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"));

    public Attachments {
      types = List.copyOf(types);
    }
  }

  /**
   * Planned sessions ({@code !afspraak}).
   *
   * @param openBefore how long before the start the link and code let the client in
   * @param reminderBefore how long before the start the counsellor is reminded
   * @param defaultLength a session's length when the counsellor names none
   */
  public record Appointments(Duration openBefore, Duration reminderBefore, Duration defaultLength) {
    public static final Appointments DEFAULT =
        new Appointments(Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofMinutes(45));
  }

  /**
   * The counsellor page.
   *
   * @param idleLock after how long without a key press, click or touch the page locks and asks her
   *     to sign in again (her device and history stay)
   */
  public record Desk(Duration idleLock) {
    public static final Desk DEFAULT = new Desk(Duration.ofMinutes(15));
  }

  /** A policy without a privacy contact. */
  public Policy(String name, String organisation, String language, int maxHumans, String joinRule,
      boolean encryptionRequired, String historyVisibility, String guestAccess,
      PowerLevels powerLevels, Duration maxLifetime, List<String> allowedServers, boolean callWidget,
      boolean screenShare, boolean consentRequired, Duration knockCodeLifetime,
      boolean knockCodeSingleUse, String kind, Referral referral) {
    this(name, organisation, language, maxHumans, joinRule, encryptionRequired, historyVisibility,
        guestAccess, powerLevels, maxLifetime, allowedServers, callWidget, screenShare,
        consentRequired, knockCodeLifetime, knockCodeSingleUse, kind, referral, null);
  }

  /**
   * Where a client turns to see, correct or erase what the organisation keeps about them (the
   * client page shows it). {@code email}, {@code phone} and {@code url} may each be {@code null}.
   *
   * @param contact who that is, e.g. "de verantwoordelijke voor gegevensbescherming van het CAW"
   */
  public record Privacy(String contact, String email, String phone, String url) {}

  /** A counselling policy without referrals, as policies were before both existed. */
  public Policy(String name, String organisation, String language, int maxHumans, String joinRule,
      boolean encryptionRequired, String historyVisibility, String guestAccess,
      PowerLevels powerLevels, Duration maxLifetime, List<String> allowedServers, boolean callWidget,
      boolean screenShare, boolean consentRequired, Duration knockCodeLifetime,
      boolean knockCodeSingleUse) {
    this(name, organisation, language, maxHumans, joinRule, encryptionRequired, historyVisibility,
        guestAccess, powerLevels, maxLifetime, allowedServers, callWidget, screenShare,
        consentRequired, knockCodeLifetime, knockCodeSingleUse, COUNSELLING, null);
  }

  /**
   * Warm referral: a counsellor may bring exactly one professional of an allowed server into a
   * running session for a bounded time, then leaves the room to them.
   *
   * @param handover how long the extra member is allowed; afterwards the room is one-to-one again
   */
  public record Referral(Duration handover) {
    public Referral {
      if (handover.isNegative() || handover.isZero()) {
        throw new IllegalArgumentException("handover must be positive: " + handover);
      }
    }
  }

  public boolean isOverleg() {
    return OVERLEG.equals(kind);
  }

  /** A family session's policy: a counselling room whose people all hold a named place. */
  public boolean isFamily() {
    return FAMILY.equals(kind);
  }

  /** How many named places a family room has beside the client's own; 0 for other rooms. */
  public int extraPlaces() {
    return isFamily() ? maxHumans - 2 : 0;
  }

  public boolean allowsReferral() {
    return referral != null;
  }

  /**
   * The allowed servers as {@code m.room.server_acl} wants them. Servers check a remote server's
   * host against the ACL, without port, so every entry is there as a host; a name with a port is
   * there as written too, because Synapse checks its own full server name when it sends an ACL
   * and refuses one that would shut itself out.
   */
  public List<String> aclServers() {
    return allowedServers.stream()
        .flatMap(server -> server.equals(hostOf(server)) ? Stream.of(server) : Stream.of(hostOf(server), server))
        .distinct().toList();
  }

  /** Host names only, for telling people which servers are partners. */
  public List<String> partnerHosts() {
    return allowedServers.stream().map(Policy::hostOf).distinct().toList();
  }

  /** {@code caw.test:18641} → {@code caw.test}. */
  public static String hostOf(String server) {
    return server.replaceFirst(":[0-9]+$", "");
  }

  /** Power levels for counselling rooms; the bot always holds 100, clients {@code users_default} 0. */
  public record PowerLevels(
      int counsellor, int invite, int kick, int ban, int redact, int stateDefault, int eventsDefault) {

    public static final PowerLevels DEFAULT = new PowerLevels(50, 50, 50, 100, 50, 100, 0);
  }

  /** Whether a user id's server may take part in rooms under this policy (exact match, ports ignored). */
  public boolean allowsServerOf(String userId) {
    String host = hostOf(be.praatbrug.policy.MatrixEvent.serverOf(userId));
    return allowedServers.stream().anyMatch(allowed -> hostOf(allowed).equals(host));
  }
}
