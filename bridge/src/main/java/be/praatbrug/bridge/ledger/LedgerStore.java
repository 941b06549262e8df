package be.praatbrug.bridge.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * SQL for the ledger tables ({@code 03-ledger.sql}); the same statements on SQLite and PostgreSQL.
 *
 * <p>Every method blocks and takes the connection it runs on, so {@link Ledger} decides what runs
 * together in one transaction (reading the head, inserting the entry and rewriting the head must).
 * Call only from {@code Database.blocking} or {@code Database.inTransaction}.
 */
final class LedgerStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<TreeMap<String, String>> STRING_MAP = new TypeReference<>() {};
  /** Advisory lock key for appends: "PRAATBRG" in ASCII, so it is recognisable in pg_locks. */
  private static final long APPEND_LOCK = 0x5052414154425247L;
  private static final String COLUMNS = "position, kind, occurred_at, client_ref, fields,"
      + " sealed_fields, previous_hash, entry_hash, signature";

  private LedgerStore() {}

  /**
   * Makes the current transaction the only ledger writer until it ends, across processes: the
   * next writer waits here instead of racing for the same position and retrying, which under a
   * steady stream of appends could starve it. PostgreSQL: a transaction-scoped advisory lock.
   * SQLite: a write statement, which takes the database's write lock (waiting up to the busy
   * timeout) before anything is read, so no stale snapshot can be upgraded.
   */
  static void lockForAppend(Connection connection, String backend) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      if ("postgres".equals(backend)) {
        statement.execute("SELECT pg_advisory_xact_lock(" + APPEND_LOCK + ")");
      } else {
        statement.executeUpdate("UPDATE ledger_head SET id = id WHERE id = 1");
      }
    }
  }

  static Optional<LedgerEntry> last(Connection connection) throws SQLException {
    List<LedgerEntry> last = query(connection,
        "SELECT " + COLUMNS + " FROM ledger_entries ORDER BY position DESC LIMIT 1");
    return last.stream().findFirst();
  }

  static void insert(Connection connection, LedgerEntry entry) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger_entries ("
        + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      insert.setLong(1, entry.position());
      insert.setString(2, entry.kind().wireName());
      insert.setLong(3, entry.at().toEpochMilli());
      insert.setString(4, entry.clientRef());
      insert.setString(5, json(entry.fields()));
      insert.setString(6, json(entry.sealedFields()));
      insert.setString(7, entry.previousHash());
      insert.setString(8, entry.hash());
      insert.setString(9, entry.signature());
      insert.executeUpdate();
    }
  }

  static void writeHead(Connection connection, ChainHead head) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(
        "INSERT INTO ledger_head (id, position, entry_hash, signature) VALUES (1, ?, ?, ?)"
            + " ON CONFLICT (id) DO UPDATE SET position = excluded.position,"
            + " entry_hash = excluded.entry_hash, signature = excluded.signature")) {
      upsert.setLong(1, head.position());
      upsert.setString(2, head.hash());
      upsert.setString(3, head.signature());
      upsert.executeUpdate();
    }
  }

  static Optional<ChainHead> head(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT position, entry_hash, signature FROM ledger_head WHERE id = 1");
        ResultSet rows = query.executeQuery()) {
      return rows.next()
          ? Optional.of(new ChainHead(rows.getLong(1), rows.getString(2), rows.getString(3)))
          : Optional.empty();
    }
  }

  /** Up to {@code limit} entries after {@code afterPosition}, in position order. */
  static List<LedgerEntry> page(Connection connection, long afterPosition, int limit)
      throws SQLException {
    return query(connection, "SELECT " + COLUMNS + " FROM ledger_entries WHERE position > ?"
        + " ORDER BY position LIMIT ?", afterPosition, limit);
  }

  static List<LedgerEntry> forClient(Connection connection, String clientRef) throws SQLException {
    return query(connection, "SELECT " + COLUMNS + " FROM ledger_entries WHERE client_ref = ?"
        + " ORDER BY position", clientRef);
  }

  /** Entries of {@code kinds}, newest first, optionally for one client only. */
  static List<LedgerEntry> ofKinds(Connection connection, Set<EntryKind> kinds, String clientRef)
      throws SQLException {
    String in = kinds.stream().map(kind -> "'" + kind.wireName() + "'")
        .collect(Collectors.joining(", "));
    String sql = "SELECT " + COLUMNS + " FROM ledger_entries WHERE kind IN (" + in + ")"
        + (clientRef == null ? "" : " AND client_ref = ?") + " ORDER BY position DESC";
    return clientRef == null ? query(connection, sql) : query(connection, sql, clientRef);
  }

  static Optional<String> wrappedClientKey(Connection connection, String clientRef)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT wrapped_key FROM ledger_client_keys WHERE client_ref = ?")) {
      query.setString(1, clientRef);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
      }
    }
  }

  static void insertClientKey(Connection connection, String clientRef, String wrapped, Instant at)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO ledger_client_keys (client_ref, wrapped_key, created_at) VALUES (?, ?, ?)")) {
      insert.setString(1, clientRef);
      insert.setString(2, wrapped);
      insert.setLong(3, at.toEpochMilli());
      insert.executeUpdate();
    }
  }

  /** Destroys the client's field key; returns whether there was one. */
  static boolean deleteClientKey(Connection connection, String clientRef) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(
        "DELETE FROM ledger_client_keys WHERE client_ref = ?")) {
      delete.setString(1, clientRef);
      return delete.executeUpdate() > 0;
    }
  }

  /**
   * After an erasure: the client record keeps its reference (the chain names it) but loses what
   * led to the person: the counsellor's label and the Matrix account's hash.
   */
  static void forgetClientRecord(Connection connection, String clientRef, Instant at)
      throws SQLException {
    try (PreparedStatement forget = connection.prepareStatement(
        "UPDATE client_records SET label_sealed = NULL, account_hash = NULL, erased_at = ?"
            + " WHERE client_ref = ?")) {
      forget.setLong(1, at.toEpochMilli());
      forget.setString(2, clientRef);
      forget.executeUpdate();
    }
  }

  /**
   * Every row of {@code table} whose {@code client_ref} column is {@code clientRef}, all columns,
   * for the data-subject export. {@code table} is one of our own constant names, never user input.
   */
  static List<Map<String, Object>> rowsForClient(Connection connection, String table,
      String clientRef) throws SQLException {
    List<Map<String, Object>> result = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT * FROM " + table + " WHERE client_ref = ?")) {
      query.setString(1, clientRef);
      try (ResultSet rows = query.executeQuery()) {
        ResultSetMetaData columns = rows.getMetaData();
        while (rows.next()) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (int i = 1; i <= columns.getColumnCount(); i++) {
            row.put(columns.getColumnName(i).toLowerCase(java.util.Locale.ROOT), rows.getObject(i));
          }
          result.add(row);
        }
      }
    }
    return result;
  }

  private static List<LedgerEntry> query(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      List<LedgerEntry> entries = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          entries.add(new LedgerEntry(rows.getLong(1), EntryKind.fromWireName(rows.getString(2)),
              Instant.ofEpochMilli(rows.getLong(3)), rows.getString(4), map(rows.getString(5)),
              map(rows.getString(6)), rows.getString(7), rows.getString(8), rows.getString(9)));
        }
      }
      return entries;
    }
  }

  private static String json(SortedMap<String, String> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always serialises", e);
    }
  }

  private static SortedMap<String, String> map(String json) throws SQLException {
    try {
      return JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("ledger row holds fields that are not a JSON object of strings", e);
    }
  }
}
