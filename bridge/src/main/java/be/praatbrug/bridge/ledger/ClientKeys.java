package be.praatbrug.bridge.ledger;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each client's own field key, and what is sealed under it: the ledger's personal fields, and
 * personal values kept beside the chain (a client record's label). Erasing the client deletes the
 * key, and with it every value sealed under it, wherever it is stored.
 *
 * <p>Also the keyed hash that lets a client with a Matrix account find their record again without
 * the account id being stored: HMAC-SHA-256 under a key derived from the ledger's data key, so it
 * lives and dies with the ledger key file (not with the appservice token).
 */
public final class ClientKeys {

  private final Database database;
  private final OrgKeys keys;
  private final FieldSealer sealer;
  private final Clock clock;
  private final byte[] accountKey;

  ClientKeys(Database database, OrgKeys keys, FieldSealer sealer, Clock clock) {
    this.database = database;
    this.keys = keys;
    this.sealer = sealer;
    this.clock = clock;
    this.accountKey = hmac(keys.dataKey(), "praatbrug client account key v1");
  }

  /** Seals {@code value} as {@code field} of {@code clientRef}, making the client's key if needed. */
  public Future<String> seal(String clientRef, String field, String value) {
    return database.blocking(connection ->
        sealer.sealField(key(connection, clientRef, true).orElseThrow(), clientRef, field, value));
  }

  /** The clear value, or empty when the client's key is gone (erased) or does not fit. */
  public Future<Optional<String>> open(String clientRef, String field, String sealed) {
    return database.blocking(connection -> open(connection, clientRef, field, sealed));
  }

  Optional<String> open(Connection connection, String clientRef, String field, String sealed)
      throws SQLException, GeneralSecurityException {
    Optional<byte[]> key = key(connection, clientRef, false);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(sealer.openField(key.get(), clientRef, field, sealed));
    } catch (GeneralSecurityException sealedUnderAnErasedKey) {
      return Optional.empty();
    }
  }

  /** The stored form of a Matrix account id: a keyed hash, the same for the same account. */
  public String accountHash(String userId) {
    return HexFormat.of().formatHex(hmac(accountKey, userId));
  }

  /** The client's field key; with {@code create}, a new one when there is none. */
  Optional<byte[]> key(Connection connection, String clientRef, boolean create)
      throws SQLException, GeneralSecurityException {
    Optional<String> wrapped = LedgerStore.wrappedClientKey(connection, clientRef);
    if (wrapped.isPresent()) {
      return Optional.of(sealer.unwrapClientKey(keys.dataKey(), clientRef, wrapped.get()));
    }
    if (!create) {
      return Optional.empty();
    }
    byte[] clientKey = sealer.newClientKey();
    LedgerStore.insertClientKey(connection, clientRef,
        sealer.wrapClientKey(keys.dataKey(), clientRef, clientKey), clock.instant());
    return Optional.of(clientKey);
  }

  private static byte[] hmac(byte[] key, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
