package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.RegistrationGenerator;
import be.praatbrug.bridge.main.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Three real Synapses that federate over TLS from the local test CA, started fresh through
 * {@code homeserver-config/synapse.sh} for the whole integration-test run: {@code caw.test} and
 * {@code clb.test}, partners with a bridge each, and {@code other.test}, the outsider.
 *
 * <p>They run beside the demo (which federates on 8448 of the same addresses), so each server
 * name carries its federation port ({@code caw.test:18641}): that is how Synapse finds a port
 * without DNS SRV or {@code .well-known}. Each partner's {@code federation_domain_whitelist} is
 * generated from its bridge's policies with {@code federation-whitelist}, exactly as an admin
 * would; {@code other.test} has none, so keeping it out is up to the partners.
 * {@code PRAATBRUG_FED_INSTANCE} and {@code PRAATBRUG_FED_PORT_BASE} rename the instance and move
 * its ports so two checkouts can run side by side.
 */
final class FederatedOrganisations {

  static final String NAME = setting("PRAATBRUG_FED_INSTANCE", "fed");
  static final String PASSWORD = "correct horse battery staple";

  /** One organisation's homeserver: name, addresses and ports. */
  record Org(String org, String host, String ip, int clientPort, int federationPort) {
    String serverName() {
      return host + ":" + federationPort;
    }

    String clientUrl() {
      return "http://" + ip + ":" + clientPort;
    }

    String user(String localpart) {
      return "@" + localpart + ":" + serverName();
    }
  }

  /** Client ports BASE+8/18/28, federation ports BASE+41/42/43; PRAATBRUG_FED_PORT_BASE moves them. */
  private static final int BASE = Integer.parseInt(setting("PRAATBRUG_FED_PORT_BASE", "18600"));
  static final Org CAW = new Org("caw", "caw.test", "127.0.0.2", BASE + 8, BASE + 41);
  static final Org CLB = new Org("clb", "clb.test", "127.0.0.3", BASE + 18, BASE + 42);
  static final Org OTHER = new Org("other", "other.test", "127.0.0.4", BASE + 28, BASE + 43);

  /** How often each Synapse's own retention purge job runs in these tests. */
  static final java.time.Duration RETENTION_PURGE_INTERVAL = java.time.Duration.ofSeconds(2);
  /** The lifetime of policy {@code vluchtig}, for watching retention across servers. */
  static final java.time.Duration SHORT_LIFETIME = java.time.Duration.ofSeconds(10);

  private static FederatedOrganisations instance;

  final Path workDir;
  private final SynapseScript script;
  private final Map<Org, String> allowlists = new java.util.HashMap<>();

  private FederatedOrganisations(Path repository) throws IOException {
    this.script = new SynapseScript(repository);
    this.workDir = repository.resolve("test/target/it-federation");
    deleteRecursively(workDir);
  }

