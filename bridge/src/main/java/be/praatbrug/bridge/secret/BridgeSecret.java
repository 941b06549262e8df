package be.praatbrug.bridge.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The bridge-only secret and the keys made from it, one per purpose (HMAC-SHA-256 of a label):
 *
 * <ul>
 *   <li>{@link #e2eeStateKey}: seals the bot's E2EE state (account, sessions, room keys) in the store;
 *   <li>{@link #roomSecret}: hashes knock codes and link secrets (client records have random
 *       references of their own and do not depend on it).
 * </ul>
 *
 * <p>Before this secret existed these keys came from {@code as_token}, which Synapse's registration
 * file holds as well; {@link #legacyE2eeStateKey} exists only so E2EE state sealed that way can be
 * re-sealed once. Between a rotation and the next start {@link #previous} holds the secret before,
 * for the same purpose. {@code toString()} never shows key material.
 */
public final class BridgeSecret {

  private static final String E2EE_LABEL = "praatbrug e2ee state key v1";
  private static final String ROOM_LABEL = "praatbrug room secret v1";

  private final byte[] current;
  private final byte[] previous;

  BridgeSecret(byte[] current, byte[] previous) {
    this.current = current.clone();
    this.previous = previous == null ? null : previous.clone();
  }

  public byte[] e2eeStateKey() {
    return derive(current, E2EE_LABEL);
  }

  public byte[] roomSecret() {
    return derive(current, ROOM_LABEL);
  }

  /** Whether a rotation left the secret before in the file (until the next start re-seals). */
  public boolean hasPrevious() {
    return previous != null;
  }

  /**
   * Keys the E2EE state may still be sealed under, newest first: the secret before the last
   * rotation, then the key that was derived from {@code as_token} before the bridge had a secret
   * of its own.
   */
  public List<byte[]> olderE2eeStateKeys(String asToken) {
    List<byte[]> keys = new ArrayList<>();
    if (previous != null) {
      keys.add(derive(previous, E2EE_LABEL));
    }
    if (asToken != null) {
      keys.add(legacyE2eeStateKey(asToken));
    }
    return keys;
  }

  /** The E2EE state key as bridges before the bridge secret derived it, from {@code as_token}. */
  public static byte[] legacyE2eeStateKey(String asToken) {
    return derive(asToken.getBytes(StandardCharsets.UTF_8), E2EE_LABEL);
  }

  /**
   * The room secret as bridges before the bridge secret derived it, from {@code as_token}: only to
   * find a Matrix account's {@code cl-…} reference from before client records again.
   */
  public static byte[] legacyRoomSecret(String asToken) {
    return derive(asToken.getBytes(StandardCharsets.UTF_8), ROOM_LABEL);
  }

  private static byte[] derive(byte[] key, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  @Override
  public String toString() {
    return "BridgeSecret[<redacted>" + (previous == null ? "" : ", previous=<redacted>") + "]";
  }
}
