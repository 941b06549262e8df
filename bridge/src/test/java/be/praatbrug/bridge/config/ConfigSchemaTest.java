package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema as the source of keys and types: lists, booleans, wrong types, and the records. */
class ConfigSchemaTest {

  @TempDir Path directory;

  private Path write(String extra) throws Exception {
    return MinimalConfig.write(directory, extra);
  }

  private BridgeConfig load(String extra, Map<String, String> env) throws Exception {
    return BridgeConfig.load(write(extra), env, false);
  }

  private String problems(String extra, Map<String, String> env) throws Exception {
    Path file = write(extra);
    ConfigException e = assertThrows(ConfigException.class, () -> BridgeConfig.load(file, env, false));
    return String.join("\n", e.problems()).replace(file.toString(), "config.yaml");
  }

  @Test
  void listsAreYamlLists() throws Exception {
    BridgeConfig config = load("""
        admin:
          users:
            - "@beheerder:caw.test"
            - "@tweede:caw.test"
        entry:
          trusted_proxies: [172.30.0.10, 10.0.0.2]
        widget:
          client_origins:
            - https://chat.caw.example
        """, Map.of());
    assertEquals(List.of("@beheerder:caw.test", "@tweede:caw.test"), config.admin().users());
    assertEquals(List.of("172.30.0.10", "10.0.0.2"), config.entry().trustedProxies());
    assertEquals(List.of("https://chat.caw.example"), config.widget().clientOrigins());
  }

  @Test
  void theOldSpaceSeparatedStringIsStillAList() throws Exception {
    BridgeConfig config = load("""
        admin:
          users: "@beheerder:caw.test  @tweede:caw.test"
        entry:
          trusted_proxies: 172.30.0.10
        widget:
          client_origins: ""
        """, Map.of("PRAATBRUG_WIDGET_CLIENT_ORIGINS", "https://chat.caw.example http://127.0.0.1:8080"));
    assertEquals(List.of("@beheerder:caw.test", "@tweede:caw.test"), config.admin().users());
    assertEquals(List.of("172.30.0.10"), config.entry().trustedProxies());
    assertEquals(List.of("https://chat.caw.example", "http://127.0.0.1:8080"), config.widget().clientOrigins());
    assertEquals(List.of(), load("entry:\n  trusted_proxies: []\n", Map.of()).entry().trustedProxies());
  }

  @Test
  void aWrongTypeNamesFileLineAndKey() throws Exception {
    String all = problems("""
        entry:
          trusted_proxies: 5
          max_attempts: [1, 2]
        admin:
          users: [[nested]]
        widget:
          client_origins: [https://chat.caw.example, https://x.example/path]
        metrics: on a list
        """, Map.of());
    assertTrue(all.contains("config.yaml:8 entry.trusted_proxies: 5 is not a list. Write a YAML list"), all);
    assertTrue(all.contains("config.yaml:9 entry.max_attempts: must be a single value, not a list or mapping"), all);
    assertTrue(all.contains("config.yaml:11 admin.users: list items must be single values"), all);
    assertTrue(all.contains("config.yaml:13 widget.client_origins: \"https://x.example/path\" is not an origin"), all);
    assertTrue(all.contains("config.yaml:14 metrics: must be a mapping of keys"), all);
    assertEquals(5, all.lines().count(), all);
  }

  @Test
  void yesIsNotABooleanUnlessYamlItselfReadsItSo() throws Exception {
    // As before the schema: true/false text, and YAML 1.1's own booleans (unquoted yes, on).
    assertTrue(load("widget:\n  relay_only: \"true\"\n", Map.of()).widget().relayOnly());
    assertTrue(load("widget:\n  relay_only: yes\n", Map.of()).widget().relayOnly());
    assertTrue(problems("widget:\n  relay_only: \"yes\"\n", Map.of())
        .contains("config.yaml:8 widget.relay_only: \"yes\" is not true or false"));
    assertEquals("environment PRAATBRUG_DISCOVERY_ANNOUNCE discovery.announce: \"yes\" is not true or false",
        problems("", Map.of("PRAATBRUG_DISCOVERY_ANNOUNCE", "yes")));
    assertTrue(load("", Map.of("PRAATBRUG_DISCOVERY_ANNOUNCE", "true")).ops().discoveryAnnounce());
  }

  @Test
  void wholeNumberTextIsANumberAndSecretsAreNeverEchoed() throws Exception {
    assertEquals(16, load("rooms:\n  reconcile_concurrency: \"16\"\n", Map.of()).rooms().reconcileConcurrency());
    String all = problems("database:\n  password: [hunter2hunter2]\n", Map.of());
    assertTrue(all.contains("database.password: must be a single value"), all);
    assertFalse(all.contains("hunter2"), all);
  }

  @Test
  void unknownSectionsAndKeysAreNamedEvenWhenEmpty() throws Exception {
    String all = problems("""
        metric:
        rooms:
          policy_directory:
        """, Map.of());
    assertTrue(all.contains("config.yaml:7 metric: unknown section. Known sections: homeserver, appservice"), all);
    assertTrue(all.contains("config.yaml:9 rooms.policy_directory: unknown key. Known keys in rooms: policy_dir"), all);
  }

  @Test
  void knownKeysAndTheirVariablesComeFromTheSchema() {
    Set<String> sections = new LinkedHashSet<>();
    ConfigSchema.tree().get("properties").fieldNames().forEachRemaining(sections::add);
    assertEquals(sections, BridgeConfig.KNOWN_KEYS.keySet());
    BridgeConfig.KNOWN_KEYS.forEach((section, keys) -> keys.forEach(key -> {
      assertTrue(ConfigSchema.property(section, key).path("description").isTextual(),
          section + "." + key + " has no description in the schema");
      assertTrue(ConfigSchema.property(section, key).path("type").isTextual(), section + "." + key);
    }));
    assertTrue(BridgeConfig.KNOWN_KEYS.get("entry").contains("trusted_proxies"));
  }

  /** Binding fails on a schema key without a component; this catches a component without a key. */
  @Test
  void everyRecordComponentIsASchemaKey() {
    Map<String, Set<String>> known = BridgeConfig.KNOWN_KEYS;
    Map<String, Class<? extends Record>> records = Map.of("homeserver", BridgeConfig.HomeserverSection.class,
        "appservice", BridgeConfig.AppServiceSection.class, "database", BridgeConfig.DatabaseSection.class,
        "rooms", BridgeConfig.RoomsSection.class, "logging", BridgeConfig.LoggingSection.class,
        "ledger", BridgeConfig.LedgerSection.class, "widget", BridgeConfig.WidgetSection.class,
        "entry", BridgeConfig.EntrySection.class, "secret", SecretSection.class,
        "staff_directory", BridgeConfig.StaffDirectorySection.class);
    records.forEach((section, type) -> assertEquals(known.get(section), keys(type, ""), section));
    Set<String> admin = keys(BridgeConfig.AdminSection.class, "");
    admin.remove("floor");
    admin.addAll(keys(BridgeConfig.AdminSection.Floor.class, "floor_"));
    assertEquals(known.get("admin"), admin);
    Set<String> ops = new LinkedHashSet<>();
    List.of("metrics", "discovery", "election").forEach(section ->
        known.get(section).forEach(key -> ops.add(section + "_" + key)));
    assertEquals(ops, keys(OpsSection.class, ""));
  }

  private static Set<String> keys(Class<?> type, String prefix) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
        .map(name -> prefix + name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
