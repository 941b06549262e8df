package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code example-config.yaml} and the schema name the same keys, and every config the repository
 * ships or writes passes the schema.
 *
 * <p>The rule for the example: every schema key appears, either set or commented out
 * ({@code # key: value}); a key that is set and has a default in the schema is set to that default,
 * so copying the example changes nothing by accident. Keys without a default (required ones, ones
 * derived from other keys, secrets) may show any example value.
 */
class ExampleConfigTest {

  private static final Path EXAMPLE = Path.of("example-config.yaml");
  private static final Path REPOSITORY = Path.of("..");

  /** A commented-out key: "# key: value" with one plain or quoted value, not a sentence. */
  private static final Pattern COMMENTED_KEY =
      Pattern.compile("^(\\s*)# ?(\\s*[a-z_]+:(\\s+(\"[^\"]*\"|[^\\s#\"]+))?)\\s*$");

  @Test
  void theExampleNamesEverySchemaKeyAndNoOther() throws Exception {
    String text = Files.readString(EXAMPLE);
    ObjectNode everything = YamlConfigFile.parse("uncommented example", uncomment(text)).root();
    TreeSet<String> inExample = keys(everything);
    TreeSet<String> inSchema = new TreeSet<>();
    BridgeConfig.KNOWN_KEYS.forEach((section, keys) -> keys.forEach(key -> inSchema.add(section + "." + key)));

    TreeSet<String> missing = new TreeSet<>(inSchema);
    missing.removeAll(inExample);
    assertEquals(new TreeSet<>(), missing, "schema keys missing from " + EXAMPLE + " (set or commented out)");
    TreeSet<String> unknown = new TreeSet<>(inExample);
    unknown.removeAll(inSchema);
    assertEquals(new TreeSet<>(), unknown, "keys in " + EXAMPLE + " the schema does not have");
  }

  @Test
  void whatTheExampleSetsIsTheSchemaDefault() throws Exception {
    ObjectNode set = YamlConfigFile.parse(EXAMPLE.toString(), Files.readString(EXAMPLE)).root();
    ConfigSchema.normalize(set);
    List<String> differ = new ArrayList<>();
    set.fields().forEachRemaining(section -> section.getValue().fields().forEachRemaining(key -> {
      JsonNode fallback = ConfigSchema.property(section.getKey(), key.getKey()).get("default");
      if (fallback != null && !fallback.equals(key.getValue())) {
        differ.add(section.getKey() + "." + key.getKey() + ": " + key.getValue() + " in the example, "
            + fallback + " in the schema");
      }
    }));
    assertEquals(List.of(), differ);
  }

  @Test
  void theExampleAndTheDockerConfigPassTheSchema() throws Exception {
    for (Path file : List.of(EXAMPLE, REPOSITORY.resolve("docker/bridge-config.yaml"))) {
      passesTheSchema(file.toString(), Files.readString(file));
    }
  }

  /** The demo's config, as {@code ./praatbrug} writes it (shell expansions stood in for). */
  @Test
  void theDemoConfigPassesTheSchema() throws Exception {
    String script = Files.readString(REPOSITORY.resolve("praatbrug"));
    Matcher heredoc = Pattern.compile("cat >\"\\$dir/config.yaml\" <<CONFIG\n(.*?)\nCONFIG\n", Pattern.DOTALL)
        .matcher(script);
    assertTrue(heredoc.find(), "the demo config in ./praatbrug is no longer where this test looks");
    String text = heredoc.group(1).replaceAll("\\$\\(org_ip [^)]*\\)", "127.0.0.2")
        .replaceAll("\\$\\([a-z_]+_port [^)]*\\)", "29331").replace("$REPO", "..")
        .replace("$dir", "var").replace("$org", "caw");
    passesTheSchema("praatbrug (demo config)", text);
  }

  /** The config the integration tests' homeserver writes (its Java text block, filled in). */
  @Test
  void theIntegrationTestConfigPassesTheSchema() throws Exception {
    String source = Files.readString(
        REPOSITORY.resolve("test/src/test/java/be/praatbrug/it/TestHomeserver.java"));
    Matcher block = Pattern.compile("\"\"\"\n(\\s*homeserver:.*?)\"\"\"", Pattern.DOTALL).matcher(source);
    assertTrue(block.find(), "the config text block in TestHomeserver is no longer where this test looks");
    // The first %s is the homeserver's URL; the others are its domain and paths, any text does.
    String text = block.group(1).stripIndent().replaceFirst("%s", "http://127.0.0.1:8008")
        .replace("%s", "caw.test").replace("%d", "29331");
    passesTheSchema("TestHomeserver (config text)", text);
  }

  private static void passesTheSchema(String name, String text) throws ConfigException {
    YamlConfigFile yaml = YamlConfigFile.parse(name, text);
    ConfigSchema.normalize(yaml.root());
    ConfigSchema.validate(yaml);
    yaml.throwIfProblems();
  }

  private static String uncomment(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher commented = COMMENTED_KEY.matcher(line);
      out.append(commented.matches() ? commented.group(1) + commented.group(2) : line).append('\n');
    }
    return out.toString();
  }

  private static TreeSet<String> keys(ObjectNode root) {
    TreeSet<String> keys = new TreeSet<>();
    root.fields().forEachRemaining(section -> {
      if (section.getValue().isObject()) {
        section.getValue().fieldNames().forEachRemaining(key -> keys.add(section.getKey() + "." + key));
      } else {
        keys.add(section.getKey());
      }
    });
    return keys;
  }
}
