package be.praatbrug.policy.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document stands, so error messages can say {@code file:line key}.
 *
 * <p>Keys are dotted paths ({@code retention.max_lifetime}); list items add no path segment, so a
 * key inside a list item maps to the line of its first occurrence.
 */
public final class YamlLocations {

  private YamlLocations() {}

  /** Maps each dotted key path to its 1-based line; throws on YAML syntax errors. */
  public static Map<String, Integer> keyLines(String text) throws JsonProcessingException {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser parser = new YAMLFactory().createParser(text)) {
      // Names of the enclosing mappings; "" for the document itself and for list items.
      Deque<String> enclosing = new ArrayDeque<>();
      String field = "";
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        switch (token) {
          case FIELD_NAME -> {
            field = parser.currentName();
            lines.putIfAbsent(dotted(enclosing, field), parser.currentTokenLocation().getLineNr());
          }
          case START_OBJECT, START_ARRAY -> {
            enclosing.addLast(field);
            field = "";
          }
          case END_OBJECT, END_ARRAY -> enclosing.pollLast();
          default -> field = "";
        }
      }
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new IllegalStateException("reading from a string cannot fail", e);
    }
    return lines;
  }

  private static String dotted(Deque<String> enclosing, String field) {
    StringBuilder key = new StringBuilder();
    for (String name : enclosing) {
      if (!name.isEmpty()) {
        key.append(name).append('.');
      }
    }
    return key.append(field).toString();
  }
}
