package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.RegistrationGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real Synapse ({@code caw.test}) for the whole integration-test run, started fresh through
 * {@code homeserver-config/synapse.sh} with a registration pointing at the bridge's test port.
 *
 * <p>Fresh means its instance directory is wiped first, so no state leaks between runs. It runs on
 * its own ports (client 18008, federation 18448) so a running demo (8008/8448) is not disturbed;
 * {@code PRAATBRUG_IT_INSTANCE}, {@code PRAATBRUG_IT_CLIENT_PORT} and
 * {@code PRAATBRUG_IT_FEDERATION_PORT} move it elsewhere, with a work directory of its own.
 * {@code PRAATBRUG_IT_KEEP=1} (benchmarks only) keeps an earlier run's instance, work directory and
 * registration when both are there, so a harness can go on growing what it made before.
 * {@code PRAATBRUG_IT_SYNAPSE_POSTGRES} (benchmarks only: a {@code postgresql://user:password@host:port/name}
 * URL) keeps Synapse's data in that PostgreSQL database instead of SQLite; a fresh start makes it anew.
 */
final class TestHomeserver {

  // Overridable so two checkouts can run their integration tests side by side.
  static final String NAME = setting("PRAATBRUG_IT_INSTANCE", "it");
  static final String ORG = "caw";
  static final String DOMAIN = "caw.test";
  static final int CLIENT_PORT = Integer.parseInt(setting("PRAATBRUG_IT_CLIENT_PORT", "18008"));
  static final int FEDERATION_PORT = Integer.parseInt(setting("PRAATBRUG_IT_FEDERATION_PORT", "18448"));
  static final boolean KEEP = "1".equals(setting("PRAATBRUG_IT_KEEP", "0"));
  static final String SYNAPSE_POSTGRES = setting("PRAATBRUG_IT_SYNAPSE_POSTGRES", "");

  private static TestHomeserver instance;

  final Path workDir;
  final Path configFile;
  final Path registrationFile;
  final int bridgePort;
  final String clientUrl = "http://127.0.0.2:" + CLIENT_PORT;
  /** True when an earlier run's instance was kept ({@link #KEEP}) rather than made fresh. */
  final boolean kept;
  private final SynapseScript script;

  private TestHomeserver(Path repository) throws Exception {
    this.script = new SynapseScript(repository);
    this.workDir = repository.resolve(NAME.equals("it") ? "test/target/it-homeserver" : "test/target/it-homeserver-" + NAME);
    this.configFile = workDir.resolve("config.yaml");
    this.registrationFile = workDir.resolve("registration.yaml");
    this.kept = KEEP && Files.isRegularFile(registrationFile) && Files.isDirectory(instanceDir());
    if (kept) {
      this.bridgePort = BridgeConfig.load(configFile, Map.of(), false).appservice().port();
    } else {
      deleteRecursively(workDir);
      Files.createDirectories(workDir);
      this.bridgePort = freePort();
    }
  }

  private Path instanceDir() {
    String dir = script.run("paths", "--name", NAME, "--org", ORG).get("instance_dir");
    return dir == null ? workDir.resolve("no-instance") : Path.of(dir);
  }

  /** Starts Synapse on first use; later calls return the same running instance. */
  static synchronized TestHomeserver get() {
    if (instance == null) {
      try {
        TestHomeserver homeserver = new TestHomeserver(repository());
        homeserver.start();
        instance = homeserver;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the test homeserver: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  private void start() throws Exception {
    if (kept) {
      script.run("stop", "--name", NAME);
      startSynapse();
      return;
    }
    Files.writeString(configFile, """
        homeserver:
          address: %s
          domain: %s
        appservice:
          hostname: 127.0.0.1
          port: %d
        database:
          type: sqlite
          uri: %s
        rooms:
          policy_dir: %s
        ledger:
          key_file: %s
          consent_dir: %s
        logging:
          level: debug
        metrics:
          port: 0
        """.formatted(clientUrl, DOMAIN, bridgePort, workDir.resolve("bridge.db"),
        repository().resolve("policy/policies"), workDir.resolve("ledger-key.json"),
        repository().resolve("policy/consent")));
    RegistrationGenerator.generate(configFile, registrationFile, Map.of());

    script.run("stop", "--name", NAME);
    deleteRecursively(instanceDir());
    if (!SYNAPSE_POSTGRES.isEmpty()) {
      SynapseDatabase.makeAnew(SYNAPSE_POSTGRES);
    }
    startSynapse();
    script.run("register", "--name", NAME, "--org", ORG, "--user", "admin", "--password",
        ADMIN_PASSWORD, "--admin");
    makeBotAdmin();
  }

  private void startSynapse() {
    java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of("start", "--name", NAME,
        "--org", ORG, "--registration", registrationFile.toAbsolutePath().toString(), "--client-port",
        String.valueOf(CLIENT_PORT), "--federation-port", String.valueOf(FEDERATION_PORT)));
    if (!SYNAPSE_POSTGRES.isEmpty()) {
      arguments.addAll(java.util.List.of("--postgres", SYNAPSE_POSTGRES));
    }
    script.run(arguments.toArray(String[]::new));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> script.run("stop", "--name", NAME)));
  }

  static final String ADMIN_PASSWORD = "admin password for tests";

  private void makeBotAdmin() throws Exception {
    makeBotAdmin(script, NAME, ORG, clientUrl, BridgeConfig.load(configFile, Map.of(), false));
  }

  /**
   * Makes the bot a Synapse admin, as the README asks of real deployments (retention purges and
   * room deletion use the admin API): register its account the way the bridge does at startup,
   * then set the flag with {@code synapse.sh make-admin} on instance {@code name}/{@code org}.
   */
  static void makeBotAdmin(SynapseScript script, String name, String org, String clientUrl, BridgeConfig config)
      throws Exception {
    HttpRequest register = HttpRequest.newBuilder(URI.create(clientUrl + "/_matrix/client/v3/register"))
        .header("Authorization", "Bearer " + config.appservice().asToken())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"m.login.application_service\","
            + "\"username\":\"" + config.appservice().botLocalpart() + "\",\"inhibit_login\":true}"))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(register, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && !response.body().contains("M_USER_IN_USE")) {
      throw new IllegalStateException("registering the bot failed: " + response.body());
    }
    script.run("make-admin", "--name", name, "--org", org, "--user", config.botUserId());
  }

  /** The bridge config that matches this homeserver's registration, with its own database file. */
  BridgeConfig bridgeConfig(Path databaseFile) throws Exception {
    return BridgeConfig.load(configFile,
        ItStore.apply(Map.of("PRAATBRUG_DATABASE_URI", databaseFile.toString())), false);
  }

  /** The same, but with environment-style overrides (to break one setting on purpose). */
  BridgeConfig bridgeConfig(Map<String, String> overrides) throws Exception {
    return BridgeConfig.load(configFile, ItStore.apply(overrides), false);
  }

  /** Creates a user through the registration shared secret, as an admin would. */
  void register(String localpart, String password) {
    script.run("register", "--name", NAME, "--org", ORG, "--user", localpart, "--password", password);
  }

  private static String setting(String variable, String defaultValue) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  static Path repository() {
    String configured = System.getProperty("praatbrug.repo");
    Path path = configured == null ? Path.of("..") : Path.of(configured);
    return path.toAbsolutePath().normalize();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path each : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(each);
      }
    }
  }
}