  /** Starts the three homeservers on first use; later calls return the same ones. */
  static synchronized FederatedOrganisations get() {
    if (instance == null) {
      try {
        FederatedOrganisations organisations = new FederatedOrganisations(TestHomeserver.repository());
        organisations.start();
        instance = organisations;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the federated homeservers: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  private void start() throws Exception {
    for (Org org : List.of(CAW, CLB, OTHER)) {
      writeBridgeConfig(org);
    }
    allowlists.put(CAW, allowlistFromPolicies(CAW));
    allowlists.put(CLB, allowlistFromPolicies(CLB));
    allowlists.put(OTHER, "any");
    script.run("stop", "--name", NAME);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> script.run("stop", "--name", NAME)));
    for (Org org : List.of(CAW, CLB, OTHER)) {
      String instanceDir = script.run("paths", "--name", NAME, "--org", org.org()).get("instance_dir");
      deleteRecursively(Path.of(instanceDir));
      startSynapse(org);
    }
    for (Org org : List.of(CAW, CLB)) {
      for (String user : List.of("counsellor", "client", "stranger")) {
        script.run("register", "--name", NAME, "--org", org.org(), "--user", user, "--password", PASSWORD);
      }
    }
    script.run("register", "--name", NAME, "--org", OTHER.org(), "--user", "outsider", "--password", PASSWORD);
    for (Org org : List.of(CAW, CLB)) {
      makeBotAdmin(org);
    }
  }

  /**
   * The bots are server admins, as the README asks (retention, and the bridge's watch on
   * federation reads Synapse's admin API): register the bot as the bridge would, then set the flag.
   */
  private void makeBotAdmin(Org org) throws Exception {
    TestHomeserver.makeBotAdmin(script, NAME, org.org(), org.clientUrl(), bridgeConfig(org));
  }

  /** Starts (or restarts after {@link #stopSynapse}) one homeserver with its federation settings. */
  void startSynapse(Org org) {
    script.run("start", "--name", NAME, "--org", org.org(), "--registration",
        dir(org).resolve("registration.yaml").toString(), "--client-port", String.valueOf(org.clientPort()),
        "--federation-port", String.valueOf(org.federationPort()), "--server-name-with-port",
        "--federation-allow", allowlists.get(org), "--fast-federation-retries",
        "--retention-purge-interval", RETENTION_PURGE_INTERVAL.toSeconds() + "s");
  }

  /** Cuts one organisation off: its Synapse stops, federation to it fails. */
  void stopSynapse(Org org) {
    script.run("stop", "--name", NAME, "--org", org.org());
  }

  /** The rendered homeserver.yaml of one organisation. */
  String homeserverConfig(Org org) throws IOException {
    return Files.readString(Path.of(script.run("paths", "--name", NAME, "--org", org.org()).get("config")));
  }

  Path dir(Org org) {
    return workDir.resolve(org.org());
  }

  BridgeConfig bridgeConfig(Org org) throws Exception {
    return bridgeConfig(org, Map.of());
  }

  /** The same with environment-style overrides (e.g. a shorter retention interval). */
  BridgeConfig bridgeConfig(Org org, Map<String, String> overrides) throws Exception {
    return BridgeConfig.load(dir(org).resolve("config.yaml"), overrides, false);
  }

  /**
   * The bridge config, and the organisation's policies: the shipped one with this run's server
   * names, no consent step (that is {@link CounsellingRoomIT}'s subject), and {@code kort} with a
   * handover of a few seconds so its end can be watched.
   */
  private void writeBridgeConfig(Org org) throws Exception {
    Path dir = dir(org);
    Path policies = dir.resolve("policies");
    Files.createDirectories(policies);
    if (org != OTHER) {
      String shipped = Files.readString(TestHomeserver.repository().resolve("policy/policies/" + org.org() + ".yaml"))
          .replace("allowed_servers: [caw.test, clb.test]",
              "allowed_servers: [" + CAW.serverName() + ", " + CLB.serverName() + "]")
          .replace("consent:\n  required: true", "consent:\n  required: false");
      Files.writeString(policies.resolve(org.org() + ".yaml"), shipped);
      Files.writeString(policies.resolve("kort.yaml"),
          PolicyCopies.withoutDoor(shipped).replace("handover: 30m", "handover: 6s"));
      Files.writeString(policies.resolve("vluchtig.yaml"),
          PolicyCopies.withoutDoor(shipped).replace("max_lifetime: 30d", "max_lifetime: " + SHORT_LIFETIME.toSeconds() + "s"));
      String overleg = Files.readString(TestHomeserver.repository().resolve("policy/policies/overleg.yaml"))
          .replace("allowed_servers: [caw.test, clb.test]",
              "allowed_servers: [" + CAW.serverName() + ", " + CLB.serverName() + "]");
      Files.writeString(policies.resolve("overleg.yaml"), overleg);
      // Family sessions keep their consent step: everyone consents for themselves.
      Files.writeString(policies.resolve("gezin.yaml"),
          Files.readString(TestHomeserver.repository().resolve("policy/policies/gezin.yaml"))
              .replace("allowed_servers: [caw.test, clb.test]",
                  "allowed_servers: [" + CAW.serverName() + ", " + CLB.serverName() + "]"));
    }
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        homeserver:
          address: %s
          domain: %s
        appservice:
          hostname: 127.0.0.1
          port: %d
        rooms:
          policy_dir: %s
          reconcile_interval_seconds: 60
        ledger:
          key_file: %s
          consent_dir: %s
        logging:
          level: debug
        metrics:
          port: 0
        """.formatted(org.clientUrl(), org.serverName(), freePort(), policies,
        dir.resolve("ledger-key.json"), TestHomeserver.repository().resolve("policy/consent"))
        + ItStore.yaml(dir.resolve("bridge.db")));
    RegistrationGenerator.generate(config, dir.resolve("registration.yaml"), Map.of());
  }

  /** What the bridge's {@code federation-whitelist} command prints, as synapse.sh wants it. */
  private String allowlistFromPolicies(Org org) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Main.run(new String[] {"--config", dir(org).resolve("config.yaml").toString(),
        "federation-whitelist"}, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (exit != 0) {
      throw new IllegalStateException("federation-whitelist failed: " + err.toString(StandardCharsets.UTF_8));
    }
    String servers = out.toString(StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("  - ")).map(line -> line.substring(4).strip())
        .collect(Collectors.joining(","));
    return servers.isEmpty() ? "none" : servers;
  }

  private static String setting(String variable, String defaultValue) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? defaultValue : value;
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
