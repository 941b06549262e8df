package be.praatbrug.bridge.config;

import be.praatbrug.bridge.config.BridgeConfig.AdminSection;
import be.praatbrug.bridge.config.BridgeConfig.AppServiceSection;
import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.config.BridgeConfig.HomeserverSection;
import be.praatbrug.bridge.config.BridgeConfig.LedgerSection;
import be.praatbrug.bridge.config.BridgeConfig.LoggingSection;
import be.praatbrug.bridge.config.BridgeConfig.RoomsSection;
import be.praatbrug.bridge.config.BridgeConfig.StaffDirectorySection;
import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import be.praatbrug.policy.rules.PolicyParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * Turns a validated config tree into {@link BridgeConfig}: defaults from the schema and from other
 * keys, the checks a schema cannot express (URLs, secrets, keys that depend on each other), then
 * Jackson binds each section into its record.
 *
 * <p>The records keep the shapes the rest of the bridge uses; where a record is not one section
 * ({@link OpsSection} spans three, {@link AdminSection.Floor} is the {@code floor_*} keys), the tree
 * is reshaped before binding rather than the records reshaped after the file.
 */
final class ConfigBinder {

  /** Record components in camelCase, keys in snake_case; every key the schema allows has a component. */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationText()))
      .build();

  private ConfigBinder() {}

  static BridgeConfig bind(YamlConfigFile yaml, boolean forRegistration) {
    ObjectNode root = yaml.root();
    // Read before defaults fill the section in: without an issuer the staff directory is off.
    boolean staffDirectory = root.path("staff_directory").has("issuer");
    ConfigSchema.applyDefaults(root);
    deriveDefaults(root);
    ConfigChecks.check(yaml, forRegistration, staffDirectory);

    return new BridgeConfig(
        bind(root, "homeserver", HomeserverSection.class),
        bind(root, "appservice", AppServiceSection.class),
        bind(root, "database", DatabaseSection.class),
        bind(root, "rooms", RoomsSection.class),
        bind(root, "logging", LoggingSection.class),
        bind(root, "ledger", LedgerSection.class),
        bind(root, "widget", WidgetSection.class),
        bind(root, "entry", EntrySection.class),
        admin(root),
        ops(root),
        bind(root, "secret", SecretSection.class),
        staffDirectory ? bind(root, "staff_directory", StaffDirectorySection.class) : null);
  }

  /** Defaults that are other keys' values; the schema's descriptions name them. */
  private static void deriveDefaults(ObjectNode root) {
    ObjectNode appservice = section(root, "appservice");
    setIfAbsent(appservice, "address", "http://" + appservice.get("hostname").asText() + ":"
        + appservice.get("port").asText());
    setIfAbsent(appservice, "guest_localpart_prefix", appservice.get("bot_localpart").asText() + "_guest_");
    if ("sqlite".equals(section(root, "database").get("type").asText())) {
      setIfAbsent(section(root, "database"), "uri", "var/praatbrug.db");
    }
    String bridgeAddress = appservice.get("address").asText();
    setIfAbsent(section(root, "rooms"), "public_base_url", bridgeAddress);
    setIfAbsent(section(root, "widget"), "public_url", bridgeAddress);
    JsonNode homeserverAddress = section(root, "homeserver").get("address");
    if (homeserverAddress != null) {
      setIfAbsent(section(root, "widget"), "homeserver_public_url", homeserverAddress.asText());
      setIfAbsent(section(root, "admin"), "openid_url", homeserverAddress.asText());
    }
    JsonNode domain = section(root, "homeserver").get("domain");
    setIfAbsent(section(root, "discovery"), "name", domain == null ? "praatbrug" : domain.asText());
    setIfAbsent(section(root, "secret"), "key_file", java.nio.file.Path.of(section(root, "ledger")
        .get("key_file").asText()).resolveSibling("bridge-secret.json").toString());
  }

  private static AdminSection admin(ObjectNode root) {
    ObjectNode admin = JsonNodeFactory.instance.objectNode();
    ObjectNode floor = admin.putObject("floor");
    section(root, "admin").fields().forEachRemaining(key -> {
      if (key.getKey().startsWith("floor_")) {
        floor.set(key.getKey().substring("floor_".length()), key.getValue());
      } else {
        admin.set(key.getKey(), key.getValue());
      }
    });
    return bind(admin, AdminSection.class);
  }

  /** The metrics, discovery and election sections as one record, keys prefixed with their section. */
  private static OpsSection ops(ObjectNode root) {
    ObjectNode ops = JsonNodeFactory.instance.objectNode();
    for (String name : List.of("metrics", "discovery", "election")) {
      section(root, name).fields().forEachRemaining(key -> ops.set(name + "_" + key.getKey(), key.getValue()));
    }
    return bind(ops, OpsSection.class);
  }

  private static <T> T bind(ObjectNode root, String name, Class<T> type) {
    return bind(section(root, name), type);
  }

  private static <T> T bind(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      // Validation ran first, so this is a schema and record out of step: a bug, not a bad file.
      throw new IllegalStateException("config schema and " + type.getSimpleName() + " disagree: "
          + e.getOriginalMessage(), e);
    }
  }

  static ObjectNode section(ObjectNode root, String name) {
    return root.get(name) instanceof ObjectNode section ? section : root.putObject(name);
  }

  private static void setIfAbsent(ObjectNode section, String key, String value) {
    if (!section.has(key)) {
      section.put(key, value);
    }
  }

  /** {@code 365d}: the policies' duration syntax, already checked by the schema's pattern. */
  private static final class DurationText extends FromStringDeserializer<Duration> {
    private static final long serialVersionUID = 1L;

    DurationText() {
      super(Duration.class);
    }

    @Override
    protected Duration _deserialize(String value, DeserializationContext context) {
      return PolicyParser.duration(value);
    }
  }
}
