package be.praatbrug.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code config.schema.json} cannot say, or cannot say helpfully: URLs that must parse,
 * required keys with the command that fixes them, secrets whose values must never be echoed, and
 * keys that depend on each other. Runs on the validated tree with defaults filled in.
 */
final class ConfigChecks {

  private ConfigChecks() {}

  static void check(YamlConfigFile yaml, boolean forRegistration, boolean staffDirectory) {
    ObjectNode root = yaml.root();
    httpUrl(yaml, "homeserver", "address");
    String domain = required(yaml, "homeserver", "domain",
        "Set it to the server name in user ids, e.g. caw.test");
    httpUrl(yaml, "appservice", "address");
    token(yaml, "as_token", forRegistration);
    token(yaml, "hs_token", forRegistration);
    database(yaml);
    httpUrl(yaml, "rooms", "public_base_url");
    passphrase(yaml, "ledger");
    passphrase(yaml, "secret");
    notADirectory(yaml, "ledger", "var/ledger-key.json");
    notADirectory(yaml, "secret", "var/bridge-secret.json");
    trimSlash(root, "widget", "public_url", httpUrl(yaml, "widget", "public_url"));
    trimSlash(root, "widget", "homeserver_public_url", httpUrl(yaml, "widget", "homeserver_public_url"));
    if (text(root, "admin", "openid_url") != null) {
      trimSlash(root, "admin", "openid_url", httpUrl(yaml, "admin", "openid_url"));
    }
    for (JsonNode user : root.path("admin").path("users")) {
      if (!user.asText().matches("@[a-z0-9._=/+-]+:" + Pattern.quote(String.valueOf(domain)))) {
        yaml.problem("admin.users", "\"" + user.asText() + "\" is not a user id on this homeserver ("
            + domain + "); only the organisation's own accounts can be admins");
      }
    }
    int metricsPort = root.path("metrics").path("port").asInt();
    if (metricsPort != 0 && metricsPort == root.path("appservice").path("port").asInt()) {
      yaml.problem("metrics.port", metricsPort + " is appservice.port: the internal listener needs a"
          + " port of its own, one the reverse proxy does not forward");
    }
    if (staffDirectory) {
      String issuer = httpUrl(yaml, "staff_directory", "issuer");
      trimSlash(root, "staff_directory", "issuer", issuer);
      issuer = text(root, "staff_directory", "issuer");
      if (issuer != null && !issuer.contains("/realms/")) {
        yaml.problem("staff_directory.issuer", "\"" + issuer + "\" is not a Keycloak realm issuer (…/realms/NAME)");
      }
      required(yaml, "staff_directory", "client_secret", "Set the secret of the bridge's client in the realm");
    }
  }

  private static void database(YamlConfigFile yaml) {
    String type = text(yaml.root(), "database", "type");
    String uri = text(yaml.root(), "database", "uri");
    if ("postgres".equals(type) && (uri == null || !uri.startsWith("jdbc:postgresql://"))) {
      yaml.problem("database.uri", "postgres needs a jdbc:postgresql://host:port/database URL");
    }
    // A URL read as a file name would quietly make a new, empty SQLite database beside the bridge.
    if ("sqlite".equals(type) && uri != null && uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
        && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
      yaml.problem("database.uri", "\"" + uri.replaceAll("//[^@/]*@", "//…@") + "\" is a URL, but "
          + "database.type sqlite takes a file path. For PostgreSQL set database.type: postgres");
    }
  }

  private static String required(YamlConfigFile yaml, String section, String key, String fix) {
    String value = text(yaml.root(), section, key);
    if (value == null) {
      yaml.problem(section + "." + key, "not configured. " + fix);
    }
    return value;
  }

  private static String httpUrl(YamlConfigFile yaml, String section, String key) {
    String value = text(yaml.root(), section, key);
    if (value == null) {
      yaml.problem(section + "." + key, "not configured. Set the http(s) URL, e.g. http://127.0.0.2:8008");
      return null;
    }
    try {
      URI uri = URI.create(value);
      if (!List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
        yaml.problem(section + "." + key, "\"" + value + "\" is not an http(s) URL with a host");
      }
    } catch (IllegalArgumentException e) {
      yaml.problem(section + "." + key, "\"" + value + "\" is not a URL: " + e.getMessage());
    }
    return value;
  }

  private static void token(YamlConfigFile yaml, String key, boolean forRegistration) {
    String value = text(yaml.root(), "appservice", key);
    if (value == null && !forRegistration) {
      yaml.problem("appservice." + key, "not configured. Did you forget to run generate-registration?");
    } else if (value != null && value.length() < 32) {
      // Never echo the value: it is a secret.
      yaml.problem("appservice." + key, "too short (" + value.length()
          + " characters); use at least 32 random characters, e.g. from generate-registration");
    }
  }

  private static void passphrase(YamlConfigFile yaml, String section) {
    String passphrase = text(yaml.root(), section, "key_passphrase");
    if (passphrase != null && passphrase.length() < 12) {
      // Never echo the value: it is a secret.
      yaml.problem(section + ".key_passphrase", "too short (" + passphrase.length()
          + " characters); use at least 12, or leave it out to rely on the file mode alone");
    }
  }

  private static void notADirectory(YamlConfigFile yaml, String section, String example) {
    String file = text(yaml.root(), section, "key_file");
    if (file != null && file.endsWith("/")) {
      yaml.problem(section + ".key_file", "\"" + file + "\" is a directory. Name the file, e.g. " + example);
    }
  }

  private static void trimSlash(ObjectNode root, String section, String key, String url) {
    if (url != null && url.endsWith("/")) {
      ConfigBinder.section(root, section).put(key, url.substring(0, url.length() - 1));
    }
  }

  private static String text(ObjectNode root, String section, String key) {
    JsonNode value = root.path(section).get(key);
    return value == null || value.isNull() ? null : value.asText();
  }
}
