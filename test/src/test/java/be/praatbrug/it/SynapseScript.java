package be.praatbrug.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code homeserver-config/synapse.sh}: the same script the demo uses, so the tests exercise
 * the real way Synapse is provided and started.
 */
final class SynapseScript {

  private final Path script;

  SynapseScript(Path repository) {
    this.script = repository.resolve("homeserver-config/synapse.sh");
  }

  /** Runs a subcommand and returns its stdout as {@code key=value} pairs; fails with its output. */
  Map<String, String> run(String... arguments) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
      // Progress goes to stderr; keep it visible in the test log without blocking the pipe.
      Thread drain = new Thread(() -> {
        try {
          process.getErrorStream().transferTo(System.err);
        } catch (IOException ignored) {
          // The process ended; nothing more to copy.
        }
      });
      drain.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(600, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("synapse.sh " + String.join(" ", arguments) + " timed out");
      }
      drain.join(5_000);
      if (process.exitValue() != 0) {
        throw new IllegalStateException("synapse.sh " + String.join(" ", arguments)
            + " failed with exit code " + process.exitValue() + ":\n" + out);
      }
      return keyValues(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running synapse.sh", e);
    }
  }

  private static Map<String, String> keyValues(String out) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
      }
    }
    return values;
  }
}
