package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tampers with the stored rows by plain SQL, as someone with database access could. */
class LedgerTamperTest extends LedgerTestCase {

  private static final String ROOM = "!room:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final String SIGNATURE_FAILS =
      "signature does not verify with the organisation's public key";


  /** A ledger on {@code backend} holding five verified session entries. */
  private Ledger ledgerOn(String backend) throws Exception {
    openFixture(backend);
    Instant start = LedgerFixture.NOW;
    for (int i = 1; i <= 5; i++) {
      await(fixture.ledger.append(Entries.sessionEnded("c-" + i, "s-" + i, ROOM, COUNSELLOR,
          start, start.plusSeconds(2730))));
    }
    VerificationReport before = await(fixture.ledger.verify());
    assertTrue(before.ok(), before.lines().toString());
    return fixture.ledger;
  }

  private List<String> verifyLines() throws Exception {
    VerificationReport report = await(fixture.ledger.verify());
    assertEquals(report.ok(), report.findings().isEmpty());
    return report.lines();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anEditedDurationIsReportedAtItsPosition(String backend) throws Exception {
    ledgerOn(backend);

    fixture.sql("UPDATE ledger_entries SET fields = REPLACE(fields, '\"duration_seconds\":\"2730\"',"
        + " '\"duration_seconds\":\"600\"') WHERE position = 3");

    assertEquals(List.of("position 3: edited (contents do not match the stored hash)"),
        verifyLines());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anEditWithARecomputedHashIsCaughtByTheSignature(String backend) throws Exception {
    Ledger ledger = ledgerOn(backend);
    LedgerEntry original = await(ledger.entriesFor("c-2")).get(0).entry();
    TreeMap<String, String> fields = new TreeMap<>(original.fields());
    fields.put("counsellor", "@someone-else:caw.test");
    String rehashed = Sha256.hex(CanonicalForm.text(2, original.kind(), original.at(),
        original.clientRef(), fields, original.sealedFields(), original.previousHash()));

    fixture.sql("UPDATE ledger_entries SET fields = REPLACE(fields, '" + COUNSELLOR
        + "', '@someone-else:caw.test'), entry_hash = '" + rehashed + "' WHERE position = 2");

    assertEquals(List.of("position 2: edited (" + SIGNATURE_FAILS + ")"), verifyLines());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aRemovedEntryIsReportedAtItsPosition(String backend) throws Exception {
    ledgerOn(backend);

    fixture.sql("DELETE FROM ledger_entries WHERE position = 3");

    assertEquals(List.of("position 3: removed"), verifyLines());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theLastEntryRemovedIsCaughtByTheSignedHead(String backend) throws Exception {
    ledgerOn(backend);

    fixture.sql("DELETE FROM ledger_entries WHERE position = 5");

    assertEquals(List.of("position 5: removed"), verifyLines());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void swappedEntriesAreReportedAsReorderedWithTheirSignedPositions(String backend)
      throws Exception {
    ledgerOn(backend);

    fixture.sql("UPDATE ledger_entries SET position = -1 WHERE position = 2",
        "UPDATE ledger_entries SET position = 2 WHERE position = 4",
        "UPDATE ledger_entries SET position = 4 WHERE position = -1");

    assertEquals(List.of("position 2: reordered (holds the entry signed for position 4)",
        "position 4: reordered (holds the entry signed for position 2)"), verifyLines());
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anEntryMovedToTheEndIsReportedWhereItWasTakenAndWhereItLies(String backend)
      throws Exception {
    ledgerOn(backend);

    fixture.sql("UPDATE ledger_entries SET position = 6 WHERE position = 2");

    assertEquals(List.of("position 2: removed",
        "position 6: reordered (holds the entry signed for position 2)",
        "position 6: head mismatch (stored after the signed head, which ends at position 5)"),
        verifyLines());
  }
}
