package be.praatbrug.bridge.ledger;

import java.util.Locale;
import java.util.Set;

/**
 * What a ledger entry records, with the fields each kind must and may carry.
 *
 * <p>Fields come in two sorts. Public fields ({@link #required()}, {@link #optional()}) are facts
 * an inspector or the client file needs and that do not identify a person on their own: versions,
 * hashes, times, room and session ids, the counsellor's Matrix id. Personal fields
 * ({@link #personal()}), such as a guardian's name, are stored only encrypted under the client's
 * own key, so that erasing the client destroys them without breaking the chain (see
 * {@link FieldSealer}).
 *
 * <p>The wire name ({@link #wireName()}) is what the signed entry contains; never rename one that
 * has shipped, or old signatures stop verifying.
 */
public enum EntryKind {
  /**
   * {@code guardian_in_session}: a child under 12 whose parent agrees on their own place in the
   * family session, instead of a guardian named here.
   */
  CONSENT_GIVEN(true,
      Set.of("organisation", "consent_version", "consent_sha256", "language", "channel",
          "under_12"),
      Set.of("guardian_in_session"), Set.of("guardian_name")),
  CONSENT_WITHDRAWN(true,
      Set.of("organisation", "consent_version", "channel"), Set.of(), Set.of()),
  /** A session began; in a family session under each participant's record, with their place. */
  SESSION_STARTED(true,
      Set.of("session_id", "counsellor", "started_at"), Set.of("room_id", "place"), Set.of()),
  SESSION_ENDED(true,
      Set.of("session_id", "counsellor", "started_at", "ended_at", "duration_seconds"),
      Set.of("room_id", "place"), Set.of()),
  KNOCK_ADMITTED(true, Set.of("room_id"), Set.of("counsellor", "via"), Set.of()),
  /** A knock turned away; under the room's client record, or none while the room has no client yet. */
  KNOCK_DENIED(false, Set.of("room_id", "reason"), Set.of("counsellor", "via"), Set.of()),
  POLICY_VIOLATION_REMOVED(false, Set.of("room_id", "rule", "removed"), Set.of("event_id"),
      Set.of("removed_user")),
  /** A warm referral began: {@code partner} may join until {@code until}. */
  REFERRAL_STARTED(true, Set.of("room_id", "referrer", "partner", "until"), Set.of(), Set.of()),
  /** The referring counsellor left: {@code partner} is now the room's counsellor. */
  REFERRAL_COMPLETED(true, Set.of("room_id", "referrer", "partner"), Set.of(), Set.of()),
  /** A referral ended without a takeover ({@code reason}: expired, partner_left). */
  REFERRAL_ENDED(true, Set.of("room_id", "referrer", "partner", "reason"), Set.of(), Set.of()),
  /** A session was planned ({@code !afspraak}): times only, under the record when it has one. */
  APPOINTMENT_PLANNED(false, Set.of("appointment_id", "room_id", "counsellor", "starts_at", "ends_at"),
      Set.of(), Set.of()),
  /** A planned session moved from {@code previous_starts_at} to {@code starts_at}. */
  APPOINTMENT_MOVED(false, Set.of("appointment_id", "room_id", "counsellor", "starts_at", "ends_at",
      "previous_starts_at"), Set.of(), Set.of()),
  APPOINTMENT_CANCELLED(false, Set.of("appointment_id", "room_id", "counsellor", "starts_at",
      "ends_at"), Set.of(), Set.of()),
  /** A planned slot ended and no session ever started in its room: a no-show. */
  APPOINTMENT_MISSED(false, Set.of("appointment_id", "room_id", "counsellor", "starts_at",
      "ends_at"), Set.of(), Set.of()),
  /**
   * A counsellor took someone from the door's waiting line into a new room, after they waited
   * {@code waited_seconds}; never their nickname or question.
   */
  DOOR_TAKEN(true, Set.of("room_id", "counsellor", "waited_seconds"), Set.of(), Set.of()),
  RETENTION_PURGE(false, Set.of("room_id", "cutoff"), Set.of("purge_id", "reason"), Set.of()),
  /** Retention deleted a room's files from the media store: how many and their bytes, never which. */
  RETENTION_FILES_DELETED(false, Set.of("room_id", "cutoff", "files", "bytes"), Set.of(), Set.of()),
  /** Recorded by {@link Ledger#erase}: the chain shows that and when a client was erased. */
  PERSONAL_DATA_ERASED(true, Set.of(), Set.of("requested_via"), Set.of());

  private final boolean needsClient;
  private final Set<String> required;
  private final Set<String> optional;
  private final Set<String> personal;

  EntryKind(boolean needsClient, Set<String> required, Set<String> optional, Set<String> personal) {
    this.needsClient = needsClient;
    this.required = required;
    this.optional = optional;
    this.personal = personal;
  }

  /** Whether an entry of this kind must name a client reference. */
  public boolean needsClient() {
    return needsClient;
  }

  public Set<String> required() {
    return required;
  }

  public Set<String> optional() {
    return optional;
  }

  public Set<String> personal() {
    return personal;
  }

  /** The name inside signed entries and exports, e.g. {@code consent_given}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kind for a wire name; fails with the unknown name. */
  public static EntryKind fromWireName(String wireName) {
    for (EntryKind kind : values()) {
      if (kind.wireName().equals(wireName)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown ledger entry kind: " + wireName);
  }
}
