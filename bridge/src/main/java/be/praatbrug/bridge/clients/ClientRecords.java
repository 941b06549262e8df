package be.praatbrug.bridge.clients;

import be.praatbrug.bridge.ledger.ClientKeys;
import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.policy.clients.ClientReference;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Client records: the same client across all their sessions, under a reference the bridge makes
 * ({@code C-7K3P-9Q2M}). The API the rest of the bridge (and the counsellor's workspace) uses.
 *
 * <p>When a record comes about:
 * <ul>
 *   <li>a client who comes through a link to a room for a new client ({@code !gesprek nieuw}) gets
 *       a new record when they consent; a room made with {@code !gesprek nieuw voor <ref>} already
 *       has one, so a returning client keeps theirs;</li>
 *   <li>a client with a Matrix account has one record for that account, found again through a
 *       keyed hash of the account id ({@link ClientKeys#accountHash}); made when they first consent
 *       or are first let in, or taken over from the room's record when the account had none yet.
 *       An account that had a reference before records existed keeps it.</li>
 * </ul>
 *
 * <p>Every method returns at once; the database work runs on the store's workers.
 */
public final class ClientRecords {

  private static final int DRAWS = 8;

  private final Database database;
  private final ClientKeys keys;
  private final Clock clock;
  private final byte[] legacySecret;
  private final RandomGenerator random;

  /**
   * @param legacySecret the key the references of Matrix accounts were hashed with before client
   *     records existed ({@code cl-…}), so those accounts keep their reference and their consent
   */
  public ClientRecords(Database database, ClientKeys keys, Clock clock, byte[] legacySecret) {
    this(database, keys, clock, legacySecret, new SecureRandom());
  }

  ClientRecords(Database database, ClientKeys keys, Clock clock, byte[] legacySecret,
      RandomGenerator random) {
    this.database = database;
    this.keys = keys;
    this.clock = clock;
    this.legacySecret = legacySecret.clone();
    this.random = random;
  }

  public Future<Optional<ClientRecord>> find(String ref) {
    return database.blocking(connection -> ClientRecordStore.byRef(connection, ref));
  }

  /** The records of these references that exist, by reference. */
  public Future<Map<String, ClientRecord>> findAll(Collection<String> refs) {
    if (refs.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return database.blocking(connection -> {
      Map<String, ClientRecord> found = new LinkedHashMap<>();
      for (String ref : refs) {
        ClientRecordStore.byRef(connection, ref).ifPresent(record -> found.put(ref, record));
      }
      return found;
    });
  }

  /**
   * Records whose reference starts with what an admin typed ({@code c7k3}, {@code C-7K3P-9},
   * {@code cl-1aa7}); at most {@code limit}.
   */
  public Future<List<ClientRecord>> search(String typed, int limit) {
    String prefix = searchPrefix(typed);
    if (prefix.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return database.blocking(connection -> ClientRecordStore.startingWith(connection, prefix, limit));
  }

  /** {@code c7k3p9} → {@code C-7K3P-9}; legacy references in lower case; anything else as typed. */
  static String searchPrefix(String typed) {
    String plain = typed == null ? "" : typed.strip();
    if (plain.toLowerCase(java.util.Locale.ROOT).startsWith("cl-")) {
      return plain.toLowerCase(java.util.Locale.ROOT);
    }
    String compact = plain.replaceAll("[\\s-]", "").toUpperCase(java.util.Locale.ROOT);
    if (compact.isEmpty() || compact.charAt(0) != 'C' || compact.length() > 9) {
      return plain;
    }
    StringBuilder prefix = new StringBuilder("C");
    for (int i = 1; i < compact.length(); i++) {
      if (i == 1 || i == 5) {
        prefix.append('-');
      }
      prefix.append(compact.charAt(i));
    }
    return prefix.toString();
  }

  /** Records of {@code counsellorId}'s caseload: those with a room of theirs, newest first. */
  public Future<List<ClientRecord>> ofCounsellor(String counsellorId) {
    return database.blocking(connection -> ClientRecordStore.ofCounsellor(connection, counsellorId));
  }

  /** How many sessions were recorded under {@code ref}. */
  public Future<Integer> sessionCount(String ref) {
    return database.blocking(connection -> ClientRecordStore.sessionCount(connection, ref));
  }

  /** The record a Matrix account leads to, if any (taking over its reference from before records). */
  public Future<Optional<ClientRecord>> ofAccount(String userId) {
    return database.inTransaction(connection -> ofAccount(connection, userId));
  }

  /** The Matrix account's record; a new one (made by {@code createdBy}, or null) when it has none. */
  public Future<ClientRecord> ofAccountOrNew(String userId, String createdBy) {
    return database.inTransaction(connection -> {
      Optional<ClientRecord> known = ofAccount(connection, userId);
      return known.isPresent() ? known.get()
          : create(connection, ClientRecord.MATRIX, keys.accountHash(userId), createdBy);
    }).recover(raced -> ofAccount(userId).map(found -> found.orElseThrow(() ->
        new IllegalStateException("no client record for the account: " + raced, raced))));
  }

  /** A new record with no room and no account yet (someone consenting at the door). */
  public Future<String> fresh(String origin) {
    return fresh(origin, null);
  }

  /** A new record made by {@code createdBy} (a family session's named place), in her caseload. */
  public Future<String> fresh(String origin, String createdBy) {
    return database.inTransaction(connection -> create(connection, origin, null, createdBy).ref());
  }

  /**
   * The room's record: the one it has, or a new one made now and given to it. Two clients of the
   * same link at once end up with the same record.
   */
  public Future<String> ofRoom(String roomId, String origin, String createdBy) {
    return database.inTransaction(connection -> {
      Optional<String> bound = ClientRecordStore.roomRef(connection, roomId);
      if (bound.isPresent()) {
        return bound.get();
      }
      ClientRecord made = create(connection, origin, null, createdBy);
      if (!ClientRecordStore.bindRoom(connection, roomId, made.ref())) {
        throw new IllegalStateException("room " + roomId + " is not a counselling room");
      }
      return made.ref();
    }).recover(raced -> database.blocking(connection -> ClientRecordStore.roomRef(connection, roomId)
        .orElseThrow(() -> new IllegalStateException("room " + roomId + " has no record: " + raced,
            raced))));
  }

  /**
   * The record a client's admission and session in a room go under. A link client (guest account)
   * is the room's client. A Matrix account is always its own record: the one it has; else the
   * room's record, which the account then leads to (a client who came by link before and now has
   * an account); else a new one.
   *
   * @param roomRef the room's record, or {@code null} while it has none
   */
  public Future<String> forAdmission(String roomId, String roomRef, String userId, boolean guest,
      String counsellorId) {
    if (guest) {
      return roomRef != null ? Future.succeededFuture(roomRef)
          : ofRoom(roomId, ClientRecord.LINK, counsellorId);
    }
    return database.inTransaction(connection -> {
      Optional<ClientRecord> known = ofAccount(connection, userId);
      if (known.isPresent()) {
        return known.get().ref();
      }
      String hash = keys.accountHash(userId);
      if (roomRef != null && ClientRecordStore.linkAccount(connection, roomRef, hash)) {
        return roomRef;
      }
      return create(connection, ClientRecord.MATRIX, hash, counsellorId).ref();
    }).recover(raced -> ofAccount(userId).map(found -> found.map(ClientRecord::ref).orElseThrow(() ->
        // The same account let in twice at once: the first made the record, the second finds it.
        new IllegalStateException("no client record for the account: " + raced, raced))));
  }

  /** The counsellor's label, opened; empty when there is none or it was erased. */
  public Future<Optional<String>> label(String ref) {
    return database.blocking(connection -> ClientRecordStore.sealedLabel(connection, ref))
        .compose(sealed -> sealed.isEmpty() ? Future.succeededFuture(Optional.<String>empty())
            : keys.open(ref, "label", sealed.get()));
  }

  /**
   * Sets the label, sealed under the client's own key; {@code null} removes it. Fails when the
   * record does not exist or was erased.
   */
  public Future<Void> setLabel(String ref, String label) {
    Future<String> sealed = label == null ? Future.succeededFuture(null)
        : keys.seal(ref, "label", label);
    return sealed.compose(value -> database.blocking(connection -> {
      if (!ClientRecordStore.setSealedLabel(connection, ref, value)) {
        throw new IllegalArgumentException("no client record " + ref + " that takes a label");
      }
      return null;
    }));
  }

  private Optional<ClientRecord> ofAccount(Connection connection, String userId)
      throws SQLException {
    String hash = keys.accountHash(userId);
    Optional<ClientRecord> known = ClientRecordStore.byAccount(connection, hash);
    if (known.isPresent()) {
      return known;
    }
    // Before records, an account's reference was a keyed hash of its id: keep using it, and the
    // consent recorded under it.
    String legacy = ClientRefs.of(legacySecret, userId);
    Optional<ClientRecord> old = ClientRecordStore.byRef(connection, legacy);
    if (old.isPresent() && !old.get().erased()
        && ClientRecordStore.linkAccount(connection, legacy, hash)) {
      return ClientRecordStore.byRef(connection, legacy);
    }
    return Optional.empty();
  }

  private ClientRecord create(Connection connection, String origin, String accountHash,
      String createdBy) throws SQLException {
    for (int draw = 0; draw < DRAWS; draw++) {
      String ref = ClientReference.make(random);
      if (ClientRecordStore.insert(connection, ref, origin, accountHash, createdBy,
          clock.instant())) {
        return ClientRecordStore.byRef(connection, ref).orElseThrow();
      }
    }
    throw new SQLException("no free client reference after " + DRAWS + " draws");
  }
}
