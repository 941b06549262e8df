package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerExportsTest extends LedgerTestCase {

  private static final String ROOM = "!room:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final Instant START = LedgerFixture.NOW;

  private LedgerExports exports;

  /** Consent under 12 for c-1, two sessions for c-1 and one for c-2. */
  private void recordHistory(String backend) throws Exception {
    openFixture(backend);
    exports = new LedgerExports(fixture.ledger, LedgerFixture.CLOCK);
    Ledger ledger = fixture.ledger;
    await(ledger.append(Entries.consentGiven("c-1", fixture.caw("v1"), "web", "An Peeters",
        START)));
    await(ledger.append(Entries.sessionEnded("c-1", "s-1", ROOM, COUNSELLOR, START,
        START.plusSeconds(1800))));
    await(ledger.append(Entries.sessionEnded("c-2", "s-2", ROOM, COUNSELLOR,
        START.plusSeconds(86_400), START.plusSeconds(90_000))));
    await(ledger.append(Entries.sessionStarted("c-1", "s-3", ROOM, COUNSELLOR,
        START.plusSeconds(172_800))));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theConsentProofCarriesSignedEntriesTheTextAndThePublicKey(String backend)
      throws Exception {
    recordHistory(backend);

    JsonObject proof = new JsonObject(await(exports.consentProof("c-1")).encode());

    JsonArray entries = proof.getJsonArray("entries");
    assertEquals(1, entries.size());
    JsonObject consent = entries.getJsonObject(0);
    assertEquals("consent_given", consent.getString("kind"));
    assertEquals("An Peeters", consent.getJsonObject("personal_fields").getString("guardian_name"));
    assertFalse(consent.getString("canonical").contains("Peeters"), "signed in encrypted form");
    JsonObject text = proof.getJsonArray("consent_texts").getJsonObject(0);
    assertEquals(Sha256.hex(text.getString("text")), text.getString("sha256"));
    assertEquals(text.getString("sha256"), consent.getJsonObject("fields").getString("consent_sha256"));
    assertEquals(4, proof.getJsonObject("head").getLong("position"));
    assertEquals(fixture.keys.publicKey().fingerprint(),
        proof.getJsonObject("public_key").getString("fingerprint_sha256"));
  }

  @Test
  void aConsentProofChecksOutWithOnlyTheProofItself() throws Exception {
    recordHistory("sqlite");
    JsonObject proof = await(exports.consentProof("c-1"));

    OrgPublicKey key = OrgPublicKey.fromPem(proof.getJsonObject("public_key").getString("pem"));
    for (Object item : proof.getJsonArray("entries")) {
      JsonObject entry = (JsonObject) item;
      byte[] canonical = entry.getString("canonical").getBytes(StandardCharsets.UTF_8);
      assertEquals(entry.getString("hash"), Sha256.hex(canonical));
      assertTrue(key.verifies(canonical, entry.getString("signature")));
      JsonObject signed = new JsonObject(entry.getString("canonical"));
      assertEquals(entry.getJsonObject("fields"), signed.getJsonObject("fields"));
      assertEquals(entry.getLong("position"), signed.getLong("position"));
    }
  }

  /** Runs the README's openssl steps on a real export. */
  @Test
  void theDocumentedOpensslProcedureVerifiesAnExportedEntry() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "needs openssl");
    recordHistory("sqlite");
    JsonObject entry = await(exports.consentProof("c-1")).getJsonArray("entries").getJsonObject(0);
    Path pem = Files.writeString(directory.resolve("org.pem"),
        fixture.keys.publicKey().pem());
    Path canonical = Files.writeString(directory.resolve("entry.json"), entry.getString("canonical"));
    Path signature = Files.write(directory.resolve("entry.sig"),
        Base64.getDecoder().decode(entry.getString("signature")));

    assertEquals(0, openssl(pem, canonical, signature));
    Files.writeString(canonical, entry.getString("canonical").replace("\"web\"", "\"matrix\""));
    assertEquals(1, openssl(pem, canonical, signature), "an altered entry must fail");
  }

  private static int openssl(Path pem, Path message, Path signature) throws Exception {
    Process process = new ProcessBuilder("openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
        pem.toString(), "-rawin", "-in", message.toString(), "-sigfile", signature.toString())
        .redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void exportsSessionsForOneClientOrAPeriod(String backend) throws Exception {
    recordHistory(backend);

    List<SessionRow> client = await(exports.sessions("c-1", null, null));
    List<SessionRow> secondDay = await(exports.sessions(null, START.plusSeconds(86_400),
        START.plusSeconds(172_800)));

    assertEquals(List.of("s-1", "s-3"), client.stream().map(SessionRow::sessionId).toList());
    assertEquals(List.of("s-2"), secondDay.stream().map(SessionRow::sessionId).toList());
    List<List<String>> csv = SessionExportTest.parseCsv(SessionExport.csv(client).substring(1));
    assertEquals(3, csv.size());
    assertEquals("30", csv.get(1).get(6));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theSubjectExportHoldsEveryEntryAndRowAboutTheClientAndOnlyThat(String backend)
      throws Exception {
    recordHistory(backend);
    fixture.sql("INSERT INTO session_records (session_id, room_id, counsellor_id, client_ref,"
        + " started_at) VALUES ('s-1', '" + ROOM + "', '" + COUNSELLOR + "', 'c-1', 1)",
        "INSERT INTO session_records (session_id, room_id, counsellor_id, client_ref,"
        + " started_at) VALUES ('s-2', '" + ROOM + "', '" + COUNSELLOR + "', 'c-2', 1)");

    JsonObject export = new JsonObject(await(exports.subject("c-1")).encode());

    assertEquals(List.of(1L, 2L, 4L), export.getJsonArray("ledger_entries").stream()
        .map(entry -> ((JsonObject) entry).getLong("position")).toList());
    JsonArray sessions = export.getJsonObject("other_records").getJsonArray("session_records");
    assertEquals(1, sessions.size());
    assertEquals("s-1", sessions.getJsonObject(0).getString("session_id"));
    assertTrue(export.getJsonObject("other_records").containsKey("counselling_rooms"));
    assertTrue(export.encode().contains("An Peeters"));

    await(fixture.ledger.erase("c-1", "test"));
    JsonObject erased = await(exports.subject("c-1"));
    assertFalse(erased.encode().contains("An Peeters"));
    assertTrue(erased.getJsonArray("ledger_entries").getJsonObject(0)
        .getBoolean("personal_fields_erased"));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theSubjectExportOpensTheRecordsLabelUntilTheClientIsErased(String backend) throws Exception {
    openFixture(backend);
    exports = new LedgerExports(fixture.ledger, LedgerFixture.CLOCK);
    be.praatbrug.bridge.clients.ClientRecords records = new be.praatbrug.bridge.clients.ClientRecords(
        fixture.database, fixture.ledger.clientKeys(), LedgerFixture.CLOCK, new byte[32]);
    String ref = await(records.ofAccountOrNew("@client:caw.test", COUNSELLOR)).ref();
    await(records.setLabel(ref, "Sara 3B"));
    await(fixture.ledger.append(Entries.consentGiven(ref, fixture.caw("v1"), "matrix", null, START)));

    JsonObject record = await(exports.subject(ref)).getJsonObject("client_record");
    assertEquals("Sara 3B", record.getString("label"));
    assertEquals("matrix", record.getString("origin"));
    assertTrue(record.getBoolean("matrix_account_linked"));
    assertFalse(record.encode().contains("@client"), "never the account id");

    await(fixture.ledger.erase(ref, "test"));
    JsonObject erased = await(exports.subject(ref)).getJsonObject("client_record");
    assertEquals(null, erased.getString("label"));
    assertFalse(erased.getBoolean("matrix_account_linked"));
    assertTrue(erased.getString("erased_at") != null, erased.encode());
  }
}
