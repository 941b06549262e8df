package be.praatbrug.bridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No Docker engine runs where the tests run, so {@code docker/compose.yaml} is checked statically:
 * it parses, every service is buildable or pulled and has a healthcheck, every volume, network,
 * secret and dependency it names exists, no secret is written into it, and every bridge setting it
 * makes is one the bridge knows; in the end the bridge's own config loader accepts each bridge's
 * settings exactly as the container would see them.
 */
class ComposeFileTest {

  static final Path DOCKER = Path.of("..", "docker").toAbsolutePath().normalize();
  private static final Pattern SECRET_NAME =
      Pattern.compile(".*(PASSWORD|TOKEN|SECRET|PASSPHRASE|PRIVATE|_KEY)(_FILE)?$");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(:\\?[^}]*)?}");

  private final JsonNode compose = yaml(DOCKER.resolve("compose.yaml"));

  @TempDir Path secrets;

  @Test
  void isValidAgainstTheComposeSpecificationSchema() throws Exception {
    try (var in = getClass().getResourceAsStream("compose-spec.json")) {
      // The schema still writes draft-04's "id" beside its 2019-09 "$schema"; "id" only names
      // parts of the schema, so it is accepted as a keyword that validates nothing.
      var draft = com.networknt.schema.JsonMetaSchema.getV201909();
      var meta = com.networknt.schema.JsonMetaSchema.builder(draft.getIri(), draft)
          .keyword(new com.networknt.schema.NonValidationKeyword("id")).build();
      var schema = com.networknt.schema.JsonSchemaFactory.builder(
              com.networknt.schema.JsonSchemaFactory.getInstance(
                  com.networknt.schema.SpecVersion.VersionFlag.V201909))
          .metaSchema(meta).build().getSchema(in);
      var problems = schema.validate(compose);
      assertTrue(problems.isEmpty(), "docker/compose.yaml against compose-spec.json: " + problems);
    }
  }

  @Test
  void hasOnlyComposeTopLevelKeysAndTheWholeDeployment() {
    List<String> keys = new ArrayList<>();
    compose.fieldNames().forEachRemaining(keys::add);
    assertTrue(Set.of("name", "services", "networks", "volumes", "secrets", "configs")
        .containsAll(keys), keys.toString());
    List<String> services = names(compose.get("services"));
    for (String needed : List.of("proxy", "coturn", "caw-synapse", "caw-synapse-db", "caw-bridge",
        "caw-bridge-db", "clb-synapse", "clb-synapse-db", "clb-bridge", "clb-bridge-db")) {
      assertTrue(services.contains(needed), "service " + needed + " in " + services);
    }
  }

  @Test
  void everyServiceHasAnImageOrABuildAndAHealthcheck() {
    compose.get("services").fields().forEachRemaining(service -> {
      JsonNode body = service.getValue();
      String name = service.getKey();
      assertTrue(body.hasNonNull("image") || body.hasNonNull("build"), name + ": image or build");
      if (body.hasNonNull("image")) {
        assertTrue(body.get("image").asText().matches("[a-z0-9./-]+:[A-Za-z0-9._-]+"),
            name + ": pin the image to a tag, not latest-by-default: " + body.get("image"));
        assertTrue(!body.get("image").asText().endsWith(":latest"), name + ": no :latest");
      }
      if (body.hasNonNull("build")) {
        Path context = DOCKER.resolve(body.get("build").get("context").asText()).normalize();
        assertTrue(Files.isRegularFile(context.resolve(body.get("build").get("dockerfile").asText())),
            name + ": the Dockerfile exists");
      }
      JsonNode test = body.path("healthcheck").path("test");
      assertTrue(test.isArray() && List.of("CMD", "CMD-SHELL").contains(test.get(0).asText())
          && test.size() > 1, name + ": a healthcheck with CMD or CMD-SHELL");
    });
  }

  @Test
  void everyReferencedVolumeNetworkSecretAndDependencyExists() {
    List<String> services = names(compose.get("services"));
    List<String> volumes = names(compose.get("volumes"));
    List<String> networks = names(compose.get("networks"));
    List<String> secretNames = names(compose.get("secrets"));
    String makeSecrets = read(DOCKER.resolve("make-secrets.sh"));
    compose.get("services").fields().forEachRemaining(service -> {
      String name = service.getKey();
      JsonNode body = service.getValue();
      for (JsonNode volume : iterable(body.path("volumes"))) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          assertTrue(Files.exists(DOCKER.resolve(source).normalize()), name + ": bind " + source);
        } else {
          assertTrue(volumes.contains(source), name + ": volume " + source + " is declared");
        }
      }
      for (String network : listOrKeys(body.path("networks"))) {
        assertTrue(networks.contains(network), name + ": network " + network + " is declared");
      }
      for (JsonNode secret : iterable(body.path("secrets"))) {
        String source = secret.isTextual() ? secret.asText() : secret.get("source").asText();
        assertTrue(secretNames.contains(source), name + ": secret " + source + " is declared");
      }
      for (String dependency : listOrKeys(body.path("depends_on"))) {
        assertTrue(services.contains(dependency), name + ": depends on " + dependency);
      }
    });
    compose.get("secrets").fields().forEachRemaining(secret -> {
      String file = secret.getValue().get("file").asText();
      assertTrue(file.startsWith("./secrets/"), secret.getKey() + " lives in docker/secrets/");
      String base = Path.of(file).getFileName().toString();
      String madeAs = base.replaceFirst("^(caw|clb)_", "\\${org}_");
      assertTrue(makeSecrets.contains(base) || makeSecrets.contains(madeAs)
              || makeSecrets.contains(madeAs.replace("${org}_", "")),
          "make-secrets.sh creates " + base);
    });
    assertTrue(read(DOCKER.resolve(".gitignore")).lines().anyMatch("secrets/"::equals),
        "docker/secrets/ is never committed");
  }

  @Test
  void noSecretIsWrittenIntoTheComposeFile() {
    compose.get("services").fields().forEachRemaining(service -> {
      Set<String> mounted = new java.util.HashSet<>();
      for (JsonNode secret : iterable(service.getValue().path("secrets"))) {
        mounted.add(secret.isTextual() ? "/run/secrets/" + secret.asText()
            : secret.path("target").asText("/run/secrets/" + secret.get("source").asText()));
      }
      environment(service.getValue()).forEach((variable, value) -> {
        if (SECRET_NAME.matcher(variable).matches()) {
          assertTrue(variable.endsWith("_FILE") && mounted.contains(value), service.getKey() + ": "
              + variable + " must be a *_FILE naming a secret mounted into the service, not a value");
        }
        assertTrue(!value.matches(".*[A-Za-z0-9]{32,}.*") || value.startsWith("/"),
            service.getKey() + ": " + variable + " looks like a literal secret");
      });
    });
  }

  @Test
  void everyBridgeSettingIsAKeyTheBridgeKnowsAndTheBridgeAcceptsThem() throws Exception {
    Map<String, String> dotEnv = dotEnv(DOCKER.resolve(".env.example"));
    Map<String, Set<String>> known = BridgeConfig.KNOWN_KEYS;
    int bridges = 0;
    for (Map.Entry<String, JsonNode> service : iterable(compose.get("services").fields())) {
      if (!service.getValue().hasNonNull("build")) {
        continue;
      }
      bridges++;
      Map<String, String> env = new HashMap<>(DockerfileTest.imageEnvironment());
      for (Map.Entry<String, String> variable : environment(service.getValue()).entrySet()) {
        String name = variable.getKey();
        assertTrue(name.startsWith("PRAATBRUG_"), service.getKey() + ": " + name);
        String key = name.substring("PRAATBRUG_".length()).replaceFirst("_FILE$", "");
        assertTrue(known.entrySet().stream().anyMatch(section -> section.getValue().stream()
                .anyMatch(k -> (section.getKey() + "_" + k).toUpperCase().equals(key))),
            service.getKey() + ": " + name + " is not a bridge config key " + known);
        String value = substitute(variable.getValue(), dotEnv);
        if (name.endsWith("_FILE")) {
          // Stand-ins for the Docker secrets, of the shape make-secrets.sh writes.
          Path file = secrets.resolve(service.getKey() + "-" + Path.of(value).getFileName());
          Files.writeString(file, "s".repeat(48) + "\n");
          value = file.toString();
        }
        env.put(name, value);
      }
      Path config = secrets.resolve(service.getKey() + "-config.yaml");
      Files.copy(DOCKER.resolve("bridge-config.yaml"), config);
      // The image's policy and consent folders, as the Dockerfile copies them there.
      env.put("PRAATBRUG_ROOMS_POLICY_DIR", Path.of("..", "policy", "policies").toString());
      env.put("PRAATBRUG_LEDGER_CONSENT_DIR", Path.of("..", "policy", "consent").toString());
      BridgeConfig loaded = BridgeConfig.load(config, env, false);
      assertEquals("postgres", loaded.database().type());
      assertEquals("s".repeat(48), loaded.appservice().asToken());
      assertEquals("json", loaded.logging().format());
    }
    assertEquals(2, bridges, "one bridge per organisation");
  }

  @Test
  void everyBridgeHasAMemoryLimitForItsHeapToFollow() {
    compose.get("services").fields().forEachRemaining(service -> {
      if (service.getValue().hasNonNull("build")) {
        // The Dockerfile sizes the heap as a share of this limit; without one, of the whole host.
        assertTrue(service.getValue().path("mem_limit").asText().matches("[1-9][0-9]*[mg]"),
            service.getKey() + ": mem_limit");
      }
    });
  }

  static JsonNode yaml(Path file) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (Exception e) {
      throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (Exception e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  private static Map<String, String> environment(JsonNode service) {
    Map<String, String> env = new LinkedHashMap<>();
    JsonNode node = service.path("environment");
    if (node.isArray()) {
      for (JsonNode entry : node) {
        String[] parts = entry.asText().split("=", 2);
        env.put(parts[0], parts.length > 1 ? parts[1] : "");
      }
    } else {
      node.fields().forEachRemaining(entry -> env.put(entry.getKey(), entry.getValue().asText()));
    }
    return env;
  }

  private static Map<String, String> dotEnv(Path file) {
    Map<String, String> values = new HashMap<>();
    read(file).lines().filter(line -> line.matches("[A-Z_]+=.*"))
        .forEach(line -> values.put(line.substring(0, line.indexOf('=')),
            line.substring(line.indexOf('=') + 1)));
    return values;
  }

  private static String substitute(String value, Map<String, String> dotEnv) {
    Matcher matcher = VARIABLE.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String replacement = dotEnv.get(matcher.group(1));
      assertTrue(replacement != null, "${" + matcher.group(1) + "} is not in .env.example");
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private static List<String> names(JsonNode mapping) {
    List<String> names = new ArrayList<>();
    if (mapping != null) {
      mapping.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  private static List<String> listOrKeys(JsonNode node) {
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(item.asText()));
      return items;
    }
    return names(node.isMissingNode() ? null : node);
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node.isArray() ? node : List.of();
  }

  private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
    return () -> iterator;
  }
}
