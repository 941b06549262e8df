package be.praatbrug.bridge.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bridge config's JSON Schema ({@code config.schema.json}): the one list of sections, keys,
 * types, ranges, defaults and descriptions. Everything else (known keys, environment variable
 * names, defaults) is read from it, so a key is added in one place.
 *
 * <p>YAML and environment values are first brought to the schema's types ({@link #normalize}),
 * then validated; a problem names file, line and key like every other config problem.
 */
public final class ConfigSchema {

  /** On the classpath beside this class. */
  public static final String RESOURCE = "/be/praatbrug/bridge/config/config.schema.json";

  private static final JsonNode TREE = readTree();
  private static final JsonSchema SCHEMA = compile();

  private ConfigSchema() {}

  /** A copy of the schema document (for tests and documentation). */
  public static JsonNode tree() {
    return TREE.deepCopy();
  }

  /** Every section and its keys, in schema order. */
  public static Map<String, Set<String>> knownKeys() {
    Map<String, Set<String>> keys = new LinkedHashMap<>();
    TREE.get("properties").fields().forEachRemaining(section -> {
      Set<String> names = new LinkedHashSet<>();
      section.getValue().get("properties").fieldNames().forEachRemaining(names::add);
      keys.put(section.getKey(), Collections.unmodifiableSet(names));
    });
    return Collections.unmodifiableMap(keys);
  }

  /** The schema of {@code section.key} with a {@code $ref} resolved; null for an unknown key. */
  static ObjectNode property(String section, String key) {
    JsonNode node = TREE.path("properties").path(section).path("properties").path(key);
    if (!node.isObject()) {
      return null;
    }
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    if (node.has("$ref")) {
      String name = node.get("$ref").asText().substring("#/$defs/".length());
      merged.setAll((ObjectNode) TREE.get("$defs").get(name));
    }
    merged.setAll((ObjectNode) node);
    merged.remove("$ref");
    return merged.deepCopy();
  }

  /**
   * Brings values to the schema's types, as the bridge has always read them: blank or null means
   * unset; "true"/"false" text is a boolean (environment variables are text); whole-number text is
   * an integer; a scalar where text is expected is text; for a list, one space-separated string
   * (the format before real lists) is split. Anything else is left for {@link #validate} to name.
   */
  static void normalize(ObjectNode root) {
    List<String> sections = new ArrayList<>();
    root.fieldNames().forEachRemaining(sections::add);
    for (String section : sections) {
      if (root.get(section).isNull() && TREE.path("properties").has(section)) {
        root.remove(section);
      } else if (root.get(section) instanceof ObjectNode keys) {
        List<String> names = new ArrayList<>();
        keys.fieldNames().forEachRemaining(names::add);
        for (String key : names) {
          ObjectNode schema = property(section, key);
          if (schema == null) {
            continue; // unknown: validate names it, whatever its value
          }
          JsonNode value = normalize(keys.get(key), schema.path("type").asText());
          if (value == null) {
            keys.remove(key);
          } else {
            keys.set(key, value);
          }
        }
      }
    }
  }

  private static JsonNode normalize(JsonNode value, String type) {
    if (value.isNull() || value.isTextual() && value.asText().isBlank()) {
      return null;
    }
    String text = value.isValueNode() ? value.asText().strip() : null;
    return switch (type) {
      case "boolean" -> value.isTextual() && List.of("true", "false").contains(text)
          ? BooleanNode.valueOf("true".equals(text)) : value;
      case "integer" -> value.isTextual() && text.matches("[+-]?[0-9]{1,18}")
          ? JsonNodeFactory.instance.numberNode(Long.parseLong(text)) : value;
      case "string" -> text == null ? value : TextNode.valueOf(text);
      case "array" -> list(value);
      default -> value;
    };
  }

  /** The one list reader: a YAML list, or the legacy single string of space-separated items. */
  private static JsonNode list(JsonNode value) {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    if (value.isTextual()) {
      for (String item : value.asText().strip().split("\\s+")) {
        items.add(item);
      }
      return items;
    }
    if (!value.isArray()) {
      return value;
    }
    for (JsonNode item : value) {
      // Numbers and the like are read as text, as single values always were; blank items are no items.
      JsonNode normal = item.isValueNode() && !item.isNull() ? TextNode.valueOf(item.asText().strip()) : item;
      if (!normal.isTextual() || !normal.asText().isEmpty()) {
        items.add(normal);
      }
    }
    return items;
  }

