package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.clients.ClientRecord;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.ledger.ConsentDecision;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.policy.clients.ConsentStatus;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecordSummaryTest {

  private static final Instant T0 = Instant.parse("2026-12-03T09:00:00Z");
  private static final String REF = "C-7K3P-9Q2M";
  private static final Policy POLICY = new Policy("caw", "caw", "nl-BE", 2, "knock", true, "joined",
      "forbidden", Policy.PowerLevels.DEFAULT, Duration.ofDays(30), List.of("caw.test"), true, true,
      true, Duration.ofHours(24), true, Policy.COUNSELLING, null,
      new Policy.Privacy("de DPO van het CAW", "privacy@caw.test", null, null));

  private static List<LedgerEntry> signed(List<EntryDraft> drafts) {
    OrgKeys keys = OrgKeys.generate(new SecureRandom());
    List<LedgerEntry> entries = new ArrayList<>();
    String previous = "0".repeat(64);
    for (EntryDraft draft : drafts) {
      LedgerEntry entry = LedgerEntry.sign(keys, entries.size() + 1, previous, draft,
          new TreeMap<>(draft.personalFields().isEmpty() ? Map.of() : Map.of("guardian_name", "sealed")));
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  @Test
  void tellsTheClientKindsDatesAndDurationsButNoIdsNamesOrLabel() {
    ConsentText text = new ConsentText("caw", "v1", "nl", "ab".repeat(32), "# Toestemming");
    List<LedgerEntry> entries = signed(List.of(
        Entries.consentGiven(REF, text, "link", "An Peeters", T0),
        Entries.knockAdmitted(REF, "!r:caw.test", "@counsellor:caw.test", "code", T0.plusSeconds(30)),
        Entries.sessionStarted(REF, "s-1", "!r:caw.test", "@counsellor:caw.test", T0.plusSeconds(60)),
        Entries.policyViolationRemoved(REF, "!r:caw.test", "third_member", "member", null,
            "@stranger:caw.test", T0.plusSeconds(90)),
        Entries.sessionEnded(REF, "s-1", "!r:caw.test", "@counsellor:caw.test", T0.plusSeconds(60),
            T0.plusSeconds(2760))));
    ClientRecord record = new ClientRecord(REF, ClientRecord.LINK, T0, "@counsellor:caw.test", true,
        false, null);
    ConsentService.Standing standing = new ConsentService.Standing(ConsentStatus.GIVEN,
        Optional.of(new ConsentDecision(true, "v1", "link", T0, true)));

    JsonObject summary = RecordSummary.of(REF, record, entries, standing, POLICY);

    assertEquals(REF, summary.getString("client_ref"));
    assertEquals("given", summary.getJsonObject("consent").getString("status"));
    assertTrue(summary.getJsonArray("consents").getJsonObject(0).getBoolean("guardian"));
    assertEquals(2700L, summary.getJsonArray("sessions").getJsonObject(0).getLong("duration_seconds"));
    assertEquals(List.of("knock_admitted", "policy_violation_removed"), summary.getJsonArray("events")
        .stream().map(event -> ((JsonObject) event).getString("kind")).toList());
    assertTrue(summary.getBoolean("label"));
    assertEquals(30L, summary.getLong("messages_kept_days"));
    assertEquals("privacy@caw.test", summary.getJsonObject("contact").getString("email"));
    String all = summary.encode();
    for (String secret : List.of("@counsellor", "@stranger", "An Peeters", "!r:caw.test", "sealed")) {
      assertFalse(all.contains(secret), secret + " in " + all);
    }
  }
}
