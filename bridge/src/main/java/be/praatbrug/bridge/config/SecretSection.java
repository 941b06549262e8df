package be.praatbrug.bridge.config;

import java.nio.file.Path;

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

  static SecretSection from(YamlConfigFile yaml, String ledgerKeyFile) {
    String fallback = Path.of(ledgerKeyFile).resolveSibling("bridge-secret.json").toString();
    String file = yaml.string("secret", "key_file", fallback);
    if (file.endsWith("/")) {
      yaml.problem("secret.key_file", "\"" + file + "\" is a directory. Name the file, e.g. "
          + "var/bridge-secret.json");
    }
    String passphrase = yaml.string("secret", "key_passphrase", null);
    if (passphrase != null && passphrase.length() < 12) {
      // Never echo the value: it is a secret.
      yaml.problem("secret.key_passphrase", "too short (" + passphrase.length()
          + " characters); use at least 12, or leave it out to rely on the file mode alone");
    }
    return new SecretSection(file, passphrase);
  }

  @Override
  public String toString() {
    return "SecretSection[keyFile=" + keyFile + ", keyPassphrase="
        + (keyPassphrase == null ? "<none>" : "<redacted>") + "]";
  }
}