  /**
   * Validates {@code yaml}'s (normalized) tree, records each problem at its key and removes the
   * offending value, so the later checks and the binding see only values of the right type.
   */
  static void validate(YamlConfigFile yaml) {
    ObjectNode root = yaml.root();
    List<String[]> remove = new ArrayList<>();
    List<ValidationMessage> messages = new ArrayList<>(SCHEMA.validate(root));
    // The validator's order is a set's: sort, so the same file always gives the same list.
    messages.sort(java.util.Comparator.comparing(message -> message.getInstanceLocation().toString()
        + "/" + message.getProperty()));
    for (ValidationMessage message : messages) {
      JsonNodePath path = message.getInstanceLocation();
      List<String> names = new ArrayList<>();
      for (int i = 0; i < path.getNameCount(); i++) {
        if (path.getElement(i) instanceof String name) {
          names.add(name);
        }
      }
      String property = message.getProperty();
      if ("additionalProperties".equals(message.getType()) && property != null) {
        names.add(property);
      }
      if (names.isEmpty()) {
        continue; // the top level is a mapping: YamlConfigFile.parse made sure of it
      }
      yaml.problem(String.join(".", names.subList(0, Math.min(2, names.size()))), describe(message, names));
      remove.add(names.toArray(String[]::new));
    }
    for (String[] names : remove) {
      if (names.length == 1) {
        root.remove(names[0]);
      } else if (root.get(names[0]) instanceof ObjectNode section) {
        section.remove(names[1]);
      }
    }
  }

  private static String describe(ValidationMessage message, List<String> names) {
    String section = names.get(0);
    if (names.size() == 1) {
      return "additionalProperties".equals(message.getType())
          ? "unknown section. Known sections: " + String.join(", ", knownKeys().keySet())
          : "must be a mapping of keys";
    }
    ObjectNode schema = property(section, names.get(1));
    if (schema == null) {
      return "unknown key. Known keys in " + section + ": " + String.join(", ", knownKeys().get(section));
    }
    JsonNode value = message.getInstanceNode();
    boolean item = message.getInstanceLocation().getNameCount() > 2;
    boolean secret = schema.path("writeOnly").asBoolean();
    String shown = secret ? "the value" : value.isTextual() ? "\"" + value.asText() + "\"" : value.toString();
    String expected = item ? schema.path("items").path("type").asText() : schema.path("type").asText();
    return switch (message.getType()) {
      case "type" -> {
        if (value.isContainerNode() && !"array".equals(expected)) {
          yield item ? "list items must be single values, not lists or mappings"
              : "must be a single value, not a list or mapping";
        }
        yield switch (expected) {
          case "integer" -> shown + " is not a whole number";
          case "boolean" -> shown + " is not true or false";
          case "array" -> shown + " is not a list. Write a YAML list (one \"- item\" per line, or"
              + " [a, b]); one space-separated string is also read";
          default -> shown + " is not text";
        };
      }
      case "minimum", "maximum" -> shown + " is out of range. Use " + schema.path("minimum").asText()
          + " to " + schema.path("maximum").asText();
      case "pattern", "enum" -> {
        JsonNode hint = (item ? schema.path("items") : schema).path("x-problem");
        yield shown + " " + (hint.isTextual() ? hint.asText() : "is not allowed here");
      }
      default -> message.getMessage().replaceFirst("^\\$[^:]*: ", "");
    };
  }

  /** Fills in the schema's {@code default} of every key that has one and is not set. */
  static void applyDefaults(ObjectNode root) {
    knownKeys().forEach((section, keys) -> {
      for (String key : keys) {
        JsonNode fallback = property(section, key).get("default");
        if (fallback != null) {
          ObjectNode node = root.get(section) instanceof ObjectNode object ? object : root.putObject(section);
          if (!node.has(key)) {
            node.set(key, fallback.deepCopy());
          }
        }
      }
    });
  }

  private static JsonNode readTree() {
    try (InputStream in = ConfigSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonSchema compile() {
    // x-problem is ours: an annotation the validator must know, or it warns about it on every start.
    JsonMetaSchema meta = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
        .keyword(new NonValidationKeyword("x-problem")).build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        builder -> builder.metaSchema(meta));
    return factory.getSchema(TREE);
  }
}
