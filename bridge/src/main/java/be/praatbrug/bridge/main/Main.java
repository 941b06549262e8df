package be.praatbrug.bridge.main;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.ConfigException;
import be.praatbrug.bridge.config.RegistrationGenerator;
import be.praatbrug.bridge.ledger.LedgerCli;
import be.praatbrug.bridge.ops.BridgeMetrics;
import be.praatbrug.bridge.ops.JsonLogLines;
import be.praatbrug.bridge.ops.LeaderElection;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.policy.rules.FederationAllowlist;
import be.praatbrug.policy.rules.PolicyException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Command line entry point: {@code run} (default), {@code generate-registration},
 * {@code check-config}.
 *
 * <p>Exit codes: 0 ok, 2 usage, 3 config, 4 store, 5 cannot listen, 6 homeserver check failed,
 * 8 leader lock lost.
 */
public final class Main {

  static final String USAGE = """
      Praatbrug bridge: Matrix application service for privacy-first counselling rooms.

      Usage: java -jar praatbrug-bridge.jar [--config FILE] [COMMAND] [OPTIONS]

      Commands:
        run                     start the bridge (default)
        generate-registration   create the appservice tokens (kept if already set), write them into
                                the config and write the registration file for Synapse
                                  --registration FILE   where to write it (default: registration.yaml
                                                        beside the config)
        check-config            validate the config, print every problem, and exit
        rotate-secret           make a new bridge secret (secret.key_file), with the bridge stopped;
                                the next start re-seals the bot's E2EE state with it. Knock codes
                                and links made before stop working; client references start anew
        federation-whitelist    print Synapse's federation_domain_whitelist made from the
                                policies' federation.allowed_servers (exact names, ports included)
        ledger SUBCOMMAND       verify, public-key, export-consent, export-sessions,
                                export-subject, erase: see "ledger --help"
        migrate-store           copy the embedded SQLite store into an empty PostgreSQL database,
                                then verify the ledger there (run with the bridge stopped)
                                  --to URL              jdbc:postgresql://host:port/database
                                  --to-username USER    password: env PRAATBRUG_MIGRATE_TO_PASSWORD
        discover                list Praatbrug bridges announced on the local network (mDNS)
                                  --seconds N           how long to listen (default 3)
                                  --address IP          listen on this address's network

      Options:
        --config, -c FILE       bridge config (default: config.yaml); see example-config.yaml
        --help, -h              show this help

      Every config key can be overridden by an environment variable PRAATBRUG_<SECTION>_<KEY>,
      e.g. PRAATBRUG_APPSERVICE_HS_TOKEN or PRAATBRUG_DATABASE_URI, or by PRAATBRUG_<SECTION>_<KEY>_FILE
      naming a file that holds the value (Docker secrets).
      Exit codes: 0 ok, 2 usage, 3 config, 4 database, 5 cannot listen, 6 homeserver check failed,
      8 leader lock lost (PostgreSQL; another instance takes over).
      """;

  private Main() {}

  public static void main(String[] args) {
    PrintStream messages = System.err;
    if (runsTheBridge(args)) {
      // Loading the config already creates loggers (the policy schema validator does), and
      // slf4j-simple reads its settings at the first one: set them from a first, plain read.
      Map<String, String> logging = LoggingPeek.read(args, System.getenv());
      configureLogging(logging.get("level"), logging.get("format"));
    }
    // The command's own messages stay plain text; only log lines become JSON.
    System.exit(run(args, System.getenv(), System.out, messages));
  }

  private static boolean runsTheBridge(String[] args) {
    List<String> words = new ArrayList<>(Arrays.asList(args));
    for (int i = 0; i < words.size(); i++) {
      if (List.of("--config", "-c", "--registration", "--to", "--to-username", "--seconds",
          "--address")
          .contains(words.get(i))) {
        words.set(i + 1 < words.size() ? i + 1 : i, "");
        words.set(i, "");
      }
    }
    return words.stream().filter(word -> !word.isEmpty()).allMatch("run"::equals);
  }

