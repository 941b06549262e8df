package be.praatbrug.bridge.clients;

import java.time.Instant;

/**
 * One client across all their sessions, as the bridge keeps it: a reference of its own making and
 * a few facts about the record itself. Never a name or an account id: the counsellor's label is
 * stored sealed and read through {@link ClientRecords#label}.
 *
 * @param origin {@code link}, {@code matrix} or {@code legacy} (a reference from before records)
 * @param createdBy the counsellor of the room where the record was made, or {@code null}
 * @param hasLabel whether a counsellor gave it a label
 * @param matrixAccount whether a client's Matrix account leads to this record
 * @param erasedAt when its personal data was erased, or {@code null}; an erased record takes no new
 *     sessions
 */
public record ClientRecord(String ref, String origin, Instant createdAt, String createdBy,
    boolean hasLabel, boolean matrixAccount, Instant erasedAt) {

  public static final String LINK = "link";
  public static final String MATRIX = "matrix";
  public static final String LEGACY = "legacy";
  /** First came anonymously through the door on the organisation's website. */
  public static final String DOOR = "door";

  public boolean erased() {
    return erasedAt != null;
  }
}
