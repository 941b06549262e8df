package be.praatbrug.bridge.store;

import io.vertx.core.Future;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;

/** {@link Store} on the shared {@link Database} (SQLite or PostgreSQL). */
public final class JdbcStore implements Store {

  private final Database database;

  public JdbcStore(Database database) {
    this.database = database;
  }

  @Override
  public String backend() {
    return database.backend();
  }

  @Override
  public Future<Optional<String>> transactionFingerprint(String txnId) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT fingerprint FROM appservice_transactions WHERE txn_id = ?")) {
        query.setString(1, txnId);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.of(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public Future<Long> highestRecentNumericTransactionId() {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT txn_id FROM appservice_transactions ORDER BY processed_at DESC LIMIT 1000");
          ResultSet rows = query.executeQuery()) {
        long highest = -1;
        while (rows.next()) {
          String id = rows.getString(1);
          if (id.matches("[0-9]{1,18}")) {
            highest = Math.max(highest, Long.parseLong(id));
          }
        }
        return highest;
      }
    });
  }

  @Override
  public Future<Void> recordTransaction(String txnId, String fingerprint, int eventCount, Instant at) {
    return database.blocking(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO appservice_transactions (txn_id, fingerprint, event_count, processed_at)"
              + " VALUES (?, ?, ?, ?) ON CONFLICT (txn_id) DO UPDATE SET"
              + " fingerprint = excluded.fingerprint, event_count = excluded.event_count,"
              + " processed_at = excluded.processed_at")) {
        insert.setString(1, txnId);
        insert.setString(2, fingerprint);
        insert.setInt(3, eventCount);
        insert.setLong(4, at.toEpochMilli());
        insert.executeUpdate();
        return null;
      }
    });
  }

  @Override
  public Future<Integer> deleteTransactionsBefore(Instant cutoff) {
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM appservice_transactions WHERE processed_at < ?")) {
        delete.setLong(1, cutoff.toEpochMilli());
        return delete.executeUpdate();
      }
    });
  }
}
