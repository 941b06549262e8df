package be.praatbrug.bridge.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Typed builders for every kind of ledger entry: the vocabulary the rooms, knock and consent code
 * use with {@link Ledger#append(EntryDraft)}.
 *
 * <p>Pure: builds and validates drafts, touches nothing. Ids passed in (room, session, event,
 * counsellor) are Matrix ids or opaque ids; a client is only ever named by its pseudonymous
 * reference. Consent channels in use: {@code matrix} (consent step with the bot), {@code web} and
 * {@code link} (the client page), {@code door} (the door, anonymous), {@code counsellor} (recorded
 * by the counsellor after a paper or spoken consent).
 */
public final class Entries {

  private Entries() {}

  /**
   * The client (or, under 12, the parent or guardian named) agreed to {@code text}.
   *
   * @param guardianName the consenting parent's or guardian's name when the client is under 12,
   *     else {@code null}; stored only encrypted under the client's key
   */
  public static EntryDraft consentGiven(String clientRef, ConsentText text, String channel,
      String guardianName, Instant at) {
    return consentGiven(clientRef, text, channel, guardianName, false, at);
  }

  /**
   * The same, where a child under 12 says their parent takes part in the family session and
   * agrees on their own place ({@code guardianInSession}): the child's consent counts only while
   * the holder of a place the counsellor named a parent's ({@code !gesprek ouder}) is in the
   * session with an adult's consent on record (see {@code ConsentService}).
   */
  public static EntryDraft consentGiven(String clientRef, ConsentText text, String channel,
      String guardianName, boolean guardianInSession, Instant at) {
    Map<String, String> fields = new java.util.HashMap<>(Map.of(
        "organisation", text.organisation(),
        "consent_version", text.version(),
        "consent_sha256", text.sha256(),
        "language", text.language(),
        "channel", channel,
        "under_12", Boolean.toString(guardianName != null || guardianInSession)));
    if (guardianInSession) {
      fields.put("guardian_in_session", "true");
    }
    Map<String, String> personal = guardianName == null ? Map.of()
        : Map.of("guardian_name", guardianName);
    return EntryDraft.of(EntryKind.CONSENT_GIVEN, at, clientRef, fields, personal);
  }

  public static EntryDraft consentWithdrawn(String clientRef, String organisation,
      String consentVersion, String channel, Instant at) {
    return EntryDraft.of(EntryKind.CONSENT_WITHDRAWN, at, clientRef, Map.of(
        "organisation", organisation, "consent_version", consentVersion, "channel", channel),
        Map.of());
  }

  public static EntryDraft sessionStarted(String clientRef, String sessionId, String roomId,
      String counsellor, Instant startedAt) {
    return EntryDraft.of(EntryKind.SESSION_STARTED, startedAt, clientRef, Map.of(
        "session_id", sessionId, "room_id", roomId, "counsellor", counsellor,
        "started_at", CanonicalForm.time(startedAt)), Map.of());
  }

  /** Carries start, end and whole-second duration, so one entry is enough for the client file. */
  public static EntryDraft sessionEnded(String clientRef, String sessionId, String roomId,
      String counsellor, Instant startedAt, Instant endedAt) {
    if (endedAt.isBefore(startedAt)) {
      throw new IllegalArgumentException("session " + sessionId + " ends (" + endedAt
          + ") before it starts (" + startedAt + ")");
    }
    return EntryDraft.of(EntryKind.SESSION_ENDED, endedAt, clientRef, Map.of(
        "session_id", sessionId, "room_id", roomId, "counsellor", counsellor,
        "started_at", CanonicalForm.time(startedAt), "ended_at", CanonicalForm.time(endedAt),
        "duration_seconds", Long.toString(Duration.between(startedAt, endedAt).toSeconds())),
        Map.of());
  }

  /**
   * A participant of a family session on named place {@code place} took part in session
   * {@code sessionId}: the session's start under their own record, from when they came in.
   */
  public static EntryDraft sessionJoined(String clientRef, int place, String sessionId,
      String roomId, String counsellor, Instant joinedAt) {
    return EntryDraft.of(EntryKind.SESSION_STARTED, joinedAt, clientRef, Map.of(
        "session_id", sessionId, "room_id", roomId, "counsellor", counsellor,
        "started_at", CanonicalForm.time(joinedAt), "place", Integer.toString(place)), Map.of());
  }

  /** The family session's end under a participant's own record (see {@link #sessionJoined}). */
  public static EntryDraft sessionLeft(String clientRef, int place, String sessionId,
      String roomId, String counsellor, Instant startedAt, Instant endedAt) {
    EntryDraft ended = sessionEnded(clientRef, sessionId, roomId, counsellor, startedAt, endedAt);
    Map<String, String> fields = new java.util.HashMap<>(ended.fields());
    fields.put("place", Integer.toString(place));
    return EntryDraft.of(EntryKind.SESSION_ENDED, endedAt, clientRef, fields, Map.of());
  }

  /** @param via how the client came in, e.g. {@code code} or {@code link} */
  public static EntryDraft knockAdmitted(String clientRef, String roomId, String counsellor,
      String via, Instant at) {
    return EntryDraft.of(EntryKind.KNOCK_ADMITTED, at, clientRef, Map.of(
        "room_id", roomId, "counsellor", counsellor, "via", via), Map.of());
  }

  public static EntryDraft doorTaken(String clientRef, String roomId, String counsellor,
      java.time.Duration waited, Instant at) {
    return EntryDraft.of(EntryKind.DOOR_TAKEN, at, clientRef, Map.of("room_id", roomId,
        "counsellor", counsellor, "waited_seconds", String.valueOf(waited.toSeconds())), Map.of());
  }

  /** @param reason short machine reason, e.g. {@code no_consent}, {@code code_expired} */
  public static EntryDraft knockDenied(String clientRef, String roomId, String reason,
      Instant at) {
    return EntryDraft.of(EntryKind.KNOCK_DENIED, at, clientRef,
        Map.of("room_id", roomId, "reason", reason), Map.of());
  }

  /**
   * The bridge enforced a policy rule by removing something, e.g. a third member.
   *
   * @param clientRef the client of that room, or {@code null}
   * @param removed what was removed: {@code member} or {@code event}
   * @param eventId the removed event, or {@code null}
   * @param removedUser the removed user's Matrix id, or {@code null}; personal, stored encrypted
   *     (needs a {@code clientRef} to have a key to encrypt under)
   */
  public static EntryDraft policyViolationRemoved(String clientRef, String roomId, String rule,
      String removed, String eventId, String removedUser, Instant at) {
    Map<String, String> fields = new HashMap<>(Map.of("room_id", roomId, "rule", rule,
        "removed", removed));
    if (eventId != null) {
      fields.put("event_id", eventId);
    }
    if (removedUser != null && clientRef == null) {
      throw new IllegalArgumentException("a removed user's id is personal: it needs the room's "
          + "client reference to be encrypted under");
    }
    return EntryDraft.of(EntryKind.POLICY_VIOLATION_REMOVED, at, clientRef, fields,
        removedUser == null ? Map.of() : Map.of("removed_user", removedUser));
  }

  /**
   * A warm referral began. Referrer and partner are professionals, named by their Matrix id like
   * the counsellor of a session; the client only by reference.
   */
  public static EntryDraft referralStarted(String clientRef, String roomId, String referrer,
      String partner, Instant until, Instant at) {
    return EntryDraft.of(EntryKind.REFERRAL_STARTED, at, clientRef, Map.of("room_id", roomId,
        "referrer", referrer, "partner", partner, "until", CanonicalForm.time(until)), Map.of());
  }

  public static EntryDraft referralCompleted(String clientRef, String roomId, String referrer,
      String partner, Instant at) {
    return EntryDraft.of(EntryKind.REFERRAL_COMPLETED, at, clientRef, Map.of("room_id", roomId,
        "referrer", referrer, "partner", partner), Map.of());
  }

  /** @param reason {@code expired} or {@code partner_left} */
  public static EntryDraft referralEnded(String clientRef, String roomId, String referrer,
      String partner, String reason, Instant at) {
    return EntryDraft.of(EntryKind.REFERRAL_ENDED, at, clientRef, Map.of("room_id", roomId,
        "referrer", referrer, "partner", partner, "reason", reason), Map.of());
  }

  /**
   * A planned session: {@code kind} is {@link EntryKind#APPOINTMENT_PLANNED},
   * {@link EntryKind#APPOINTMENT_MOVED} (then {@code previousStart} is set) or
   * {@link EntryKind#APPOINTMENT_CANCELLED}. Times only, never what the session is about.
   */
  public static EntryDraft appointment(EntryKind kind, String clientRef, String appointmentId,
      String roomId, String counsellor, Instant start, Instant end, Instant previousStart,
      Instant at) {
    Map<String, String> fields = new HashMap<>(Map.of("appointment_id", appointmentId,
        "room_id", roomId, "counsellor", counsellor, "starts_at", CanonicalForm.time(start),
        "ends_at", CanonicalForm.time(end)));
    if (previousStart != null) {
      fields.put("previous_starts_at", CanonicalForm.time(previousStart));
    }
    return EntryDraft.of(kind, at, clientRef, fields, Map.of());
  }

  /** Room history before {@code cutoff} was purged under the retention policy. */
  public static EntryDraft retentionPurge(String clientRef, String roomId, Instant cutoff,
      String purgeId, Instant at) {
    Map<String, String> fields = new HashMap<>(Map.of("room_id", roomId,
        "cutoff", CanonicalForm.time(cutoff)));
    if (purgeId != null) {
      fields.put("purge_id", purgeId);
    }
    return EntryDraft.of(EntryKind.RETENTION_PURGE, at, clientRef, fields, Map.of());
  }

  /** Retention deleted {@code files} files ({@code bytes} bytes) of a room from the media store. */
  public static EntryDraft retentionFilesDeleted(String clientRef, String roomId, Instant cutoff,
      int files, long bytes, Instant at) {
    return EntryDraft.of(EntryKind.RETENTION_FILES_DELETED, at, clientRef, Map.of("room_id", roomId,
        "cutoff", CanonicalForm.time(cutoff), "files", Integer.toString(files),
        "bytes", Long.toString(bytes)), Map.of());
  }

  /** Recorded by {@link Ledger#erase}. */
  static EntryDraft personalDataErased(String clientRef, String requestedVia, Instant at) {
    return EntryDraft.of(EntryKind.PERSONAL_DATA_ERASED, at, clientRef,
        Map.of("requested_via", requestedVia), Map.of());
  }
}
