package be.praatbrug.bridge.ledger;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger's exports: consent proof for an inspector, session metadata for the client file, and
 * everything held about one client for a data-subject request.
 *
 * <p>Each export carries the entries exactly as signed ({@code canonical}, {@code hash},
 * {@code signature}) and the public key, so it can be checked offline without Praatbrug: see
 * "Checking a consent proof offline" in the ledger README.
 */
public final class LedgerExports {

  /** Other tables that name clients by reference (migration 02); all their columns are exported. */
  static final List<String> CLIENT_TABLES = List.of("counselling_rooms", "session_records");
  private static final Set<EntryKind> SESSION_KINDS =
      Set.of(EntryKind.SESSION_STARTED, EntryKind.SESSION_ENDED);

  private final Ledger ledger;
  private final Clock clock;

  public LedgerExports(Ledger ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /**
   * Proof of consent for one client: its consent entries as signed, the consent texts they name,
   * the signed head and the public key. Empty {@code entries} means no consent on record.
   */
  public Future<JsonObject> consentProof(String clientRef) {
    Future<List<OpenedEntry>> consents = ledger.entriesOfKinds(Ledger.CONSENT_KINDS, clientRef);
    Future<Optional<ChainHead>> head = ledger.head();
    return Future.all(consents, head).map(both -> new JsonObject()
        .put("format", "praatbrug-consent-proof/1")
        .put("client_ref", clientRef)
        .put("generated_at", clock.instant().toString())
        .put("public_key", publicKeyJson(ledger.publicKey()))
        .put("head", head.result().map(LedgerExports::headJson).orElse(null))
        .put("entries", entriesJson(consents.result()))
        .put("consent_texts", textsJson(consents.result()))
        .put("how_to_verify", "bridge/src/main/java/be/praatbrug/bridge/ledger/README.md, "
            + "section 'Checking a consent proof offline'"));
  }

  /** Sessions of one client ({@code clientRef}) or everyone ({@code null}) started in [from, to). */
  public Future<List<SessionRow>> sessions(String clientRef, Instant from, Instant to) {
    return ledger.entriesOfKinds(SESSION_KINDS, clientRef).map(opened -> SessionExport.rows(
        opened.stream().map(OpenedEntry::entry).toList(), from, to));
  }

  /** Everything Praatbrug holds about {@code clientRef}, personal fields decrypted where possible. */
  public Future<JsonObject> subject(String clientRef) {
    Future<List<OpenedEntry>> entries = ledger.entriesFor(clientRef);
    Future<Map<String, List<Map<String, Object>>>> others =
        ledger.otherRecordsFor(clientRef, CLIENT_TABLES);
    Future<JsonObject> record = clientRecord(clientRef);
    return Future.all(entries, others, record).map(all -> {
      JsonObject records = new JsonObject();
      others.result().forEach((table, rows) -> {
        JsonArray array = new JsonArray();
        rows.forEach(row -> array.add(new JsonObject(new java.util.LinkedHashMap<>(row))));
        records.put(table, array);
      });
      return new JsonObject()
          .put("format", "praatbrug-subject-export/1")
          .put("client_ref", clientRef)
          .put("generated_at", clock.instant().toString())
          .put("about_nl", "Alle gegevens die Praatbrug over deze cliëntreferentie bewaart. "
              + "Praatbrug bewaart nooit de inhoud van gesprekken.")
          .put("about_en", "All data Praatbrug holds about this client reference. Praatbrug "
              + "never stores the content of conversations.")
          .put("client_record", record.result())
          .put("ledger_entries", entriesJson(entries.result()))
          .put("other_records", records)
          .put("public_key", publicKeyJson(ledger.publicKey()));
    });
  }

  /**
   * The client record as the subject may see it: the counsellor's label opened (it is about them),
   * and whether a Matrix account leads to it rather than the keyed hash itself. Null when the
   * reference has no record.
   */
  private Future<JsonObject> clientRecord(String clientRef) {
    return ledger.otherRecordsFor(clientRef, List.of("client_records")).compose(tables -> {
      List<Map<String, Object>> rows = tables.get("client_records");
      if (rows.isEmpty()) {
        return Future.succeededFuture(null);
      }
      Map<String, Object> row = rows.get(0);
      Object sealed = row.get("label_sealed");
      Future<java.util.Optional<String>> label = sealed == null
          ? Future.succeededFuture(java.util.Optional.empty())
          : ledger.clientKeys().open(clientRef, "label", sealed.toString());
      return label.map(opened -> new JsonObject()
          .put("client_ref", clientRef)
          .put("origin", row.get("origin"))
          .put("created_at", time(row.get("created_at")))
          .put("created_by", row.get("created_by"))
          .put("label", opened.orElse(null))
          .put("label_erased", sealed != null && opened.isEmpty())
          .put("matrix_account_linked", row.get("account_hash") != null)
          .put("erased_at", time(row.get("erased_at"))));
    });
  }

  private static String time(Object millis) {
    return millis instanceof Number number
        ? Instant.ofEpochMilli(number.longValue()).toString() : null;
  }

  static JsonObject publicKeyJson(OrgPublicKey key) {
    return new JsonObject()
        .put("algorithm", "Ed25519")
        .put("raw_base64", key.base64())
        .put("pem", key.pem())
        .put("fingerprint_sha256", key.fingerprint());
  }

  private static JsonObject headJson(ChainHead head) {
    return new JsonObject().put("position", head.position()).put("hash", head.hash())
        .put("signature", head.signature())
        .put("signed_text", new String(ChainHead.message(head.position(), head.hash()),
            java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonArray entriesJson(List<OpenedEntry> opened) {
    JsonArray entries = new JsonArray();
    for (OpenedEntry item : opened) {
      LedgerEntry entry = item.entry();
      entries.add(new JsonObject()
          .put("position", entry.position())
          .put("kind", entry.kind().wireName())
          .put("at", CanonicalForm.time(entry.at()))
          .put("client_ref", entry.clientRef())
          .put("fields", new JsonObject(new java.util.LinkedHashMap<>(entry.fields())))
          .put("personal_fields", new JsonObject(new java.util.LinkedHashMap<>(item.personalFields())))
          .put("personal_fields_erased", item.personalErased())
          .put("canonical", entry.canonical())
          .put("hash", entry.hash())
          .put("signature", entry.signature()));
    }
    return entries;
  }

  private JsonArray textsJson(List<OpenedEntry> opened) {
    Set<String> seen = new LinkedHashSet<>();
    JsonArray texts = new JsonArray();
    for (OpenedEntry item : opened) {
      LedgerEntry entry = item.entry();
      if (entry.kind() != EntryKind.CONSENT_GIVEN) {
        continue;
      }
      ledger.consentTexts().find(entry.field("organisation"), entry.field("consent_version"),
              entry.field("language"))
          .filter(text -> seen.add(text.path()))
          .ifPresent(text -> texts.add(new JsonObject().put("path", text.path())
              .put("sha256", text.sha256()).put("text", text.text())));
    }
    return texts;
  }
}
