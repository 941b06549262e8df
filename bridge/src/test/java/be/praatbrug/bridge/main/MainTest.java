package be.praatbrug.bridge.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @TempDir Path directory;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errText() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void printsHelp() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("generate-registration"));
  }

  @Test
  void rejectsUnknownCommandsWithUsageExitCode() {
    assertEquals(2, run("fly"));
    assertTrue(errText().contains("unknown command: fly"));
  }

  @Test
  void refusesToStartOnAMissingConfigNamingTheFile() {
    Path missing = directory.resolve("nope.yaml");
    assertEquals(3, run("--config", missing.toString()));
    assertTrue(errText().contains(missing + ": cannot read config file"), errText());
  }

  @Test
  void refusesToStartWithoutTokensAndSaysWhatToDo() throws Exception {
    Path config = directory.resolve("config.yaml");
    Files.writeString(config, "homeserver:\n  address: http://127.0.0.2:8008\n  domain: caw.test\n");

    assertEquals(3, run("-c", config.toString(), "run"));
    assertTrue(errText().contains("appservice.as_token: not configured. Did you forget to run "
        + "generate-registration?"), errText());
  }

  @Test
  void generatesARegistrationThenPassesTheConfigCheck() throws Exception {
    Path config = directory.resolve("config.yaml");
    Files.writeString(config, "homeserver:\n  address: http://127.0.0.2:8008\n  domain: caw.test\n");

    assertEquals(0, run("-c", config.toString(), "generate-registration"));
    assertTrue(Files.exists(directory.resolve("registration.yaml")));
    assertEquals(0, run("-c", config.toString(), "check-config"));
  }
}
