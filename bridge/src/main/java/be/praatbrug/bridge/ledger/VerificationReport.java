package be.praatbrug.bridge.ledger;

import java.util.List;

/**
 * The outcome of walking the chain: how many entries were checked and what was wrong, by position.
 *
 * @param publicKeyFingerprint the key the signatures were checked against, so the reader knows
 *     which key "valid" refers to
 */
public record VerificationReport(long entriesChecked, String publicKeyFingerprint,
    List<Finding> findings) {

  /** What is wrong at one position. */
  public enum Problem {
    EDITED("edited"),
    REMOVED("removed"),
    REORDERED("reordered"),
    LINK_BROKEN("link broken"),
    HEAD_MISMATCH("head mismatch");

    private final String label;

    Problem(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One problem at one position; {@link #toString()} is the line {@code ledger verify} prints. */
  public record Finding(long position, Problem problem, String detail) {
    @Override
    public String toString() {
      return "position " + position + ": " + problem.label()
          + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  public VerificationReport {
    findings = List.copyOf(findings);
  }

  public boolean ok() {
    return findings.isEmpty();
  }

  public List<String> lines() {
    return findings.stream().map(Finding::toString).toList();
  }
}
