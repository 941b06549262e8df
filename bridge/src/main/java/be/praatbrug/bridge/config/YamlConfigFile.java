package be.praatbrug.bridge.config;

import be.praatbrug.policy.yaml.YamlLocations;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A two-level YAML config file ({@code section: key: value}) with environment overrides, and the
 * problems found in it, collected instead of stopping at the first.
 *
 * <p>Every problem names where to look: {@code file:line section.key: problem. fix}. Environment
 * variables {@code PREFIX_SECTION_KEY} (e.g. {@code PRAATBRUG_APPSERVICE_HS_TOKEN}) override file
 * values, so containers can inject secrets without writing them into the file.
 */
public final class YamlConfigFile {

  private static final YAMLMapper YAML = new YAMLMapper();

  private final String fileName;
  private final ObjectNode root;
  private final Map<String, Integer> lineOfKey;
  private final Map<String, String> overriddenBy = new HashMap<>();
  private final List<String> problems = new ArrayList<>();

  private YamlConfigFile(String fileName, ObjectNode root, Map<String, Integer> lineOfKey) {
    this.fileName = fileName;
    this.root = root;
    this.lineOfKey = lineOfKey;
  }

  /** Parses {@code file}; a syntax error becomes a {@link ConfigException} with line and column. */
  public static YamlConfigFile read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read config file (" + e.getMessage()
          + "). Pass an existing file with --config, or run generate-registration first."));
    }
    return parse(file.toString(), text);
  }

  static YamlConfigFile parse(String fileName, String text) throws ConfigException {
    try {
      JsonNode tree = YAML.readTree(text);
      if (tree == null || tree.isMissingNode() || tree.isNull()) {
        tree = JsonNodeFactory.instance.objectNode();
      }
      if (!tree.isObject()) {
        throw new ConfigException(List.of(fileName + ":1: the top level must be a mapping of sections"));
      }
      return new YamlConfigFile(fileName, (ObjectNode) tree, YamlLocations.keyLines(text));
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String position = where == null ? "" : ":" + where.getLineNr() + ":" + where.getColumnNr();
      throw new ConfigException(List.of(fileName + position + ": YAML syntax error: "
          + e.getOriginalMessage()));
    }
  }

  /** Applies {@code PREFIX_SECTION_KEY} variables for the known keys of each section. */
  public YamlConfigFile withEnvironment(String prefix, Map<String, String> env,
      Map<String, Set<String>> knownKeys) {
    knownKeys.forEach((section, keys) -> {
      for (String key : keys) {
        String variable = (prefix + "_" + section + "_" + key).toUpperCase(Locale.ROOT);
        String value = env.get(variable);
        String file = env.get(variable + "_FILE");
        if (file != null && value != null) {
          problem(section + "." + key, "both " + variable + " and " + variable + "_FILE are set; use one");
        } else if (file != null) {
          // Docker and Kubernetes secrets arrive as files; the value never passes through env.
          value = readSecretFile(section + "." + key, variable + "_FILE", file);
        }
        if (value != null) {
          sectionNode(section, true).put(key, value);
          overriddenBy.put(section + "." + key, variable);
        }
      }
    });
    return this;
  }

  private String readSecretFile(String field, String variable, String file) {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of(file)).strip();
    } catch (java.io.IOException | RuntimeException e) {
      problem(field, variable + " names " + file + ", which cannot be read ("
          + e.getClass().getSimpleName() + ")");
      return null;
    }
  }

  /** The parsed tree, environment overrides applied; the schema normalizes and binds it in place. */
  ObjectNode root() {
    return root;
  }

  /** Records a problem at {@code dottedKey}, with the file line or the overriding variable. */
  public void problem(String dottedKey, String message) {
    String variable = overriddenBy.get(dottedKey);
    Integer line = lineOfKey.get(dottedKey);
    String where = variable != null ? "environment " + variable
        : fileName + (line == null ? "" : ":" + line);
    problems.add(where + " " + dottedKey + ": " + message);
  }

  /** Throws with every problem collected so far, if any. */
  public void throwIfProblems() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  private ObjectNode sectionNode(String section, boolean create) {
    JsonNode node = root.get(section);
    if (node instanceof ObjectNode object) {
      return object;
    }
    if (create) {
      return root.putObject(section);
    }
    return null;
  }
}
