package be.praatbrug.bridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistrationGeneratorTest {

  @TempDir Path directory;

  private Path config() throws Exception {
    Path file = directory.resolve("config.yaml");
    Files.writeString(file, """
        # the admin's own comment
        homeserver:
          address: http://127.0.0.2:8008
          domain: caw.test
        appservice:
          # keep me
          port: 29331
        logging:
          level: info
        """);
    return file;
  }

  @Test
  void writesTokensIntoTheConfigKeepingComments() throws Exception {
    Path config = config();
    Path registration = directory.resolve("registration.yaml");

    BridgeConfig result = RegistrationGenerator.generate(config, registration, Map.of());

    String text = Files.readString(config);
    assertTrue(text.contains("# the admin's own comment") && text.contains("# keep me"));
    assertTrue(text.contains("as_token: \"" + result.appservice().asToken() + "\""));
    assertTrue(text.contains("hs_token: \"" + result.appservice().hsToken() + "\""));
    assertEquals(64, result.appservice().asToken().length());
    assertNotEquals(result.appservice().asToken(), result.appservice().hsToken());
    assertEquals("info", BridgeConfig.load(config, Map.of(), false).logging().level());
  }

  @Test
  void writesARegistrationSynapseCanLoad() throws Exception {
    Path registration = directory.resolve("registration.yaml");
    BridgeConfig config = RegistrationGenerator.generate(config(), registration, Map.of());

    JsonNode yaml = new YAMLMapper().readTree(registration.toFile());
    assertEquals("praatbrug", yaml.get("id").asText());
    assertEquals("http://127.0.0.1:29331", yaml.get("url").asText());
    assertEquals(config.appservice().asToken(), yaml.get("as_token").asText());
    assertEquals(config.appservice().hsToken(), yaml.get("hs_token").asText());
    assertEquals("praatbrug", yaml.get("sender_localpart").asText());
    assertFalse(yaml.get("rate_limited").asBoolean());
    JsonNode users = yaml.get("namespaces").get("users");
    Pattern bot = Pattern.compile(users.get(0).get("regex").asText());
    Pattern guests = Pattern.compile(users.get(1).get("regex").asText());
    assertTrue(bot.matcher("@praatbrug:caw.test").matches());
    assertFalse(bot.matcher("@praatbrug:cawxtest").matches(), "dots are escaped");
    assertTrue(guests.matcher("@praatbrug_guest_k3x9:caw.test").matches());
    assertFalse(guests.matcher("@counsellor:caw.test").matches());
    assertTrue(users.get(0).get("exclusive").asBoolean());
  }

  @Test
  void keepsExistingTokensWhenRunAgain() throws Exception {
    Path config = config();
    Path registration = directory.resolve("registration.yaml");
    BridgeConfig first = RegistrationGenerator.generate(config, registration, Map.of());
    String firstRegistration = Files.readString(registration);

    BridgeConfig second = RegistrationGenerator.generate(config, registration, Map.of());

    assertEquals(first.appservice().asToken(), second.appservice().asToken());
    assertEquals(firstRegistration, Files.readString(registration));
  }

  @Test
  void neverWritesTokensThatComeFromTheEnvironment() throws Exception {
    Path config = config();
    String fromEnv = "E".repeat(48);
    RegistrationGenerator.generate(config, directory.resolve("registration.yaml"),
        Map.of("PRAATBRUG_APPSERVICE_HS_TOKEN", fromEnv));

    String text = Files.readString(config);
    assertFalse(text.contains(fromEnv));
    assertFalse(text.contains("hs_token"));
    assertTrue(text.contains("as_token"));
    assertTrue(Files.readString(directory.resolve("registration.yaml")).contains(fromEnv));
  }

  @Test
  void addsTheAppserviceSectionWhenMissing() {
    assertEquals("homeserver:\n  domain: x\nappservice:\n  as_token: \"t\"\n",
        RegistrationGenerator.setAppServiceKey("homeserver:\n  domain: x\n", "as_token", "t"));
  }
}
