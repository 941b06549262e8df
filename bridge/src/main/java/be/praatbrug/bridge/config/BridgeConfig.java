package be.praatbrug.bridge.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge's whole configuration: one record per YAML section. The keys, their types, defaults
 * and descriptions are in {@code config.schema.json} ({@link ConfigSchema});
 * {@code example-config.yaml} is tested against it.
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

  /**
   * Every section and key the bridge reads, from {@code config.schema.json} (the deployment files
   * are checked against it; environment variables are named after it).
   */
  public static final Map<String, Set<String>> KNOWN_KEYS = ConfigSchema.knownKeys();

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
    ConfigSchema.normalize(yaml.root());
    ConfigSchema.validate(yaml);
    BridgeConfig config = ConfigBinder.bind(yaml, forRegistration);
    yaml.throwIfProblems();
    return config;
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
}
