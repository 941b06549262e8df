package be.praatbrug.bridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The smallest config file the bridge accepts (homeserver and tokens), plus what a test adds. */
public final class MinimalConfig {

  private MinimalConfig() {}

  /** The minimal sections (tokens {@code a…} and {@code b…}, 40 characters), then {@code extra}. */
  public static String text(String extra) {
    return """
        homeserver:
          address: http://127.0.0.2:8008
          domain: caw.test
        appservice:
          as_token: %s
          hs_token: %s
        """.formatted("a".repeat(40), "b".repeat(40)) + extra;
  }

  /** Writes {@code config.yaml} into {@code directory}: the minimal sections, then {@code extra}. */
  public static Path write(Path directory, String extra) throws IOException {
    Path file = directory.resolve("config.yaml");
    Files.writeString(file, text(extra));
    return file;
  }

  /** Loads the minimal config plus {@code extra}, without environment overrides. */
  public static BridgeConfig load(Path directory, String extra) throws Exception {
    return BridgeConfig.load(write(directory, extra), Map.of(), false);
  }
}
