package be.praatbrug.it;

import be.praatbrug.bridge.config.RegistrationGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A second real Synapse, {@code clb.test}, for tests that need someone from another organisation
 * (e.g. the admin of another organisation trying the caw bridge's admin API). Started on first use
 * and stopped when the test JVM ends.
 *
 * <p>Its registration points at a port nothing listens on: no bridge serves it, the tests only need
 * its accounts and their tokens. Ports and name: {@code PRAATBRUG_IT_OTHER_INSTANCE} (default
 * {@code itother}), {@code PRAATBRUG_IT_OTHER_CLIENT_PORT} (18018),
 * {@code PRAATBRUG_IT_OTHER_FEDERATION_PORT} (18458).
 */
final class OtherOrganisation {

  static final String ORG = "clb";
  static final String DOMAIN = "clb.test";
  static final String NAME = setting("PRAATBRUG_IT_OTHER_INSTANCE", "itother");
  static final int CLIENT_PORT = Integer.parseInt(setting("PRAATBRUG_IT_OTHER_CLIENT_PORT", "18018"));
  static final int FEDERATION_PORT =
      Integer.parseInt(setting("PRAATBRUG_IT_OTHER_FEDERATION_PORT", "18458"));

  private static OtherOrganisation instance;

  final String clientUrl = "http://127.0.0.3:" + CLIENT_PORT;
  private final SynapseScript script;

  private OtherOrganisation(SynapseScript script) {
    this.script = script;
  }

  static synchronized OtherOrganisation get() {
    if (instance == null) {
      try {
        Path repository = TestHomeserver.repository();
        OtherOrganisation other = new OtherOrganisation(new SynapseScript(repository));
        other.start(repository.resolve("test/target/it-other-homeserver"));
        instance = other;
      } catch (Exception e) {
        throw new IllegalStateException("cannot start the other organisation's homeserver: "
            + e.getMessage(), e);
      }
    }
    return instance;
  }

  private void start(Path workDir) throws Exception {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("config.yaml");
    Path registration = workDir.resolve("registration.yaml");
    Files.writeString(config, """
        homeserver:
          address: %s
          domain: %s
        appservice:
          hostname: 127.0.0.1
          port: 9
        """.formatted(clientUrl, DOMAIN));
    RegistrationGenerator.generate(config, registration, Map.of());
    script.run("stop", "--name", NAME);
    String instanceDir = script.run("paths", "--name", NAME, "--org", ORG).get("instance_dir");
    if (instanceDir != null) {
      try (var walk = Files.walk(Path.of(instanceDir))) {
        for (Path each : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(each);
        }
      } catch (java.nio.file.NoSuchFileException alreadyGone) {
        // first run
      }
    }
    script.run("start", "--name", NAME, "--org", ORG, "--registration",
        registration.toAbsolutePath().toString(), "--client-port", String.valueOf(CLIENT_PORT),
        "--federation-port", String.valueOf(FEDERATION_PORT));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> script.run("stop", "--name", NAME)));
  }

  void register(String localpart, String password) {
    script.run("register", "--name", NAME, "--org", ORG, "--user", localpart, "--password", password);
  }

  private static String setting(String variable, String defaultValue) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? defaultValue : value;
  }
}
