package be.praatbrug.bridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The smallest config file the bridge accepts (homeserver and tokens), plus what a test adds. */
final class MinimalConfig {

  private MinimalConfig() {}

  /** Writes {@code config.yaml} into {@code directory}: the minimal sections, then {@code extra}. */
  static Path write(Path directory, String extra) throws IOException {
    Path file = directory.resolve("config.yaml");
    Files.writeString(file, """
        homeserver:
          address: http://127.0.0.2:8008
          domain: caw.test
        appservice:
          as_token: %s
          hs_token: %s
        """.formatted("a".repeat(40), "b".repeat(40)) + extra);
    return file;
  }

  /** Loads the minimal config plus {@code extra}, without environment overrides. */
  static BridgeConfig load(Path directory, String extra) throws Exception {
    return BridgeConfig.load(write(directory, extra), Map.of(), false);
  }
}
