package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bot's crypto state in the store, encrypted at rest: each value is sealed with AES-256-GCM
 * (random 12-byte nonce) and bound to its kind and key as associated data, so a row copied to
 * another key does not open. Sealing runs on the database's worker threads.
 */
final class SealedStateStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SealedStateStore.class);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Database database;
  private final SecretKeySpec key;

  SealedStateStore(Database database, byte[] stateKey) {
    if (stateKey.length != 32) {
      throw new IllegalArgumentException("the E2EE state key must be 32 bytes");
    }
    this.database = database;
    this.key = new SecretKeySpec(stateKey, "AES");
  }

  Future<Void> put(String kind, String stateKey, byte[] value) {
    return database.blocking(connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(
          "INSERT INTO e2ee_state (kind, state_key, sealed, updated_at) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (kind, state_key) DO UPDATE SET sealed = excluded.sealed, updated_at = excluded.updated_at")) {
        upsert.setString(1, kind);
        upsert.setString(2, stateKey);
        upsert.setString(3, seal(kind, stateKey, value));
        upsert.setLong(4, System.currentTimeMillis());
        upsert.executeUpdate();
        return null;
      }
    });
  }

  Future<Optional<byte[]>> get(String kind, String stateKey) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT sealed FROM e2ee_state WHERE kind = ? AND state_key = ?")) {
        query.setString(1, kind);
        query.setString(2, stateKey);
        try (ResultSet rows = query.executeQuery()) {
          return rows.next() ? Optional.of(open(kind, stateKey, rows.getString(1))) : Optional.<byte[]>empty();
        }
      }
    });
  }

  /** Removes one value (e.g. an Olm session dropped to stay within the cap). */
  Future<Void> delete(String kind, String stateKey) {
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM e2ee_state WHERE kind = ? AND state_key = ?")) {
        delete.setString(1, kind);
        delete.setString(2, stateKey);
        delete.executeUpdate();
        return null;
      }
    });
  }

  /** Forgets all E2EE state (used when it was sealed under a key the bridge no longer has). */
  Future<Void> clear() {
    return database.blocking(connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM e2ee_state")) {
        delete.executeUpdate();
        return null;
      }
    });
  }

  /** {@link #resealFrom} with the first of {@code olderKeys} that opens the state; false when none does. */
  Future<Boolean> resealFromAny(java.util.List<byte[]> olderKeys) {
    Future<Boolean> chain = Future.succeededFuture(false);
    for (byte[] older : olderKeys) {
      chain = chain.compose(done -> done ? Future.succeededFuture(true) : resealFrom(older));
    }
    return chain.onSuccess(resealed -> {
      if (resealed) {
        LOG.info("E2EE state re-sealed with the current bridge secret; the device stays the same");
      }
    });
  }

  /**
   * Re-seals every row that {@code olderKey} opens with this store's key, all in one transaction;
   * false (and nothing changed) when {@code olderKey} does not open the bot's account.
   */
  Future<Boolean> resealFrom(byte[] olderKey) {
    SealedStateStore older = new SealedStateStore(database, olderKey);
    return database.inTransaction(connection -> {
      Map<String, String[]> rows = new LinkedHashMap<>();
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT kind, state_key, sealed FROM e2ee_state");
          ResultSet found = query.executeQuery()) {
        while (found.next()) {
          rows.put(found.getString(1) + "\u0000" + found.getString(2),
              new String[] {found.getString(1), found.getString(2), found.getString(3)});
        }
      }
      String[] account = rows.get("account\u0000bot");
      if (account == null) {
        return false;
      }
      try {
        older.open(account[0], account[1], account[2]);
      } catch (GeneralSecurityException notThisKey) {
        return false;
      }
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE e2ee_state SET sealed = ? WHERE kind = ? AND state_key = ?")) {
        for (String[] row : rows.values()) {
          update.setString(1, seal(row[0], row[1], older.open(row[0], row[1], row[2])));
          update.setString(2, row[0]);
          update.setString(3, row[1]);
          update.executeUpdate();
        }
      }
      return true;
    });
  }

  /** Every value of one kind, by key. */
  Future<Map<String, byte[]>> all(String kind) {
    return database.blocking(connection -> {
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT state_key, sealed FROM e2ee_state WHERE kind = ? ORDER BY state_key")) {
        query.setString(1, kind);
        Map<String, byte[]> values = new LinkedHashMap<>();
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            values.put(rows.getString(1), open(kind, rows.getString(1), rows.getString(2)));
          }
        }
        return values;
      }
    });
  }

  private String seal(String kind, String stateKey, byte[] value) throws GeneralSecurityException {
    byte[] nonce = new byte[12];
    RANDOM.nextBytes(nonce);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    cipher.updateAAD(associatedData(kind, stateKey));
    byte[] sealed = cipher.doFinal(value);
    byte[] out = new byte[1 + nonce.length + sealed.length];
    out[0] = 1;
    System.arraycopy(nonce, 0, out, 1, nonce.length);
    System.arraycopy(sealed, 0, out, 1 + nonce.length, sealed.length);
    return Base64.getEncoder().encodeToString(out);
  }

  private byte[] open(String kind, String stateKey, String sealedText) throws GeneralSecurityException {
    byte[] sealed = Base64.getDecoder().decode(sealedText);
    if (sealed.length < 1 + 12 + 16 || sealed[0] != 1) {
      throw new GeneralSecurityException("E2EE state row " + kind + " is not sealed by this bridge");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, sealed, 1, 12));
    cipher.updateAAD(associatedData(kind, stateKey));
    try {
      return cipher.doFinal(sealed, 13, sealed.length - 13);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new GeneralSecurityException("E2EE state row " + kind + " does not open: wrong e2ee key or changed row", e);
    }
  }

  private static byte[] associatedData(String kind, String stateKey) {
    return (kind + "\u0000" + stateKey).getBytes(StandardCharsets.UTF_8);
  }
}
