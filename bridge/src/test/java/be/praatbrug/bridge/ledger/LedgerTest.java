package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LedgerTest extends LedgerTestCase {

  private static final String ROOM = "!room:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";


  private Ledger ledger(String backend) throws Exception {
    openFixture(backend);
    return fixture.ledger;
  }

  @ParameterizedTest
  @MethodSource("backends")
  void chainsEveryKindOfEntryAndVerifies(String backend) throws Exception {
    Ledger ledger = ledger(backend);
    await(ledger.append(Entries.consentGiven("c-1", fixture.caw("v1"), "web", null,
        LedgerFixture.NOW)));
    await(ledger.append(Entries.knockAdmitted("c-1", ROOM, COUNSELLOR, "code", LedgerFixture.NOW)));
    await(ledger.append(Entries.sessionStarted("c-1", "s-1", ROOM, COUNSELLOR, LedgerFixture.NOW)));
    await(ledger.append(Entries.policyViolationRemoved("c-1", ROOM, "third_member", "member",
        null, "@intruder:caw.test", LedgerFixture.NOW)));
    await(ledger.append(Entries.sessionEnded("c-1", "s-1", ROOM, COUNSELLOR, LedgerFixture.NOW,
        LedgerFixture.NOW.plusSeconds(1800))));
    await(ledger.append(Entries.knockDenied("c-2", ROOM, "no_consent", LedgerFixture.NOW)));
    LedgerEntry last = await(ledger.append(EntryKind.RETENTION_PURGE, null,
        Map.of("room_id", ROOM, "cutoff", "2026-10-24T10:00:00.000Z")));

    assertEquals(7, last.position());
    VerificationReport report = await(ledger.verify());
    assertTrue(report.ok(), report.lines().toString());
    assertEquals(7, report.entriesChecked());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void refusesAnInvalidDraftWithoutWritingAnything(String backend) throws Exception {
    Ledger ledger = ledger(backend);

    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> await(ledger.append(EntryKind.KNOCK_DENIED, "c-1", Map.of("room_id", ROOM))));

    assertTrue(e.getCause().getMessage().contains("missing field reason"));
    assertEquals(0, await(ledger.verify()).entriesChecked());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void concurrentAppendsNeverForkTheChain(String backend) throws Exception {
    Ledger ledger = ledger(backend);
    List<Future<LedgerEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      appends.add(ledger.append(Entries.knockDenied("c-" + i, ROOM, "code_expired",
          LedgerFixture.NOW)));
    }
    await(Future.all(appends));

    assertEquals(List.of(150L), List.of(appends.stream()
        .map(future -> future.result().position()).distinct().count()));
    VerificationReport report = await(ledger.verify());
    assertTrue(report.ok(), report.lines().toString());
    assertEquals(150, report.entriesChecked());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void twoWritersOnOneDatabaseTakeTurnsInsteadOfForking(String backend) throws Exception {
    Ledger first = ledger(backend);
    // A second bridge process (or the CLI) with its own connection pool on the same database.
    Database secondDatabase = await(Database.open(vertx, "sqlite".equals(backend)
        ? TestDatabases.sqlite(directory) : new DatabaseSection("postgres",
            System.getProperty("praatbrug.test.postgres.url"), "praatbrug", "praatbrug", 4)));
    Ledger second = new Ledger(secondDatabase, fixture.keys, fixture.texts, LedgerFixture.CLOCK);
    List<Future<LedgerEntry>> appends = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      Ledger writer = i % 2 == 0 ? first : second;
      appends.add(writer.append(Entries.knockDenied("c-" + i, ROOM, "code_expired",
          LedgerFixture.NOW)));
    }
    await(Future.all(appends));
    await(secondDatabase.close());

    VerificationReport report = await(first.verify());
    assertTrue(report.ok(), report.lines().toString());
    assertEquals(200, report.entriesChecked());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theConsentGateFollowsTheLatestDecisionForThatOrganisationAndVersion(String backend)
      throws Exception {
    Ledger ledger = ledger(backend);
    assertFalse(await(ledger.hasConsent("c-1", "caw", "v1")));

    await(ledger.append(Entries.consentGiven("c-1", fixture.caw("v1"), "matrix", null,
        LedgerFixture.NOW)));
    assertTrue(await(ledger.hasConsent("c-1", "caw", "v1")));
    assertFalse(await(ledger.hasConsent("c-1", "caw", "v2")), "a newer text needs new consent");
    assertFalse(await(ledger.hasConsent("c-1", "clb", "v1")), "consent is per organisation");
    assertFalse(await(ledger.hasConsent("c-2", "caw", "v1")), "consent is per client");

    await(ledger.append(Entries.consentWithdrawn("c-1", "caw", "v1", "matrix",
        LedgerFixture.NOW)));
    assertFalse(await(ledger.hasConsent("c-1", "caw", "v1")));

    await(ledger.append(Entries.consentGiven("c-1", fixture.caw("v2"), "web", null,
        LedgerFixture.NOW)));
    assertTrue(await(ledger.hasConsent("c-1", "caw", "v2")));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aConsentEntryForgedInTheDatabaseDoesNotOpenTheGate(String backend) throws Exception {
    Ledger ledger = ledger(backend);
    await(ledger.append(Entries.consentWithdrawn("c-1", "caw", "v1", "web", LedgerFixture.NOW)));

    fixture.sql("UPDATE ledger_entries SET kind = 'consent_given' WHERE position = 1");

    assertFalse(await(ledger.hasConsent("c-1", "caw", "v1")));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void keepsPersonalFieldsOnlyEncryptedAndErasureLeavesThemUnreadableWhileTheChainVerifies(
      String backend) throws Exception {
    Ledger ledger = ledger(backend);
    await(ledger.append(Entries.consentGiven("c-7", fixture.caw("v1"), "web", "An Peeters",
        LedgerFixture.NOW)));
    await(ledger.append(Entries.policyViolationRemoved("c-7", ROOM, "third_member", "member",
        null, "@intruder:caw.test", LedgerFixture.NOW)));
    await(ledger.append(Entries.consentGiven("c-8", fixture.caw("v1"), "web", "Jan Janssens",
        LedgerFixture.NOW)));
    assertTrue(fixture.allStoredText().stream().noneMatch(value -> value.contains("Peeters")
        || value.contains("intruder")), "personal fields are never stored in clear");
    assertEquals(Map.of("guardian_name", "An Peeters"),
        await(ledger.entriesFor("c-7")).get(0).personalFields());

    LedgerEntry erasure = await(ledger.erase("c-7", "cli"));

    assertEquals(EntryKind.PERSONAL_DATA_ERASED, erasure.kind());
    List<OpenedEntry> after = await(ledger.entriesFor("c-7"));
    assertTrue(after.get(0).personalFields().isEmpty());
    assertTrue(after.get(0).personalErased());
    assertTrue(after.get(1).personalErased());
    assertEquals(Map.of("guardian_name", "Jan Janssens"),
        await(ledger.entriesFor("c-8")).get(0).personalFields(), "other clients keep theirs");
    assertEquals(0, fixture.count("SELECT COUNT(*) FROM ledger_client_keys WHERE client_ref = 'c-7'"),
        "the key of c-7 is destroyed");
    assertEquals(1, fixture.count("SELECT COUNT(*) FROM ledger_client_keys WHERE client_ref = 'c-8'"));
    VerificationReport report = await(ledger.verify());
    assertTrue(report.ok(), report.lines().toString());
  }
}
