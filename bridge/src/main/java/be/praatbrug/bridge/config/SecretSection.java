package be.praatbrug.bridge.config;

/**
 * The bridge-only secret ({@code be.praatbrug.bridge.secret}): the key the bot's E2EE state is
 * sealed with, knock codes and link secrets are hashed with, and client references are made with.
 * It is the bridge's alone, never shared with the homeserver (unlike {@code as_token}).
 *
 * @param keyFile where it lives, created on the first start with mode 0600; by default beside the
 *     ledger key ({@code bridge-secret.json})
 * @param keyPassphrase encrypts the file when set (scrypt + AES-256-GCM); a secret, never printed
 */
public record SecretSection(String keyFile, String keyPassphrase) {

  @Override
  public String toString() {
    return "SecretSection[keyFile=" + keyFile + ", keyPassphrase="
        + (keyPassphrase == null ? "<none>" : "<redacted>") + "]";
  }
}
