package be.praatbrug.bridge.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code docker/Dockerfile}, read instruction by instruction: a build stage and a small run stage,
 * the run stage as a non-root user with a healthcheck on readiness, nothing fetched with ADD, no
 * secret in the image, and only settings the bridge knows.
 */
class DockerfileTest {

  /** One instruction: keyword and arguments, continuation lines joined. */
  record Instruction(String keyword, String arguments) {}

  private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_][A-Z0-9_]*)=(\"[^\"]*\"|\\S+)");

  private final List<Instruction> instructions = parse(ComposeFileTest.read(
      ComposeFileTest.DOCKER.resolve("Dockerfile")));

  @Test
  void buildsInOneStageAndRunsInAnother() {
    List<String> stages = new ArrayList<>();
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("FROM")) {
        Matcher named = Pattern.compile("(\\S+)\\s+AS\\s+(\\S+)", Pattern.CASE_INSENSITIVE)
            .matcher(instruction.arguments());
        assertTrue(named.matches(), "every stage is named: " + instruction);
        assertFalse(named.group(1).endsWith(":latest") || !named.group(1).contains(":"),
            "base images are pinned to a tag: " + instruction);
        stages.add(named.group(2));
      }
      if (instruction.keyword().equals("COPY") && instruction.arguments().startsWith("--from=")) {
        String from = instruction.arguments().substring(7).split("\\s")[0];
        assertTrue(stages.contains(from), "COPY --from=" + from + " names an earlier stage");
      }
    }
    assertTrue(stages.size() >= 2, "multi-stage: " + stages);
    assertTrue(runStage().stream().anyMatch(i -> i.keyword().equals("FROM")
        && i.arguments().contains("-jre")), "the run stage is a JRE image, not a JDK/Maven one");
  }

  @Test
  void theRunStageIsNotRootAndChecksReadiness() {
    List<Instruction> run = runStage();
    List<Instruction> users = run.stream().filter(i -> i.keyword().equals("USER")).toList();
    assertEquals(1, users.size(), "exactly one USER in the run stage");
    String user = users.get(0).arguments().split(":")[0];
    assertFalse(Set.of("root", "0").contains(user), "runs as non-root, not " + user);
    Instruction healthcheck = run.stream().filter(i -> i.keyword().equals("HEALTHCHECK"))
        .findFirst().orElseThrow(() -> new AssertionError("HEALTHCHECK in the run stage"));
    assertTrue(healthcheck.arguments().contains("/health/ready"), healthcheck.toString());
    assertTrue(run.stream().anyMatch(i -> i.keyword().equals("ENTRYPOINT")
        && i.arguments().contains("praatbrug-bridge.jar")), "starts the bridge jar");
  }

  @Test
  void theJvmSizesItsHeapFromTheContainerAndExitsWhenItRunsOut() {
    Instruction entrypoint = runStage().stream().filter(i -> i.keyword().equals("ENTRYPOINT"))
        .findFirst().orElseThrow(() -> new AssertionError("ENTRYPOINT in the run stage"));
    String flags = entrypoint.arguments();
    assertTrue(flags.contains("\"-XX:MaxRAMPercentage=") && flags.contains("\"-XX:+ExitOnOutOfMemoryError\""),
        entrypoint.toString());
    // A fixed heap would ignore the memory limit compose.yaml gives the container.
    assertFalse(flags.matches("(?s).*\"-Xm[xs].*"), entrypoint.toString());
  }

  @Test
  void fetchesNothingWithAddAndBakesInNoSecret() {
    for (Instruction instruction : instructions) {
      if (instruction.keyword().equals("ADD")) {
        assertFalse(instruction.arguments().matches("(?s).*\\b(https?|git)://.*"),
            "no ADD of remote URLs: " + instruction);
      }
      if (Set.of("ENV", "ARG").contains(instruction.keyword())) {
        String text = instruction.arguments().toUpperCase(Locale.ROOT);
        assertFalse(text.matches("(?s).*(PASSWORD|TOKEN|SECRET|PASSPHRASE)[A-Z_]*=.*"),
            "no secret settings in the image: " + instruction);
      }
      assertFalse(instruction.arguments().matches("(?s).*[A-Za-z0-9]{40,}.*"),
          "nothing that looks like a key or token: " + instruction);
      assertFalse(instruction.keyword().equals("COPY")
          && instruction.arguments().contains("secrets"), "docker/secrets/ stays out: " + instruction);
    }
  }

  @Test
  void theBuilderKnowsEveryModuleOfTheReactor() {
    String rootPom = ComposeFileTest.read(ComposeFileTest.DOCKER.resolve("../pom.xml").normalize());
    Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(rootPom);
    while (module.find()) {
      String pom = module.group(1) + "/pom.xml";
      assertTrue(instructions.stream().anyMatch(i -> i.keyword().equals("COPY")
          && i.arguments().startsWith(pom + " ")), "the build stage copies " + pom
          + " before resolving dependencies (Maven needs every module's pom)");
    }
  }

  @Test
  void theBuildContextLeavesSecretsOut() {
    List<String> ignored = ComposeFileTest.read(ComposeFileTest.DOCKER.resolve("../.dockerignore")
        .normalize()).lines().map(String::strip).toList();
    assertTrue(ignored.containsAll(List.of("docker/secrets", "docker/.env")),
        "the build context (the repository) must not carry docker/secrets or docker/.env: " + ignored);
  }

  @Test
  void everyBridgeSettingInTheImageIsAKeyTheBridgeKnows() {
    Map<String, String> env = imageEnvironment();
    assertFalse(env.isEmpty());
    env.keySet().forEach(name -> {
      String key = name.substring("PRAATBRUG_".length());
      assertTrue(BridgeConfig.KNOWN_KEYS.entrySet().stream().anyMatch(section -> section.getValue()
              .stream().anyMatch(k -> (section.getKey() + "_" + k).toUpperCase(Locale.ROOT).equals(key))),
          name + " is not a bridge config key");
    });
    assertTrue(ComposeFileTest.yaml(ComposeFileTest.DOCKER.resolve("bridge-config.yaml")).isObject());
  }

  /** The PRAATBRUG_* variables the run stage sets. */
  static Map<String, String> imageEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    DockerfileTest test = new DockerfileTest();
    for (Instruction instruction : test.runStage()) {
      if (instruction.keyword().equals("ENV")) {
        Matcher pair = ENV_PAIR.matcher(instruction.arguments());
        while (pair.find()) {
          if (pair.group(1).startsWith("PRAATBRUG_")) {
            env.put(pair.group(1), pair.group(2).replace("\"", ""));
          }
        }
      }
    }
    return env;
  }

  private List<Instruction> runStage() {
    int last = 0;
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return instructions.subList(last, instructions.size());
  }

  static List<Instruction> parse(String dockerfile) {
    List<Instruction> parsed = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().strip();
      current.setLength(0);
      int space = text.indexOf(' ');
      parsed.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
          text.substring(space + 1).strip()));
    }
    return parsed;
  }
}
