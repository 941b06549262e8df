package be.praatbrug.bridge.main;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets the bridge derives from its appservice token instead of storing separately.
 *
 * <p>The room secret keys the hashes of knock codes and pseudonymous client references. Deriving it
 * means there is no extra secret to lose or leak; the price is that rotating {@code as_token}
 * invalidates outstanding knock codes and starts new client references.
 */
final class Secrets {

  private Secrets() {}

  /**
   * The key that seals the bot's E2EE state in the store. Derived like the room secret, with its
   * own label; rotating {@code as_token} therefore means a new E2EE device (the old state no
   * longer opens and the bridge starts a fresh account).
   */
  static byte[] e2eeStateKey(String asToken) {
    return derive(asToken, "praatbrug e2ee state key v1");
  }

  static byte[] roomSecret(String asToken) {
    return derive(asToken, "praatbrug room secret v1");
  }

  /** HMAC-SHA-256 of {@code label} under {@code as_token}: one secret per purpose from one token. */
  private static byte[] derive(String asToken, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(asToken.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }
}
