package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.SessionExport;
import be.praatbrug.bridge.ledger.SessionRow;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * What the organisation keeps about a client, for the client's own page: from the ledger, which
 * kinds of entries with their dates (consents, sessions with start, end and duration, admissions,
 * removals), whether a counsellor's label exists (not the label), how long messages stay on the
 * server, and whom to ask for a correction or erasure. Never content, never a name, never another
 * person's id.
 *
 * <p>Pure: builds the answer from what the caller read.
 */
final class RecordSummary {

  /** Entry kinds the page lists one by one as "events", by wire name. */
  private static final Set<EntryKind> EVENTS = Set.of(EntryKind.KNOCK_ADMITTED,
      EntryKind.KNOCK_DENIED, EntryKind.POLICY_VIOLATION_REMOVED, EntryKind.REFERRAL_STARTED,
      EntryKind.REFERRAL_COMPLETED, EntryKind.REFERRAL_ENDED, EntryKind.PERSONAL_DATA_ERASED);

  private RecordSummary() {}

  static JsonObject of(String clientRef, ClientRecord record, List<LedgerEntry> entries,
      ConsentService.Standing standing, Policy policy) {
    JsonArray consents = new JsonArray();
    JsonArray events = new JsonArray();
    for (LedgerEntry entry : entries) {
      if (entry.kind() == EntryKind.CONSENT_GIVEN || entry.kind() == EntryKind.CONSENT_WITHDRAWN) {
        consents.add(new JsonObject()
            .put("given", entry.kind() == EntryKind.CONSENT_GIVEN)
            .put("at", entry.at().toEpochMilli())
            .put("version", entry.field("consent_version"))
            .put("channel", entry.field("channel"))
            .put("guardian", "true".equals(entry.field("under_12"))));
      } else if (EVENTS.contains(entry.kind())) {
        events.add(new JsonObject().put("kind", entry.kind().wireName())
            .put("at", entry.at().toEpochMilli()));
      }
    }
    JsonArray sessions = new JsonArray();
    for (SessionRow row : SessionExport.rows(entries, null, null)) {
      sessions.add(new JsonObject()
          .put("started_at", row.startedAt().toEpochMilli())
          .put("ended_at", row.endedAt() == null ? null : row.endedAt().toEpochMilli())
          .put("duration_seconds", row.durationSeconds()));
    }
    JsonObject consent = new JsonObject().put("status", standing.status().wireName());
    standing.latest().ifPresent(latest -> consent.put("at", latest.at().toEpochMilli())
        .put("version", latest.version()));
    Policy.Privacy privacy = policy.privacy();
    return new JsonObject()
        .put("client_ref", clientRef)
        .put("record_since", record == null ? null : record.createdAt().toEpochMilli())
        .put("consent", consent)
        .put("consents", consents)
        .put("sessions", sessions)
        .put("events", events)
        .put("label", record != null && record.hasLabel())
        .put("messages_kept_days", policy.maxLifetime().toDays())
        .put("contact", privacy == null ? null : new JsonObject()
            .put("contact", privacy.contact())
            .put("email", privacy.email())
            .put("phone", privacy.phone())
            .put("url", privacy.url()));
  }
}
