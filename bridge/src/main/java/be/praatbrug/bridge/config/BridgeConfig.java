package be.praatbrug.bridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The bridge's whole configuration: one record per YAML section (see {@code example-config.yaml}).
 *
 * <p>Loaded once at startup and validated as a whole, so an admin sees every mistake in one go.
 */
public record BridgeConfig(
    HomeserverSection homeserver,
    AppServiceSection appservice,
    DatabaseSection database,
    RoomsSection rooms,
    LoggingSection logging,
    LedgerSection ledger,
    WidgetSection widget,
    EntrySection entry,
    AdminSection admin,
    OpsSection ops,
    SecretSection secret,
    StaffDirectorySection staffDirectory) {

  /** Environment variables {@code PRAATBRUG_SECTION_KEY} override the file. */
  public static final String ENV_PREFIX = "PRAATBRUG";

  /** Every section and key the bridge reads (the deployment files are checked against it). */
  public static final Map<String, Set<String>> KNOWN_KEYS =
      java.util.Collections.unmodifiableMap(knownKeys());

  private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=/+-]+");
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?");

  /**
   * The organisation's homeserver.
   *
   * @param address client-server API base URL the bridge calls, e.g. {@code http://127.0.0.2:8008}
   * @param domain the server name in user ids, e.g. {@code caw.test}
   * @param maxConnections HTTP/1.1 connections the bridge keeps to it at most; a burst of kicks and
   *     notices queues on them
   */
  public record HomeserverSection(String address, String domain, int maxConnections) {}

  /**
   * How the homeserver and the bridge know each other.
   *
   * @param address the URL the homeserver pushes transactions to (goes into the registration)
   * @param maxBodyBytes requests larger than this are refused with 413 before being read whole
   */
  public record AppServiceSection(
      String id,
      String address,
      String hostname,
      int port,
      String asToken,
      String hsToken,
      String botLocalpart,
      String botDisplayname,
      String guestLocalpartPrefix,
      int maxBodyBytes) {

    public String botUserId(String domain) {
      return "@" + botLocalpart + ":" + domain;
    }

    /** Tokens are secrets: they never appear in logs or error messages. */
    @Override
    public String toString() {
      return "AppServiceSection[id=" + id + ", address=" + address + ", hostname=" + hostname
          + ", port=" + port + ", botLocalpart=" + botLocalpart + ", tokens=<redacted>]";
    }
  }

  /**
   * Where the bridge keeps its own records.
   *
   * @param type {@code sqlite} (embedded file, the default) or {@code postgres}
   * @param uri a file path for sqlite; a {@code jdbc:postgresql://} URL for postgres
   */
  public record DatabaseSection(
      String type, String uri, String username, String password, int maxConnections) {

    @Override
    public String toString() {
      return "DatabaseSection[type=" + type + ", uri=" + uri + ", username=" + username
          + ", password=<redacted>, maxConnections=" + maxConnections + "]";
    }
  }

  /**
   * Counselling rooms: where the policies live and how often the bridge checks and cleans rooms.
   *
   * @param policyDir directory of {@code <name>.yaml} policy files
   * @param defaultPolicy the policy {@code !gesprek nieuw} uses without an argument
   * @param reconcileConcurrency rooms whose state is fetched and repaired at once in a reconciliation
   * @param publicBaseUrl the bridge's address as clients' browsers reach it (for client links)
   */
  public record RoomsSection(
      String policyDir,
      String defaultPolicy,
      int reconcileIntervalSeconds,
      int reconcileConcurrency,
      int retentionIntervalSeconds,
      String publicBaseUrl) {}

  /**
   * @param level one of error, warn, info, debug, trace
   * @param format {@code text} (one readable line per message) or {@code json} (one JSON object
   *     per line, for log collectors)
   */
  public record LoggingSection(String level, String format) {}

  /**
   * The signed consent and session ledger.
   *
   * @param keyFile the organisation's ledger key, created on first start with mode 0600
   * @param keyPassphrase encrypts the key file when set; a secret, never printed
   * @param consentDir consent texts, {@code <organisation>/v<N>.<language>.md}
   */
  public record LedgerSection(String keyFile, String keyPassphrase, String consentDir) {

    @Override
    public String toString() {
      return "LedgerSection[keyFile=" + keyFile + ", keyPassphrase="
          + (keyPassphrase == null ? "<none>" : "<redacted>") + ", consentDir=" + consentDir + "]";
    }
  }

  /**
   * The call widget the bridge serves and puts into counselling rooms.
   *
   * @param publicUrl where people's browsers reach the bridge's {@code /widget/} routes (behind a
   *     reverse proxy in production); the widget URL in rooms starts with it
   * @param homeserverPublicUrl the homeserver as browsers reach it; the only other origin the
   *     widget's Content-Security-Policy allows
   * @param clientOrigins origins of the Matrix web clients (e.g. the organisation's Element) that
   *     may show the widget in a frame
   * @param relayOnly send all call media through the homeserver's TURN server, so neither side
   *     learns the other's IP address (costs a relay hop)
   */
  public record WidgetSection(
      String publicUrl, String homeserverPublicUrl, List<String> clientOrigins, boolean relayOnly) {}

  /**
   * The client page behind the link ({@code /binnen/}) for clients without an app.
   *
   * @param maxAttempts codes typed by hand per client address (IPv6: per /64) per window; links
   *     are never limited (they cannot be guessed)
   * @param globalWrongCodes wrong typed codes per window from everyone together, after which typed
   *     codes are looked up one per second
   * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} names the
   *     client (for the entry API and the admin sign-in); without them every client behind the
   *     proxy would share one limit
   * @param appName the page's tab title and the installed app's name; neutral by default, so a
   *     shared phone shows nothing about counselling or the organisation
   * @param exitUrl where "Snel weg" (quick exit) takes the client: an ordinary, neutral site
   */
  public record EntrySection(int maxAttempts, int attemptWindowSeconds, int globalWrongCodes,
      List<String> trustedProxies, String appName, String exitUrl) {

    public static final String NEUTRAL_APP_NAME = "Chat";
    public static final String NEUTRAL_EXIT_URL = "https://www.google.be/";
  }

  /**
   * The admin API and page ({@code be.praatbrug.bridge.admin}): who may sign in, for how long, and
   * the floor no policy edit through the API can go below.
   *
   * @param users Matrix ids of the organisation's admins, all on this homeserver
   * @param sessionMinutes how long a bridge admin session lasts after sign-in
   * @param openidUrl where the bridge checks OpenID tokens ({@code /_matrix/federation/v1/openid/
   *     userinfo}); the homeserver must serve the {@code openid} resource there
   * @param floor limits set at deployment, never through the API
   */
  public record AdminSection(List<String> users, int sessionMinutes, String openidUrl, Floor floor) {

    /**
     * The server's own floor for policies saved through the admin API.
     *
     * @param maxHumans counselling rooms never admit more people than this
     * @param maxRetention messages are never kept longer than this
     */
    public record Floor(int maxHumans, java.time.Duration maxRetention, boolean encryptionRequired,
        boolean knockRequired, boolean consentRequired) {}
  }

  public String botUserId() {
    return appservice.botUserId(homeserver.domain());
  }

  /** Reads, overrides from {@code env}, and validates; tokens may be missing when {@code forRegistration}. */
  public static BridgeConfig load(Path file, Map<String, String> env, boolean forRegistration)
      throws ConfigException {
    YamlConfigFile yaml = YamlConfigFile.read(file).withEnvironment(ENV_PREFIX, env, KNOWN_KEYS);
    yaml.rejectUnknownKeys(KNOWN_KEYS);
    BridgeConfig config = fromYaml(yaml, forRegistration);
    yaml.throwIfProblems();
    return config;
  }

  static BridgeConfig fromYaml(YamlConfigFile yaml, boolean forRegistration) {
    HomeserverSection homeserver = new HomeserverSection(
        httpUrl(yaml, "homeserver", "address", null),
        required(yaml, "homeserver", "domain", "Set it to the server name in user ids, e.g. caw.test"),
        yaml.integer("homeserver", "max_connections", 32, 1, 512));
    if (homeserver.domain() != null && !SERVER_NAME.matcher(homeserver.domain()).matches()) {
      yaml.problem("homeserver.domain", "\"" + homeserver.domain() + "\" is not a server name");
    }

    String hostname = yaml.string("appservice", "hostname", "127.0.0.1");
    int port = yaml.integer("appservice", "port", 29331, 1, 65535);
    String botLocalpart = localpart(yaml, "bot_localpart", "praatbrug");
    AppServiceSection appservice = new AppServiceSection(
        yaml.string("appservice", "id", "praatbrug"),
        httpUrl(yaml, "appservice", "address", "http://" + hostname + ":" + port),
        hostname,
        port,
        token(yaml, "as_token", forRegistration),
        token(yaml, "hs_token", forRegistration),
        botLocalpart,
        yaml.string("appservice", "bot_displayname", "Praatbrug"),
        localpart(yaml, "guest_localpart_prefix", botLocalpart + "_guest_"),
        yaml.integer("appservice", "max_body_bytes", 16 * 1024 * 1024, 1024, 256 * 1024 * 1024));

    String type = yaml.string("database", "type", "sqlite");
    if (!List.of("sqlite", "postgres").contains(type)) {
      yaml.problem("database.type", "\"" + type + "\" is not supported. Use sqlite or postgres");
    }
    String uri = yaml.string("database", "uri", "postgres".equals(type) ? null : "var/praatbrug.db");
    if ("postgres".equals(type) && (uri == null || !uri.startsWith("jdbc:postgresql://"))) {
      yaml.problem("database.uri", "postgres needs a jdbc:postgresql://host:port/database URL");
    }
    // A URL read as a file name would quietly make a new, empty SQLite database beside the bridge.
    if ("sqlite".equals(type) && uri != null && uri.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
        && !uri.matches("^[A-Za-z]:[\\\\/].*")) {
      yaml.problem("database.uri", "\"" + uri.replaceAll("//[^@/]*@", "//…@") + "\" is a URL, but "
          + "database.type sqlite takes a file path. For PostgreSQL set database.type: postgres");
    }
    DatabaseSection database = new DatabaseSection(type, uri,
        yaml.string("database", "username", null),
        yaml.string("database", "password", null),
        yaml.integer("database", "max_connections", 4, 1, 64));

    RoomsSection rooms = new RoomsSection(
        yaml.string("rooms", "policy_dir", "policy/policies"),
        yaml.string("rooms", "default_policy", null),
        yaml.integer("rooms", "reconcile_interval_seconds", 300, 1, 86_400),
        yaml.integer("rooms", "reconcile_concurrency", 8, 1, 64),
        yaml.integer("rooms", "retention_interval_seconds", 3600, 1, 86_400),
        httpUrl(yaml, "rooms", "public_base_url", appservice.address()));

    String level = yaml.string("logging", "level", "info");
    if (!List.of("error", "warn", "info", "debug", "trace").contains(level)) {
      yaml.problem("logging.level", "\"" + level + "\" is not a level. Use error, warn, info or debug");
    }
    String format = yaml.string("logging", "format", "text");
    if (!List.of("text", "json").contains(format)) {
      yaml.problem("logging.format", "\"" + format + "\" is not a format. Use text or json");
    }
    LedgerSection ledger = ledger(yaml);
    return new BridgeConfig(homeserver, appservice, database, rooms,
        new LoggingSection(level, format), ledger,
        widget(yaml, appservice.address(), homeserver.address()), entry(yaml),
        admin(yaml, homeserver), OpsSection.from(yaml, homeserver.domain(), port),
        SecretSection.from(yaml, ledger.keyFile()), staffDirectory(yaml));
  }

  /**
   * The organisation's identity provider (Keycloak), asked every {@code pollSeconds} which staff
   * accounts are disabled: their Matrix sessions end and the admins hear which rooms to hand over.
   * Null when not configured.
   */
  public record StaffDirectorySection(String issuer, String clientId, String clientSecret, int pollSeconds) {
    @Override
    public String toString() {
      return "StaffDirectorySection[issuer=" + issuer + ", clientId=" + clientId + ", pollSeconds=" + pollSeconds + "]";
    }
  }

  private static StaffDirectorySection staffDirectory(YamlConfigFile yaml) {
    String issuer = yaml.string("staff_directory", "issuer", null);
    if (issuer == null) {
      return null;
    }
    issuer = trimSlash(httpUrl(yaml, "staff_directory", "issuer", null));
    if (issuer != null && !issuer.contains("/realms/")) {
      yaml.problem("staff_directory.issuer", "\"" + issuer + "\" is not a Keycloak realm issuer (…/realms/NAME)");
    }
    return new StaffDirectorySection(issuer,
        yaml.string("staff_directory", "client_id", "praatbrug-bridge"),
        required(yaml, "staff_directory", "client_secret", "Set the secret of the bridge's client in the realm"),
        yaml.integer("staff_directory", "poll_seconds", 15, 1, 300));
  }

  private static EntrySection entry(YamlConfigFile yaml) {
    List<String> proxies = List.of(yaml.string("entry", "trusted_proxies", "").split("\\s+"))
        .stream().filter(address -> !address.isEmpty()).toList();
    String appName = yaml.string("entry", "app_name", EntrySection.NEUTRAL_APP_NAME);
    if (appName.length() > 30 || !appName.matches("[\\p{L}\\p{N} .'&-]+")) {
      yaml.problem("entry.app_name", "\"" + appName + "\" is not a short plain name (at most 30"
          + " letters, digits, spaces, dots, apostrophes, ampersands or hyphens)");
    }
    String exitUrl = yaml.string("entry", "exit_url", EntrySection.NEUTRAL_EXIT_URL);
    if (!exitUrl.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\\s\"<>\\\\]*)?")) {
      yaml.problem("entry.exit_url", "\"" + exitUrl + "\" is not an http(s) address of a site");
    }
    return new EntrySection(yaml.integer("entry", "max_attempts", 10, 1, 1000),
        yaml.integer("entry", "attempt_window_seconds", 600, 1, 86_400),
        yaml.integer("entry", "global_wrong_codes", 50, 1, 100_000), proxies, appName, exitUrl);
  }

  private static AdminSection admin(YamlConfigFile yaml, HomeserverSection homeserver) {
    List<String> users = List.of(yaml.string("admin", "users", "").split("\\s+")).stream()
        .filter(user -> !user.isEmpty()).toList();
    for (String user : users) {
      if (!user.matches("@[a-z0-9._=/+-]+:" + Pattern.quote(String.valueOf(homeserver.domain())))) {
        yaml.problem("admin.users", "\"" + user + "\" is not a user id on this homeserver ("
            + homeserver.domain() + "); only the organisation's own accounts can be admins");
      }
    }
    String retention = yaml.string("admin", "floor_max_retention", "365d");
    java.time.Duration maxRetention = java.time.Duration.ofDays(365);
    if (!retention.matches("[1-9][0-9]{0,6}[smhd]")) {
      yaml.problem("admin.floor_max_retention", "\"" + retention
          + "\" is not a duration. Use a whole number followed by s, m, h or d, e.g. 365d");
    } else {
      maxRetention = be.praatbrug.policy.rules.PolicyParser.duration(retention);
    }
    AdminSection.Floor floor = new AdminSection.Floor(
        yaml.integer("admin", "floor_max_humans", 2, 2, 10),
        maxRetention,
        bool(yaml, "admin", "floor_encryption_required", true),
        bool(yaml, "admin", "floor_knock_required", true),
        bool(yaml, "admin", "floor_consent_required", true));
    return new AdminSection(users, yaml.integer("admin", "session_minutes", 15, 1, 240),
        homeserver.address() == null && yaml.string("admin", "openid_url", null) == null ? null
            : trimSlash(httpUrl(yaml, "admin", "openid_url", homeserver.address())), floor);
  }

  private static boolean bool(YamlConfigFile yaml, String section, String key, boolean fallback) {
    String value = yaml.string(section, key, String.valueOf(fallback));
    if (!List.of("true", "false").contains(value)) {
      yaml.problem(section + "." + key, "\"" + value + "\" is not true or false");
    }
    return "true".equals(value) || (!"false".equals(value) && fallback);
  }

  private static LedgerSection ledger(YamlConfigFile yaml) {
    String passphrase = yaml.string("ledger", "key_passphrase", null);
    if (passphrase != null && passphrase.length() < 12) {
      // Never echo the value: it is a secret.
      yaml.problem("ledger.key_passphrase", "too short (" + passphrase.length()
          + " characters); use at least 12, or leave it out to rely on the file mode alone");
    }
    String keyFile = yaml.string("ledger", "key_file", "var/ledger-key.json");
    if (keyFile.endsWith("/")) {
      yaml.problem("ledger.key_file", "\"" + keyFile + "\" is a directory. Name the file, e.g. "
          + "var/ledger-key.json");
    }
    return new LedgerSection(keyFile, passphrase,
        yaml.string("ledger", "consent_dir", "policy/consent"));
  }

  private static WidgetSection widget(YamlConfigFile yaml, String bridgeAddress,
      String homeserverAddress) {
    String publicUrl = httpUrl(yaml, "widget", "public_url", bridgeAddress);
    String homeserverPublicUrl = httpUrl(yaml, "widget", "homeserver_public_url", homeserverAddress);
    List<String> origins = List.of(yaml.string("widget", "client_origins", "").split("\\s+"))
        .stream().filter(origin -> !origin.isEmpty()).toList();
    for (String origin : origins) {
      if (!ORIGIN.matcher(origin).matches()) {
        yaml.problem("widget.client_origins", "\"" + origin + "\" is not an origin. Use"
            + " scheme://host[:port] without a path, e.g. https://chat.caw.example");
      }
    }
    String relayOnly = yaml.string("widget", "relay_only", "false");
    if (!List.of("true", "false").contains(relayOnly)) {
      yaml.problem("widget.relay_only", "\"" + relayOnly + "\" is not true or false");
    }
    return new WidgetSection(trimSlash(publicUrl), trimSlash(homeserverPublicUrl), origins,
        "true".equals(relayOnly));
  }

  private static String trimSlash(String url) {
    return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static String required(YamlConfigFile yaml, String section, String key, String fix) {
    String value = yaml.string(section, key, null);
    if (value == null) {
      yaml.problem(section + "." + key, "not configured. " + fix);
    }
    return value;
  }

  private static String httpUrl(YamlConfigFile yaml, String section, String key, String fallback) {
    String value = yaml.string(section, key, fallback);
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

  private static String token(YamlConfigFile yaml, String key, boolean forRegistration) {
    String value = yaml.string("appservice", key, null);
    if (value == null && !forRegistration) {
      yaml.problem("appservice." + key,
          "not configured. Did you forget to run generate-registration?");
    } else if (value != null && value.length() < 32) {
      // Never echo the value: it is a secret.
      yaml.problem("appservice." + key, "too short (" + value.length()
          + " characters); use at least 32 random characters, e.g. from generate-registration");
    }
    return value;
  }

  private static String localpart(YamlConfigFile yaml, String key, String defaultValue) {
    String value = yaml.string("appservice", key, defaultValue);
    if (!LOCALPART.matcher(value).matches()) {
      yaml.problem("appservice." + key, "\"" + value
          + "\" is not a valid Matrix localpart (lowercase letters, digits and ._=/+-)");
    }
    return value;
  }

  private static Map<String, Set<String>> knownKeys() {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    keys.put("homeserver", Set.of("address", "domain", "max_connections"));
    keys.put("appservice", Set.of("id", "address", "hostname", "port", "as_token", "hs_token",
        "bot_localpart", "bot_displayname", "guest_localpart_prefix", "max_body_bytes"));
    keys.put("database", Set.of("type", "uri", "username", "password", "max_connections"));
    keys.put("rooms", Set.of("policy_dir", "default_policy", "reconcile_interval_seconds",
        "reconcile_concurrency", "retention_interval_seconds", "public_base_url"));
    keys.put("logging", Set.of("level", "format"));
    keys.put("metrics", Set.of("enabled", "hostname", "port"));
    keys.put("discovery", Set.of("announce", "name", "address"));
    keys.put("election", Set.of("retry_seconds"));
    keys.put("ledger", Set.of("key_file", "key_passphrase", "consent_dir"));
    keys.put("secret", Set.of("key_file", "key_passphrase"));
    keys.put("widget", Set.of("public_url", "homeserver_public_url", "client_origins", "relay_only"));
    keys.put("entry", Set.of("max_attempts", "attempt_window_seconds", "global_wrong_codes",
        "trusted_proxies", "app_name", "exit_url"));
    keys.put("staff_directory", Set.of("issuer", "client_id", "client_secret", "poll_seconds"));
    keys.put("admin", Set.of("users", "session_minutes", "openid_url", "floor_max_humans",
        "floor_max_retention", "floor_encryption_required", "floor_knock_required",
        "floor_consent_required"));
    return keys;
  }
}
