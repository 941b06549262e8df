package be.praatbrug.bridge.ledger;

import be.praatbrug.bridge.ledger.VerificationReport.Finding;
import be.praatbrug.bridge.ledger.VerificationReport.Problem;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Walks a chain of stored entries and reports every edited, removed or reordered entry by position.
 *
 * <p>Pure and streaming: feed entries in ascending stored position with {@link #accept}, then call
 * {@link #finish}. Memory grows only with the number of damaged entries, not with the chain.
 *
 * <p>How each tampering shows:
 * <ul>
 *   <li><b>edited</b>: the entry's contents no longer hash to its stored hash, or (when the hash was
 *       recomputed too) its signature does not verify with the organisation's public key;
 *   <li><b>removed</b>: a position is missing, or the signed {@link ChainHead} names more entries
 *       than are stored (removal from the end);
 *   <li><b>reordered</b>: an entry fails at the position it is stored at but is intact at another
 *       position that is itself damaged or missing, i.e. it was signed for that other place; the
 *       detail names it;
 *   <li><b>link broken</b>: two intact neighbours that do not link by hash, which only a second
 *       copy of the signing key could produce.
 * </ul>
 * Findings that would only echo an earlier one are left out (the link from an edited entry's
 * successor, for instance), so a report reads as one line per tampered position.
 */
public final class ChainVerifier {

  /** Beyond this many damaged-or-missing positions, stop looking for where entries moved. */
  private static final int MAX_REORDER_CANDIDATES = 10_000;

  private final OrgPublicKey key;
  private final List<Finding> findings = new ArrayList<>();
  private final List<LedgerEntry> damaged = new ArrayList<>();
  private final TreeSet<Long> missing = new TreeSet<>();
  private long expected = 1;
  private long checked;
  private LedgerEntry previous;
  private boolean previousIntact;

  public ChainVerifier(OrgPublicKey key) {
    this.key = key;
  }

  /** Checks the next stored entry; entries must come in ascending stored position. */
  public void accept(LedgerEntry entry) {
    if (entry.position() < expected) {
      throw new IllegalArgumentException("entries out of order: " + entry.position()
          + " after " + (expected - 1));
    }
    checked++;
    boolean gapBefore = entry.position() > expected;
    for (long position = expected; position < entry.position(); position++) {
      missing.add(position);
    }
    boolean intact = entry.isIntact(key);
    if (!intact) {
      damaged.add(entry);
    } else if (entry.position() == 1 && !CanonicalForm.GENESIS.equals(entry.previousHash())) {
      findings.add(new Finding(1, Problem.LINK_BROKEN, "the first entry does not start the chain"));
    } else if (previous != null && previousIntact && !gapBefore
        && !entry.previousHash().equals(previous.hash())) {
      findings.add(new Finding(entry.position(), Problem.LINK_BROKEN,
          "does not link to the entry at position " + previous.position()));
    }
    previous = entry;
    previousIntact = intact;
    expected = entry.position() + 1;
  }

  /** Checks the signed head against what was seen, explains damaged entries, returns the report. */
  public VerificationReport finish(Optional<ChainHead> head) {
    long last = expected - 1;
    checkHead(head, last);
    explainDamage();
    for (long position : missing) {
      findings.add(new Finding(position, Problem.REMOVED, ""));
    }
    findings.sort(Comparator.comparingLong(Finding::position)
        .thenComparing(Finding::problem));
    return new VerificationReport(checked, key.fingerprint(), findings);
  }

  private void checkHead(Optional<ChainHead> head, long last) {
    if (head.isEmpty()) {
      if (checked > 0) {
        findings.add(new Finding(last, Problem.HEAD_MISMATCH, "the signed head is missing"));
      }
      return;
    }
    ChainHead signed = head.get();
    if (!signed.verifies(key)) {
      findings.add(new Finding(signed.position(), Problem.HEAD_MISMATCH,
          "the head's signature does not verify"));
    } else if (signed.position() > last) {
      // Entries were cut off the end: the head still counts them.
      for (long position = last + 1; position <= signed.position(); position++) {
        missing.add(position);
      }
    } else if (signed.position() < last) {
      long first = signed.position() + 1;
      findings.add(new Finding(first, Problem.HEAD_MISMATCH, (first == last ? "stored after"
          : "entries " + first + " to " + last + " stored after") + " the signed head, which ends"
          + " at position " + signed.position()));
    } else if (previousIntact && !signed.hash().equals(previous.hash())) {
      findings.add(new Finding(last, Problem.HEAD_MISMATCH,
          "the signed head names another last entry"));
    }
  }

  private void explainDamage() {
    TreeSet<Long> candidates = new TreeSet<>(missing);
    damaged.forEach(entry -> candidates.add(entry.position()));
    boolean searchMoves = candidates.size() <= MAX_REORDER_CANDIDATES;
    for (LedgerEntry entry : damaged) {
      Optional<Long> signedFor = searchMoves ? signedPosition(entry, candidates) : Optional.empty();
      if (signedFor.isPresent()) {
        findings.add(new Finding(entry.position(), Problem.REORDERED,
            "holds the entry signed for position " + signedFor.get()));
      } else if (!Sha256.hex(CanonicalForm.bytes(entry)).equals(entry.hash())) {
        findings.add(new Finding(entry.position(), Problem.EDITED,
            "contents do not match the stored hash"));
      } else {
        findings.add(new Finding(entry.position(), Problem.EDITED,
            "signature does not verify with the organisation's public key"));
      }
    }
  }

  /** The other position this entry's hash and signature are valid for, if any. */
  private Optional<Long> signedPosition(LedgerEntry entry, TreeSet<Long> candidates) {
    for (long position : candidates) {
      if (position == entry.position()) {
        continue;
      }
      byte[] bytes = CanonicalForm.text(position, entry.kind(), entry.at(), entry.clientRef(),
          entry.fields(), entry.sealedFields(), entry.previousHash())
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (Sha256.hex(bytes).equals(entry.hash()) && key.verifies(bytes, entry.signature())) {
        return Optional.of(position);
      }
    }
    return Optional.empty();
  }
}