  /** Runs one command; returns the process exit code instead of exiting (tests call it too). */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Path configFile = Path.of("config.yaml");
    Path registrationFile = null;
    Map<String, String> options = new java.util.HashMap<>();
    List<String> commands = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--help", "-h" -> {
          out.print(USAGE);
          return 0;
        }
        case "--config", "-c" -> {
          if (++i >= args.length) {
            return usage(err, "--config needs a file");
          }
          configFile = Path.of(args[i]);
        }
        case "--registration" -> {
          if (++i >= args.length) {
            return usage(err, "--registration needs a file");
          }
          registrationFile = Path.of(args[i]);
        }
        case "--to", "--to-username", "--seconds", "--address" -> {
          if (++i >= args.length) {
            return usage(err, args[i - 1] + " needs a value");
          }
          options.put(args[i - 1], args[i]);
        }
        case "ledger" -> {
          return LedgerCli.run(configFile, Arrays.copyOfRange(args, i + 1, args.length), env, out, err);
        }
        default -> commands.add(args[i]);
      }
    }
    if (commands.size() > 1) {
      return usage(err, "one command at a time, got " + commands);
    }
    String command = commands.isEmpty() ? "run" : commands.get(0);
    try {
      switch (command) {
        case "generate-registration" -> {
          Path target = registrationFile != null ? registrationFile
              : configFile.toAbsolutePath().resolveSibling("registration.yaml");
          BridgeConfig config = RegistrationGenerator.generate(configFile, target, env);
          out.println("Wrote " + target + " for " + config.botUserId() + " (url "
              + config.appservice().address() + ") and stored the tokens in " + configFile + ".");
          out.println("Add it to Synapse's app_service_config_files and restart Synapse.");
          return 0;
        }
        case "discover" -> {
          return discover(options, out, err);
        }
        case "migrate-store" -> {
          return MigrateStoreCommand.run(configFile, options.get("--to"),
              options.get("--to-username"), env, out, err);
        }
        case "rotate-secret" -> {
          return rotateSecret(BridgeConfig.load(configFile, env, false), out, err);
        }
        case "check-config" -> {
          BridgeConfig config = BridgeConfig.load(configFile, env, false);
          out.println(configFile + ": OK (" + config.botUserId() + ", database "
              + config.database().type() + ")");
          return 0;
        }
        case "federation-whitelist" -> {
          BridgeConfig config = BridgeConfig.load(configFile, env, false);
          PolicyRepository policies = new PolicyRepository(Path.of(config.rooms().policyDir()),
              config.homeserver().domain(), config.rooms().defaultPolicy());
          try {
            out.print(FederationAllowlist.yaml(policies.load().values(), config.homeserver().domain()));
            return 0;
          } catch (PolicyException e) {
            err.println("Policy problems:");
            e.problems().forEach(problem -> err.println("  " + problem));
            return StartupException.Phase.CONFIG.exitCode();
          }
        }
        case "run" -> {
          return runBridge(BridgeConfig.load(configFile, env, false), err);
        }
        default -> {
          return usage(err, "unknown command: " + command);
        }
      }
    } catch (ConfigException e) {
      err.println("Configuration problems:");
      e.problems().forEach(problem -> err.println("  " + problem));
      return StartupException.Phase.CONFIG.exitCode();
    } catch (IOException e) {
      err.println("Cannot write files: " + e.getMessage());
      return StartupException.Phase.CONFIG.exitCode();
    }
  }

  /** {@code rotate-secret}: see {@link be.praatbrug.bridge.secret.BridgeSecretFile#rotate}. */
  private static int rotateSecret(BridgeConfig config, PrintStream out, PrintStream err) {
    Path file = Path.of(config.secret().keyFile());
    try {
      be.praatbrug.bridge.secret.BridgeSecretFile.rotate(file, config.secret().keyPassphrase());
    } catch (be.praatbrug.bridge.secret.BridgeSecretFile.Problem problem) {
      err.println("Cannot rotate the bridge secret: " + problem.getMessage());
      return StartupException.Phase.CONFIG.exitCode();
    }
    out.println("Rotated the bridge secret in " + file + ". Start the bridge now: it re-seals its"
        + " E2EE state with the new secret and then forgets the old one. Knock codes and links"
        + " made before no longer work: counsellors make new ones with !gesprek code.");
    return 0;
  }

  /** Lists the bridges that announce themselves on the LAN (discovery.announce). */
  private static int discover(Map<String, String> options, PrintStream out, PrintStream err) {
    int seconds;
    try {
      seconds = Integer.parseInt(options.getOrDefault("--seconds", "3"));
    } catch (NumberFormatException e) {
      return usage(err, "--seconds needs a whole number");
    }
    try {
      java.net.InetAddress address = options.containsKey("--address")
          ? java.net.InetAddress.getByName(options.get("--address")) : null;
      List<String> found = be.praatbrug.bridge.ops.LanDiscovery.describe(
          be.praatbrug.bridge.ops.LanDiscovery.discover(address, java.time.Duration.ofSeconds(seconds)));
      found.forEach(out::println);
      err.println(found.size() + " Praatbrug bridge(s) found in " + seconds + " s");
      return 0;
    } catch (IOException e) {
      err.println("LAN discovery failed: " + e.getMessage());
      return 1;
    }
  }

  private static int usage(PrintStream err, String problem) {
    err.println(problem);
    err.println("Run with --help for usage.");
    return 2;
  }

  /** Deploys the bridge and blocks until the JVM is asked to stop. */
  private static int runBridge(BridgeConfig config, PrintStream err) {
    configureLogging(config.logging().level(), config.logging().format());
    LeaderElection election = null;
    if ("postgres".equals(config.database().type())) {
      try {
        election = LeaderElection.await(config, () -> {
          // The lock may already be another instance's: stop acting this very moment.
          System.err.flush();
          Runtime.getRuntime().halt(StartupException.Phase.LEADER_LOST.exitCode());
        });
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return StartupException.Phase.STORE.exitCode();
      } catch (IllegalStateException e) {
        err.println("Praatbrug could not start: database (" + config.database().uri() + "): "
            + e.getMessage());
        return StartupException.Phase.STORE.exitCode();
      }
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Vert.x reports its own HTTP server, client and pool figures into the same registry.
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    try {
      vertx.deployVerticle(new BridgeVerticle(config, Clock.systemUTC(), new BridgeMetrics(registry)))
          .toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("Praatbrug could not start: " + cause.getMessage());
      closeQuietly(vertx);
      if (election != null) {
        election.close();
      }
      return cause instanceof StartupException startup ? startup.phase().exitCode()
          : StartupException.Phase.HOMESERVER.exitCode();
    }
    reloadOnHangup(vertx);
    CountDownLatch stopped = new CountDownLatch(1);
    LeaderElection held = election;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LoggerFactory.getLogger(Main.class).info("stopping");
      closeQuietly(vertx);
      if (held != null) {
        held.close();
      }
      stopped.countDown();
    }, "praatbrug-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** {@code kill -HUP <pid>} (or {@code ./praatbrug reload}) makes the bridge re-read its policies. */
  @SuppressWarnings("removal")
  private static void reloadOnHangup(Vertx vertx) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"),
          signal -> vertx.eventBus().send(BridgeVerticle.RELOAD_ADDRESS, "SIGHUP"));
    } catch (IllegalArgumentException | UnsupportedOperationException noSignals) {
      LoggerFactory.getLogger(Main.class).warn("SIGHUP reload unavailable on this platform");
    }
  }

  private static void closeQuietly(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // Shutting down anyway; nothing more useful to do.
    }
  }

  /** slf4j-simple reads its settings once, at the first logger: set them before that. */
  static void configureLogging(String level, String format) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
    // Vert.x's pool gauges re-register per pool and micrometer warns about each; not actionable.
    System.setProperty("org.slf4j.simpleLogger.log.io.micrometer", "error");
    System.setProperty("vertx.logger-delegate-factory-class-name",
        "io.vertx.core.logging.SLF4JLogDelegateFactory");
    if ("json".equals(format) && !(System.err instanceof JsonLogLines.Stream)) {
      // slf4j-simple looks System.err up at every write, so the JSON lines take over from here.
      System.setErr(JsonLogLines.over(System.err));
    }
  }
}
