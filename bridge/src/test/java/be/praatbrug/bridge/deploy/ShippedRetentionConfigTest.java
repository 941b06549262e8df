package be.praatbrug.bridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every homeserver configuration the project ships makes Synapse obey {@code m.room.retention} (so a
 * partner's copy of a shared room is purged too) and has the media backstop: a partner that ships
 * without it keeps every event, which is exactly the hole retention must not have.
 */
class ShippedRetentionConfigTest {

  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @ParameterizedTest
  @ValueSource(strings = {"docker/synapse/caw.homeserver.yaml", "docker/synapse/clb.homeserver.yaml",
      "homeserver-config/templates/homeserver.yaml.tmpl"})
  void enablesRetentionWithAPurgeJobAndTheMediaBackstop(String file) throws Exception {
    String text = Files.readString(REPO.resolve(file))
        .replace("${RETENTION_PURGE_INTERVAL}", "1h").replace("${MEDIA_LIFETIME}", "365d");
    // The template's other placeholders do not matter here; keep only the two sections.
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(sections(text));
    assertTrue(config.path("retention").path("enabled").asBoolean(), file);
    JsonNode job = config.path("retention").path("purge_jobs").path(0);
    assertNotNull(job.get("interval"), file + ": a purge job without an interval");
    assertTrue(config.path("retention").path("default_policy").isMissingNode(),
        file + ": a default policy would purge rooms that are not counselling rooms");
    assertEquals("365d", config.path("media_retention").path("local_media_lifetime").asText(), file);
    // A partner's cached copy: an hour after its last use (Synapse checks hourly)
    assertEquals("1h", config.path("media_retention").path("remote_media_lifetime").asText(), file);
  }

  /** The top-level {@code retention:} and {@code media_retention:} blocks of a YAML file. */
  private static String sections(String text) {
    StringBuilder kept = new StringBuilder();
    boolean keep = false;
    for (String line : text.split("\n")) {
      if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("#")) {
        keep = line.startsWith("retention:") || line.startsWith("media_retention:");
      }
      if (keep) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }
}
