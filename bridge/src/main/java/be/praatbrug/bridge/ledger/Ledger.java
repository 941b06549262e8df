package be.praatbrug.bridge.ledger;

import be.praatbrug.bridge.config.BridgeConfig.LedgerSection;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The organisation's signed, tamper-evident consent and session ledger: the API the rest of the
 * bridge calls.
 *
 * <p>Recording an event (every method returns at once; the work runs on the database workers):
 * <pre>{@code
 * ledger.append(Entries.sessionEnded(clientRef, sessionId, roomId, counsellor, started, ended))
 *     .onFailure(failure -> LOG.error("session not recorded in the ledger: {}", failure.toString()));
 * ledger.append(Entries.knockAdmitted(clientRef, roomId, counsellor, "code", clock.instant()));
 * ledger.append(EntryKind.RETENTION_PURGE, null, Map.of("room_id", roomId, "cutoff", iso));
 * }</pre>
 * {@link Entries} has a builder per {@link EntryKind}; a draft with a missing or unknown field
 * fails before anything is written. The consent gate asks {@link #hasConsent} before admitting a
 * knock, with the version from {@link ConsentTexts#current}.
 *
 * <p>Why appends cannot fork the chain: appends from this process run one after the other (each
 * waits for the previous one), and each runs in one transaction that first takes the ledger's
 * write lock (so another process, such as {@code ledger erase}, waits its turn), then reads the
 * last entry, inserts the next position and rewrites the signed head. The position is also the
 * primary key: should two writers ever reach the same position, one transaction fails instead of
 * forking the chain, and is retried on the new head.
 *
 * <p>Personal fields are encrypted under the client's own key before they are hashed and signed;
 * {@link #erase} destroys that key (crypto-shredding), so the clear text is gone for good while
 * {@link #verify} still passes over the ciphertext.
 */
public final class Ledger {

  private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
  private static final int APPEND_ATTEMPTS = 10;
  private static final int VERIFY_PAGE = 2_000;
  static final Set<EntryKind> CONSENT_KINDS =
      Set.of(EntryKind.CONSENT_GIVEN, EntryKind.CONSENT_WITHDRAWN);

  private final Database database;
  private final OrgKeys keys;
  private final ConsentTexts consentTexts;
  private final Clock clock;
  private final FieldSealer sealer;
  private final ClientKeys clientKeys;
  private final Object appendOrder = new Object();
  private Future<?> lastAppend = Future.succeededFuture();

  public Ledger(Database database, OrgKeys keys, ConsentTexts consentTexts, Clock clock) {
    this.database = database;
    this.keys = keys;
    this.consentTexts = consentTexts;
    this.clock = clock;
    this.sealer = new FieldSealer(new SecureRandom());
    this.clientKeys = new ClientKeys(database, keys, sealer, clock);
  }

  /**
   * Opens (on first start: creates) the key file and reads the consent texts, on a worker thread.
   * Fails with a {@link LedgerKeyException} that names the config key to fix.
   */
  public static Future<Ledger> open(Vertx vertx, Database database, LedgerSection config,
      Clock clock) {
    return vertx.executeBlocking(() -> {
      OrgKeys keys = LedgerKeyFile.openOrCreate(Path.of(config.keyFile()), config.keyPassphrase(),
          new SecureRandom());
      Path consentDir = Path.of(config.consentDir());
      ConsentTexts texts = ConsentTexts.load(consentDir);
      if (texts.all().isEmpty()) {
        LOG.warn("no consent texts in ledger.consent_dir {}; the consent gate cannot pass anyone",
            consentDir.toAbsolutePath());
      }
      LOG.info("ledger key {} (public key fingerprint {}), {} consent texts", config.keyFile(),
          keys.publicKey().fingerprint(), texts.all().size());
      return new Ledger(database, keys, texts, clock);
    }, false);
  }

  public OrgPublicKey publicKey() {
    return keys.publicKey();
  }

  /** Each client's own key: for personal values kept beside the chain, erased with the client. */
  public ClientKeys clientKeys() {
    return clientKeys;
  }

  /** The organisations' consent texts, for the consent step and the gate. */
  public ConsentTexts consentTexts() {
    return consentTexts;
  }

  /** Records {@code draft} as the next entry; completes with the signed entry once committed. */
  public Future<LedgerEntry> append(EntryDraft draft) {
    return append(draft, connection -> null);
  }

  /** Shorthand for kinds without personal fields, at the ledger clock's current time. */
  public Future<LedgerEntry> append(EntryKind kind, String clientRef, Map<String, String> fields) {
    try {
      return append(EntryDraft.of(kind, clock.instant(), clientRef, fields, Map.of()));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<LedgerEntry> append(EntryDraft draft, Database.SqlWork<Void> alsoInTransaction) {
    synchronized (appendOrder) {
      Future<LedgerEntry> appended = lastAppend.transform(
          previous -> attempt(draft, alsoInTransaction, 1));
      lastAppend = appended;
      return appended;
    }
  }

  private Future<LedgerEntry> attempt(EntryDraft draft, Database.SqlWork<Void> alsoInTransaction,
      int attempt) {
    return database.inTransaction(connection -> {
      LedgerStore.lockForAppend(connection, database.backend());
      alsoInTransaction.run(connection);
      return appendIn(connection, draft);
    }).recover(failure -> {
      if (attempt < APPEND_ATTEMPTS && isRaceLost(failure)) {
        LOG.debug("ledger append raced another writer (attempt {}); retrying", attempt);
        return attempt(draft, alsoInTransaction, attempt + 1);
      }
      return Future.failedFuture(failure);
    });
  }

  private LedgerEntry appendIn(Connection connection, EntryDraft draft) throws Exception {
    Optional<LedgerEntry> last = LedgerStore.last(connection);
    long position = last.map(entry -> entry.position() + 1).orElse(1L);
    String previousHash = last.map(LedgerEntry::hash).orElse(CanonicalForm.GENESIS);
    SortedMap<String, String> sealed = new TreeMap<>();
    if (!draft.personalFields().isEmpty()) {
      byte[] clientKey = clientKeys.key(connection, draft.clientRef(), true).orElseThrow();
      draft.personalFields().forEach((field, value) ->
          sealed.put(field, sealer.sealField(clientKey, draft.clientRef(), field, value)));
    }
    LedgerEntry entry = LedgerEntry.sign(keys, position, previousHash, draft, sealed);
    LedgerStore.insert(connection, entry);
    LedgerStore.writeHead(connection, ChainHead.sign(keys, position, entry.hash()));
    return entry;
  }

  /** A constraint violation or busy database: another writer took this position first. */
  private static boolean isRaceLost(Throwable failure) {
    if (!(failure instanceof SQLException sql)) {
      return false;
    }
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    String message = String.valueOf(sql.getMessage());
    return state.startsWith("23") || state.equals("40001") || message.contains("CONSTRAINT")
        || message.contains("SQLITE_BUSY");
  }

  /**
   * Whether the latest consent decision of {@code clientRef} for {@code organisation} is a consent
   * to {@code consentVersion} (not withdrawn since, not an older version). A consent entry whose
   * hash or signature does not check out counts as no consent.
   */
  public Future<Boolean> hasConsent(String clientRef, String organisation, String consentVersion) {
    return latestConsent(clientRef, organisation).map(latest -> latest
        .map(decision -> decision.given() && consentVersion.equals(decision.version()))
        .orElse(false));
  }

  /**
   * The latest consent decision of {@code clientRef} for {@code organisation} (a consent or a
   * withdrawal), or empty when there is none. An entry whose hash or signature does not check out
   * counts as none: the client is asked again rather than let in on a doubtful record.
   */
  public Future<Optional<ConsentDecision>> latestConsent(String clientRef, String organisation) {
    return database.blocking(connection -> {
      for (LedgerEntry entry : LedgerStore.ofKinds(connection, CONSENT_KINDS, clientRef)) {
        if (!organisation.equals(entry.field("organisation"))) {
          continue;
        }
        if (!entry.isIntact(keys.publicKey())) {
          LOG.warn("ledger entry {} (consent) fails its hash or signature check; not counted",
              entry.position());
          return Optional.<ConsentDecision>empty();
        }
        return Optional.of(new ConsentDecision(entry.kind() == EntryKind.CONSENT_GIVEN,
            entry.field("consent_version"), entry.field("channel"), entry.at(),
            "true".equals(entry.field("under_12")), "true".equals(entry.field("guardian_in_session"))));
      }
      return Optional.<ConsentDecision>empty();
    });
  }

  /** Walks the whole chain with this ledger's public key. */
  public Future<VerificationReport> verify() {
    return verify(database, keys.publicKey());
  }

  /**
   * Walks the whole chain in pages, checking with {@code key} only (no secrets needed).
   *
   * <p>All pages and the head are read in one transaction, so entries appended meanwhile (by the
   * running bridge, while an administrator runs {@code ledger verify}) cannot make a consistent
   * ledger look cut off. On SQLite that one read transaction holds the single connection of this
   * process until the walk ends; readers never block writers in other processes (WAL).
   */
  public static Future<VerificationReport> verify(Database database, OrgPublicKey key) {
    return database.inTransaction(connection -> {
      if ("postgres".equals(database.backend())) {
        try (var statement = connection.createStatement()) {
          statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
      }
      ChainVerifier verifier = new ChainVerifier(key);
      long after = 0;
      List<LedgerEntry> page;
      do {
        page = LedgerStore.page(connection, after, VERIFY_PAGE);
        for (LedgerEntry entry : page) {
          verifier.accept(entry);
          after = entry.position();
        }
      } while (page.size() == VERIFY_PAGE);
      return verifier.finish(LedgerStore.head(connection));
    });
  }

  /**
   * Erases the client's personal data: destroys the client's field key and records the erasure in
   * the chain, in one transaction. Entries stay (their hashes cover ciphertext only), so
   * {@link #verify} still passes; their personal fields can never be opened again.
   */
  public Future<LedgerEntry> erase(String clientRef, String requestedVia) {
    EntryDraft erased;
    try {
      erased = Entries.personalDataErased(clientRef, requestedVia, clock.instant());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Instant at = erased.at();
    return append(erased, connection -> {
      LedgerStore.deleteClientKey(connection, clientRef);
      // The record stays (its reference is in the entries), but no longer leads to the person.
      LedgerStore.forgetClientRecord(connection, clientRef, at);
      return null;
    });
  }

  /** Every entry about {@code clientRef}, in order, personal fields opened where the key exists. */
  public Future<List<OpenedEntry>> entriesFor(String clientRef) {
    return database.blocking(connection -> open(connection, clientRef,
        LedgerStore.forClient(connection, clientRef)));
  }

  /**
   * Up to {@code limit} entries about {@code clientRef} after {@code afterPosition}, in chain order,
   * as stored (personal fields stay sealed, no key is opened): for the admin API's listing.
   */
  public Future<List<LedgerEntry>> pageFor(String clientRef, long afterPosition, int limit) {
    return database.blocking(connection -> LedgerStore.forClient(connection, clientRef).stream()
        .filter(entry -> entry.position() > afterPosition).limit(limit).toList());
  }

  /**
   * Up to {@code limit} entries after {@code afterPosition}, in chain order, as stored (personal
   * fields stay sealed): for paging through the ledger in the admin API.
   */
  public Future<List<LedgerEntry>> page(long afterPosition, int limit) {
    return database.blocking(connection -> LedgerStore.page(connection, afterPosition, limit));
  }

  /** Entries of {@code kinds}, oldest first, for one client or ({@code null}) everyone. */
  Future<List<OpenedEntry>> entriesOfKinds(Set<EntryKind> kinds, String clientRef) {
    return database.blocking(connection -> {
      List<LedgerEntry> newestFirst = LedgerStore.ofKinds(connection, kinds, clientRef);
      List<OpenedEntry> opened = new ArrayList<>();
      for (int i = newestFirst.size() - 1; i >= 0; i--) {
        LedgerEntry entry = newestFirst.get(i);
        opened.addAll(open(connection, entry.clientRef(), List.of(entry)));
      }
      return opened;
    });
  }

  /** The signed head, for exports. */
  Future<Optional<ChainHead>> head() {
    return database.blocking(LedgerStore::head);
  }

  /** Rows of other tables that name {@code clientRef}, by table, for the data-subject export. */
  Future<Map<String, List<Map<String, Object>>>> otherRecordsFor(String clientRef,
      List<String> tables) {
    return database.blocking(connection -> {
      Map<String, List<Map<String, Object>>> records = new LinkedHashMap<>();
      for (String table : tables) {
        records.put(table, LedgerStore.rowsForClient(connection, table, clientRef));
      }
      return records;
    });
  }

  private List<OpenedEntry> open(Connection connection, String clientRef, List<LedgerEntry> entries)
      throws SQLException, GeneralSecurityException {
    Optional<byte[]> clientKey = Optional.empty();
    boolean needed = entries.stream().anyMatch(entry -> !entry.sealedFields().isEmpty());
    if (needed && clientRef != null) {
      clientKey = clientKeys.key(connection, clientRef, false);
    }
    List<OpenedEntry> opened = new ArrayList<>();
    for (LedgerEntry entry : entries) {
      Map<String, String> personal = new TreeMap<>();
      boolean unreadable = !entry.sealedFields().isEmpty() && clientKey.isEmpty();
      if (clientKey.isPresent()) {
        try {
          for (Map.Entry<String, String> sealed : entry.sealedFields().entrySet()) {
            personal.put(sealed.getKey(), sealer.openField(clientKey.get(), entry.clientRef(),
                sealed.getKey(), sealed.getValue()));
          }
        } catch (GeneralSecurityException e) {
          // Sealed under a key erased earlier; the client has a new key since.
          personal.clear();
          unreadable = true;
        }
      }
      opened.add(new OpenedEntry(entry, personal, unreadable));
    }
    return opened;
  }

}
