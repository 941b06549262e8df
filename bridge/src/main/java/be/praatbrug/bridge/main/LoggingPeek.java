package be.praatbrug.bridge.main;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A first, lenient read of {@code logging.level} and {@code logging.format} (file, then
 * environment) before anything logs. Wrong values fall back to the defaults here; the full config
 * load right after reports them properly.
 */
final class LoggingPeek {

  private LoggingPeek() {}

  static Map<String, String> read(String[] args, Map<String, String> env) {
    Path file = Path.of("config.yaml");
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--config") || args[i].equals("-c")) {
        file = Path.of(args[i + 1]);
      }
    }
    String level = "info";
    String format = "text";
    try {
      JsonNode logging = new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("logging");
      level = logging.path("level").asText(level);
      format = logging.path("format").asText(format);
    } catch (Exception unreadable) {
      // The full load reports it with file and line.
    }
    level = env.getOrDefault("PRAATBRUG_LOGGING_LEVEL", level);
    format = env.getOrDefault("PRAATBRUG_LOGGING_FORMAT", format);
    return Map.of(
        "level", List.of("error", "warn", "info", "debug", "trace").contains(level) ? level : "info",
        "format", List.of("text", "json").contains(format) ? format : "text");
  }
}
