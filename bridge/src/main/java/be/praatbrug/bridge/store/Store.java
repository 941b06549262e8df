package be.praatbrug.bridge.store;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.Optional;

/**
 * The bridge's persistent records. Holds no message content and no tokens in clear.
 *
 * <p>Every method does I/O on a worker thread and returns a {@link Future} at once; callers on the
 * event loop never block. Implementation: {@link JdbcStore} on the shared {@link Database}.
 */
public interface Store {

  /** {@code sqlite} or {@code postgres}: which backend this is, for logs and health output. */
  String backend();

  /** The fingerprint recorded for {@code txnId}, or empty if that transaction was never handled. */
  Future<Optional<String>> transactionFingerprint(String txnId);

  /**
   * The highest all-digits transaction id among the most recently handled transactions, or -1.
   * Synapse numbers transactions upwards, so a higher id is new without asking the database.
   */
  Future<Long> highestRecentNumericTransactionId();

  /** Records a handled transaction (replacing an earlier one with the same id). */
  Future<Void> recordTransaction(String txnId, String fingerprint, int eventCount, Instant at);

  /** Forgets transactions handled before {@code cutoff}; returns how many. */
  Future<Integer> deleteTransactionsBefore(Instant cutoff);
}
