package be.praatbrug.bridge.ledger;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Small signed chains built in memory, for the pure tests. */
final class TestChains {

  static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

  private TestChains() {}

  static OrgKeys keys() {
    return OrgKeys.generate(new SecureRandom());
  }

  /** {@code count} signed session entries for client c-1, linked from the genesis. */
  static List<LedgerEntry> chain(OrgKeys keys, int count) {
    List<LedgerEntry> entries = new ArrayList<>();
    String previous = CanonicalForm.GENESIS;
    for (int i = 1; i <= count; i++) {
      EntryDraft draft = Entries.sessionStarted("c-1", "s-" + i, "!room:caw.test",
          "@counsellor:caw.test", T0.plusSeconds(60L * i));
      LedgerEntry entry = LedgerEntry.sign(keys, i, previous, draft, new TreeMap<>());
      entries.add(entry);
      previous = entry.hash();
    }
    return entries;
  }

  static Optional<ChainHead> headOf(OrgKeys keys, List<LedgerEntry> entries) {
    LedgerEntry last = entries.get(entries.size() - 1);
    return Optional.of(ChainHead.sign(keys, last.position(), last.hash()));
  }

  static VerificationReport verify(OrgPublicKey key, List<LedgerEntry> stored,
      Optional<ChainHead> head) {
    ChainVerifier verifier = new ChainVerifier(key);
    stored.forEach(verifier::accept);
    return verifier.finish(head);
  }

  /** The same entry stored at another position (what a swap of rows looks like). */
  static LedgerEntry movedTo(LedgerEntry entry, long position) {
    return new LedgerEntry(position, entry.kind(), entry.at(), entry.clientRef(), entry.fields(),
        entry.sealedFields(), entry.previousHash(), entry.hash(), entry.signature());
  }
}
