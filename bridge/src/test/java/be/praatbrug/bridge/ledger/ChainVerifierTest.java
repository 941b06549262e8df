package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.ledger.TestChains.chain;
import static be.praatbrug.bridge.ledger.TestChains.headOf;
import static be.praatbrug.bridge.ledger.TestChains.movedTo;
import static be.praatbrug.bridge.ledger.TestChains.verify;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {

  private final OrgKeys keys = TestChains.keys();

  @Test
  void acceptsAnUntouchedChain() {
    List<LedgerEntry> entries = chain(keys, 6);

    VerificationReport report = verify(keys.publicKey(), entries, headOf(keys, entries));

    assertTrue(report.ok(), report.lines().toString());
    assertEquals(6, report.entriesChecked());
  }

  @Test
  void acceptsAnEmptyLedgerWithoutHead() {
    assertTrue(verify(keys.publicKey(), List.of(), Optional.empty()).ok());
  }

  @Test
  void reportsAnEditedFieldAtItsPosition() {
    List<LedgerEntry> entries = new ArrayList<>(chain(keys, 5));
    LedgerEntry original = entries.get(2);
    TreeMap<String, String> fields = new TreeMap<>(original.fields());
    fields.put("counsellor", "@someone-else:caw.test");
    entries.set(2, new LedgerEntry(3, original.kind(), original.at(), original.clientRef(), fields,
        original.sealedFields(), original.previousHash(), original.hash(), original.signature()));

    VerificationReport report = verify(keys.publicKey(), entries, headOf(keys, chain(keys, 5)));

    assertEquals(List.of("position 3: edited (contents do not match the stored hash)"),
        report.lines());
  }

  @Test
  void reportsAnEditWhoseHashWasRecomputedByItsSignature() {
    List<LedgerEntry> entries = new ArrayList<>(chain(keys, 5));
    LedgerEntry original = entries.get(1);
    TreeMap<String, String> fields = new TreeMap<>(original.fields());
    fields.put("started_at", "2026-11-24T08:00:00.000Z");
    String rehashed = Sha256.hex(CanonicalForm.text(2, original.kind(), original.at(),
        original.clientRef(), fields, original.sealedFields(), original.previousHash()));
    entries.set(1, new LedgerEntry(2, original.kind(), original.at(), original.clientRef(), fields,
        original.sealedFields(), original.previousHash(), rehashed, original.signature()));

    VerificationReport report = verify(keys.publicKey(), entries, headOf(keys, entries));

    assertEquals(List.of("position 2: edited (signature does not verify with the organisation's "
        + "public key)"), report.lines());
  }

  @Test
  void reportsARemovedEntryInTheMiddle() {
    List<LedgerEntry> entries = new ArrayList<>(chain(keys, 5));
    Optional<ChainHead> head = headOf(keys, entries);
    entries.remove(3);

    assertEquals(List.of("position 4: removed"),
        verify(keys.publicKey(), entries, head).lines());
  }

  @Test
  void reportsEntriesCutOffTheEndThroughTheSignedHead() {
    List<LedgerEntry> entries = new ArrayList<>(chain(keys, 5));
    Optional<ChainHead> head = headOf(keys, entries);

    assertEquals(List.of("position 4: removed", "position 5: removed"),
        verify(keys.publicKey(), entries.subList(0, 3), head).lines());
  }

  @Test
  void reportsTwoSwappedEntriesAsReorderedNamingWhereEachBelongs() {
    List<LedgerEntry> entries = new ArrayList<>(chain(keys, 5));
    LedgerEntry second = entries.get(1);
    LedgerEntry fourth = entries.get(3);
    entries.set(1, movedTo(fourth, 2));
    entries.set(3, movedTo(second, 4));

    assertEquals(List.of("position 2: reordered (holds the entry signed for position 4)",
            "position 4: reordered (holds the entry signed for position 2)"),
        verify(keys.publicKey(), entries, headOf(keys, chain(keys, 5))).lines());
  }

  @Test
  void rejectsEveryEntrySignedWithAnotherKey() {
    OrgKeys impostor = TestChains.keys();
    List<LedgerEntry> entries = chain(impostor, 2);

    VerificationReport report = verify(keys.publicKey(), entries, headOf(impostor, entries));

    assertEquals(List.of(
        "position 2: edited (signature does not verify with the organisation's public key)",
        "position 2: head mismatch (the head's signature does not verify)",
        "position 1: edited (signature does not verify with the organisation's public key)")
        .stream().sorted().toList(), report.lines().stream().sorted().toList());
  }

  @Test
  void reportsAMissingHeadOnANonEmptyLedger() {
    assertEquals(List.of("position 3: head mismatch (the signed head is missing)"),
        verify(keys.publicKey(), chain(keys, 3), Optional.empty()).lines());
  }
}
