package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BridgeConfigTest {

  private static final String TOKEN_A = "a".repeat(40);
  private static final String TOKEN_B = "b".repeat(40);

  @TempDir Path directory;

  private Path write(String yaml) throws Exception {
    Path file = directory.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  private static String valid() {
    return MinimalConfig.text("");
  }

  @Test
  void loadsAMinimalConfigWithDefaults() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(), false);

    assertEquals("@praatbrug:caw.test", config.botUserId());
    assertEquals("http://127.0.0.1:29331", config.appservice().address());
    assertEquals("sqlite", config.database().type());
    assertEquals("praatbrug_guest_", config.appservice().guestLocalpartPrefix());
  }

  @Test
  void theShippedExampleConfigIsValidOnceTokensExist() throws Exception {
    Path example = Path.of("example-config.yaml");
    BridgeConfig config = BridgeConfig.load(example, Map.of(
        "PRAATBRUG_APPSERVICE_AS_TOKEN", TOKEN_A, "PRAATBRUG_APPSERVICE_HS_TOKEN", TOKEN_B), false);
    assertEquals("caw.test", config.homeserver().domain());
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(
        "PRAATBRUG_HOMESERVER_ADDRESS", "https://matrix.caw.example",
        "PRAATBRUG_APPSERVICE_PORT", "4000"), false);

    assertEquals("https://matrix.caw.example", config.homeserver().address());
    assertEquals(4000, config.appservice().port());
  }

  @Test
  void reportsEveryProblemWithFileLineAndKey() throws Exception {
    Path file = write("""
        homeserver:
          address: ftp://nowhere
        appservice:
          port: seventy
          hs_tokn: x
        database:
          type: oracle
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(file, Map.of(), false));

    String all = String.join("\n", e.problems());
    assertTrue(all.contains(file + ":2 homeserver.address: \"ftp://nowhere\" is not an http(s) URL"), all);
    assertTrue(all.contains("homeserver.domain: not configured"), all);
    assertTrue(all.contains(file + ":4 appservice.port: \"seventy\" is not a whole number"), all);
    assertTrue(all.contains(file + ":5 appservice.hs_tokn: unknown key"), all);
    assertTrue(all.contains("appservice.as_token: not configured. Did you forget to run generate-registration?"), all);
    assertTrue(all.contains(file + ":7 database.type: \"oracle\" is not supported"), all);
  }

  @Test
  void theStaffDirectoryIsOffUnlessConfiguredAndItsSecretStaysOutOfToString() throws Exception {
    assertEquals(null, BridgeConfig.load(write(valid()), Map.of(), false).staffDirectory());
    BridgeConfig config = BridgeConfig.load(write(valid() + """
        staff_directory:
          issuer: http://127.0.0.1:8180/realms/caw/
          client_secret: geheim-bridge
        """), Map.of(), false);
    assertEquals("http://127.0.0.1:8180/realms/caw", config.staffDirectory().issuer());
    assertEquals("praatbrug-bridge", config.staffDirectory().clientId());
    assertEquals(15, config.staffDirectory().pollSeconds());
    assertTrue(!config.staffDirectory().toString().contains("geheim"), config.staffDirectory().toString());
  }

  @Test
  void aStaffDirectoryMustBeAKeycloakRealmWithASecret() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(write(valid() + """
        staff_directory:
          issuer: https://login.example/tenant
        """), Map.of(), false));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("staff_directory.issuer: \"https://login.example/tenant\" is not a Keycloak realm issuer"), all);
    assertTrue(all.contains("staff_directory.client_secret: not configured"), all);
  }

  @Test
  void namesTheEnvironmentVariableWhenAnOverrideIsBad() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(write(valid()),
        Map.of("PRAATBRUG_APPSERVICE_PORT", "99999"), false));

    assertEquals("environment PRAATBRUG_APPSERVICE_PORT appservice.port: 99999 is out of range. "
        + "Use 1 to 65535", e.problems().get(0));
  }

  @Test
  void pointsAtTheLineOfAYamlSyntaxError() throws Exception {
    Path file = write("homeserver:\n  address: [unclosed\n  domain: caw.test\n");

    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(file, Map.of(), false));

    assertTrue(e.problems().get(0).startsWith(file + ":"), e.problems().get(0));
    assertTrue(e.problems().get(0).contains("YAML syntax error"), e.problems().get(0));
  }

  @Test
  void neverEchoesATokenInAProblemOrToString() throws Exception {
    String secret = "SECRET-short";
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(
        write(valid().replace(TOKEN_A, secret)), Map.of(), false));
    assertFalse(e.getMessage().contains(secret));
    assertTrue(e.getMessage().contains("appservice.as_token: too short"));

    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(), false);
    assertFalse(config.toString().contains(TOKEN_A));
    assertFalse(config.toString().contains(TOKEN_B));
  }

  @Test
  void postgresNeedsAJdbcUrl() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(
        write(valid() + "database:\n  type: postgres\n"), Map.of(), false));
    assertTrue(e.getMessage().contains("database.uri: postgres needs a jdbc:postgresql://"));
  }

  @Test
  void sqliteWithAPostgresUrlIsAnErrorNotANewFile() throws Exception {
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(
        write(valid() + "database:\n  type: sqlite\n  uri: jdbc:postgresql://db:5432/praatbrug\n"),
        Map.of(), false));
    assertTrue(e.getMessage().contains("database.uri: \"jdbc:postgresql://db:5432/praatbrug\" is a URL, but "
        + "database.type sqlite takes a file path"), e.getMessage());
    // File paths, also Windows ones, stay file paths.
    for (String path : List.of("var/praatbrug.db", "/srv/praatbrug/bridge.db", "C:\\praatbrug\\bridge.db")) {
      BridgeConfig config = BridgeConfig.load(
          write(valid() + "database:\n  type: sqlite\n  uri: '" + path + "'\n"), Map.of(), false);
      assertEquals(path, config.database().uri());
    }
  }

  @Test
  void theLedgerHasDefaultsThatNeedNoPassphrase() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(), false);

    assertEquals("var/ledger-key.json", config.ledger().keyFile());
    assertEquals(null, config.ledger().keyPassphrase());
    assertEquals("policy/consent", config.ledger().consentDir());
  }

  @Test
  void theLedgerPassphraseComesFromTheEnvironmentAndIsNeverShown() throws Exception {
    String passphrase = "a long ledger passphrase";
    BridgeConfig config = BridgeConfig.load(write(valid()),
        Map.of("PRAATBRUG_LEDGER_KEY_PASSPHRASE", passphrase), false);

    assertEquals(passphrase, config.ledger().keyPassphrase());
    assertFalse(config.toString().contains(passphrase), config.toString());
  }

  @Test
  void aShortLedgerPassphraseIsAProblemWithoutEchoingIt() throws Exception {
    Path file = write(valid() + "ledger:\n  key_passphrase: hunter2\n");

    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(file, Map.of(), false));

    assertEquals(file + ":8 ledger.key_passphrase: too short (7 characters); use at least 12, or "
        + "leave it out to rely on the file mode alone", e.problems().get(0));
    assertFalse(e.getMessage().contains("hunter2"));
  }

  @Test
  void widgetDefaultsToTheBridgeAndHomeserverAddresses() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(), false);

    assertEquals("http://127.0.0.1:29331", config.widget().publicUrl());
    assertEquals("http://127.0.0.2:8008", config.widget().homeserverPublicUrl());
    assertEquals(java.util.List.of(), config.widget().clientOrigins());
    assertFalse(config.widget().relayOnly());
  }

  @Test
  void readsWidgetOriginsAndRelayOnly() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid() + """
        widget:
          public_url: https://praatbrug.caw.example/
          client_origins: "https://chat.caw.example  http://127.0.0.1:8080"
          relay_only: true
        """), Map.of(), false);

    assertEquals("https://praatbrug.caw.example", config.widget().publicUrl());
    assertEquals(java.util.List.of("https://chat.caw.example", "http://127.0.0.1:8080"),
        config.widget().clientOrigins());
    assertTrue(config.widget().relayOnly());
  }

  @Test
  void reportsBadWidgetSettingsWithTheirLines() throws Exception {
    Path file = write(valid() + """
        widget:
          client_origins: https://chat.caw.example/path
          relay_only: sometimes
        """);

    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(file, Map.of(), false));

    String all = String.join("\n", e.problems());
    assertTrue(all.contains(":8 widget.client_origins: \"https://chat.caw.example/path\" is not an origin"), all);
    assertTrue(all.contains(":9 widget.relay_only: \"sometimes\" is not true or false"), all);
  }

  @Test
  void secretsCanComeFromFilesAsDockerMountsThem() throws Exception {
    Path secret = Files.writeString(directory.resolve("as_token"), TOKEN_B + "\n");
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(
        "PRAATBRUG_APPSERVICE_AS_TOKEN_FILE", secret.toString()), false);
    assertEquals(TOKEN_B, config.appservice().asToken());

    ConfigException missing = assertThrows(ConfigException.class, () -> BridgeConfig.load(
        write(valid()), Map.of("PRAATBRUG_DATABASE_PASSWORD_FILE", "/nonexistent/pw"), false));
    assertTrue(String.join("\n", missing.problems()).contains(
        "database.password: PRAATBRUG_DATABASE_PASSWORD_FILE names /nonexistent/pw, which cannot be read"),
        missing.problems().toString());
  }

  @Test
  void operationsDefaultToMetricsOnDiscoveryOffAndTextLogs() throws Exception {
    BridgeConfig config = BridgeConfig.load(write(valid()), Map.of(), false);
    assertEquals(new OpsSection(true, "127.0.0.1", OpsSection.DEFAULT_METRICS_PORT, false,
        "caw.test", null, 5), config.ops());
    assertEquals("text", config.logging().format());

    ConfigException bad = assertThrows(ConfigException.class, () -> BridgeConfig.load(write(valid()),
        Map.of("PRAATBRUG_LOGGING_FORMAT", "xml", "PRAATBRUG_DISCOVERY_ANNOUNCE", "yes"), false));
    String all = String.join("\n", bad.problems());
    assertTrue(all.contains("logging.format") && all.contains("discovery.announce"), all);
  }

  @Test
  void reconcileConcurrencyHasADefaultOverridesAndBounds() throws Exception {
    assertEquals(8, BridgeConfig.load(write(valid()), Map.of(), false).rooms().reconcileConcurrency());
    assertEquals(16, BridgeConfig.load(write(valid() + """
        rooms:
          reconcile_concurrency: 16
        """), Map.of(), false).rooms().reconcileConcurrency());
    assertEquals(4, BridgeConfig.load(write(valid()), Map.of("PRAATBRUG_ROOMS_RECONCILE_CONCURRENCY", "4"),
        false).rooms().reconcileConcurrency());

    for (String outside : new String[] {"0", "65"}) {
      ConfigException bad = assertThrows(ConfigException.class, () -> BridgeConfig.load(write(valid()),
          Map.of("PRAATBRUG_ROOMS_RECONCILE_CONCURRENCY", outside), false));
      assertEquals("environment PRAATBRUG_ROOMS_RECONCILE_CONCURRENCY rooms.reconcile_concurrency: " + outside
          + " is out of range. Use 1 to 64", bad.problems().get(0));
    }
  }

  @Test
  void homeserverConnectionsHaveADefaultOverridesAndBounds() throws Exception {
    assertEquals(32, BridgeConfig.load(write(valid()), Map.of(), false).homeserver().maxConnections());
    assertEquals(64, BridgeConfig.load(write(valid()), Map.of("PRAATBRUG_HOMESERVER_MAX_CONNECTIONS", "64"),
        false).homeserver().maxConnections());

    ConfigException bad = assertThrows(ConfigException.class, () -> BridgeConfig.load(write(valid()
        .replace("domain: caw.test\n", "domain: caw.test\n  max_connections: 0\n")), Map.of(), false));
    assertTrue(bad.problems().get(0).endsWith("homeserver.max_connections: 0 is out of range. Use 1 to 512"),
        bad.problems().toString());
  }
}
