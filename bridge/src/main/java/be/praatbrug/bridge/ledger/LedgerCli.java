package be.praatbrug.bridge.ledger;

import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.config.ConfigException;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code praatbrug-bridge.jar [--config FILE] ledger SUBCOMMAND [OPTIONS]}: checks and exports for
 * administrators, inspectors and data-subject requests, run beside or instead of the bridge.
 *
 * <p>Exit codes: 0 ok, 1 the ledger failed verification (or holds no consent for the client asked
 * about), 2 usage, 3 config, 4 database, 7 ledger key. Exports go to standard output; messages to
 * standard error, so {@code > file} captures only the export.
 */
public final class LedgerCli {

  public static final String USAGE = """
      Ledger commands (java -jar praatbrug-bridge.jar [--config FILE] ledger SUBCOMMAND):
        verify [--public-key PEM]     walk the chain, check every hash and signature (with the key
                                      file's public key, or with an independently kept PEM file)
        public-key                    print the organisation's public key (PEM) and fingerprint
        export-consent --client REF   consent proof for one client (JSON, verifiable offline)
        export-sessions [--client REF] [--from DATE] [--to DATE] --format csv|json
                                      session metadata; DATE is 2026-11-01 (Belgian midnight) or
                                      an ISO instant such as 2026-11-01T08:00:00Z; --to is exclusive
        export-subject --client REF   everything held about one client (JSON)
        erase --client REF --yes      destroy the client's personal data (irreversible); the chain
                                      keeps verifying
      Exit codes: 0 ok, 1 verification failed or no consent on record, 2 usage, 3 config,
      4 database, 7 ledger key.
      """;

  static final int FAILED = 1;
  static final int USAGE_ERROR = 2;
  static final int CONFIG = 3;
  static final int DATABASE = 4;
  static final int KEY = 7;

  private static final Set<String> SUBCOMMANDS = Set.of("verify", "public-key", "export-consent",
      "export-sessions", "export-subject", "erase");
  private static final Set<String> FLAGS = Set.of("--yes");
  private static final Set<String> VALUED = Set.of("--client", "--from", "--to", "--format",
      "--public-key", "--config", "-c");

  private final PrintStream out;
  private final PrintStream err;

  private LedgerCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs one ledger subcommand; {@code args} are the words after {@code ledger}. */
  public static int run(Path configFile, String[] args, Map<String, String> env, PrintStream out,
      PrintStream err) {
    quietLogging();
    return new LedgerCli(out, err).run(configFile, List.of(args), env);
  }

  /**
   * Warnings only, so standard error carries the command's own messages; slf4j-simple reads this
   * once, at the first logger, so it has no effect when the bridge already logs in this process.
   */
  private static void quietLogging() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
  }

  private int run(Path configFile, List<String> args, Map<String, String> env) {
    if (!args.isEmpty() && List.of("--help", "-h", "help").contains(args.get(0))) {
      out.print(USAGE);
      return 0;
    }
    if (args.isEmpty() || !SUBCOMMANDS.contains(args.get(0))) {
      return usage(args.isEmpty() ? "ledger needs a subcommand"
          : "unknown ledger subcommand: " + args.get(0));
    }
    String subcommand = args.get(0);
    Map<String, String> options = new HashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String option = args.get(i);
      if (FLAGS.contains(option)) {
        options.put(option, "");
      } else if (VALUED.contains(option) && i + 1 < args.size()) {
        options.put(option.equals("-c") ? "--config" : option, args.get(++i));
      } else if (VALUED.contains(option)) {
        return usage(option + " needs a value");
      } else {
        return usage("unknown option for ledger " + subcommand + ": " + option);
      }
    }
    if (options.containsKey("--config")) {
      configFile = Path.of(options.get("--config"));
    }
    String client = options.get("--client");
    if (Set.of("export-consent", "export-subject", "erase").contains(subcommand) && client == null) {
      return usage("ledger " + subcommand + " needs --client REF");
    }
    if (client != null && !ClientRefs.isValid(client)) {
      return usage("--client \"" + client + "\" is not a client reference (1-128 letters, digits"
          + " and ._:=-)");
    }
    if (subcommand.equals("erase") && !options.containsKey("--yes")) {
      return usage("ledger erase cannot be undone: add --yes to erase " + client);
    }
    String format = options.get("--format");
    if (subcommand.equals("export-sessions") && !"csv".equals(format) && !"json".equals(format)) {
      return usage("ledger export-sessions needs --format csv or --format json");
    }
    Instant from;
    Instant to;
    try {
      from = instant(options.get("--from"));
      to = instant(options.get("--to"));
    } catch (DateTimeParseException e) {
      return usage("cannot read the date \"" + e.getParsedString() + "\": use 2026-11-01 or "
          + "2026-11-01T08:00:00Z");
    }
    if (from != null && to != null && !from.isBefore(to)) {
      return usage("--from " + from + " is not before --to " + to);
    }

    BridgeConfig config;
    try {
      config = BridgeConfig.load(configFile, env, true);
    } catch (ConfigException e) {
      err.println("Configuration problems:");
      e.problems().forEach(problem -> err.println("  " + problem));
      return CONFIG;
    }
    Path keyFile = Path.of(config.ledger().keyFile());
    try {
      if (subcommand.equals("public-key")) {
        OrgPublicKey key = LedgerKeyFile.readPublicKey(keyFile);
        out.print(key.pem());
        err.println("fingerprint (SHA-256 of the raw key): " + key.fingerprint());
        return 0;
      }
      OrgPublicKey verifyWith = options.containsKey("--public-key")
          ? readPem(Path.of(options.get("--public-key")))
          : subcommand.equals("verify") ? LedgerKeyFile.readPublicKey(keyFile) : null;
      OrgKeys keys = verifyWith != null ? null
          : LedgerKeyFile.open(keyFile, config.ledger().keyPassphrase());
      ConsentTexts texts = ConsentTexts.load(Path.of(config.ledger().consentDir()));
      return withDatabase(config, database -> {
        if (subcommand.equals("verify")) {
          return Ledger.verify(database, verifyWith).map(this::printReport);
        }
        Ledger ledger = new Ledger(database, keys, texts, Clock.systemUTC());
        LedgerExports exports = new LedgerExports(ledger, Clock.systemUTC());
        return switch (subcommand) {
          case "export-consent" -> exports.consentProof(client).map(proof -> {
            out.println(proof.encodePrettily());
            if (proof.getJsonArray("entries").isEmpty()) {
              err.println("No consent on record for client " + client + ".");
              return FAILED;
            }
            return 0;
          });
          case "export-sessions" -> exports.sessions(client, from, to).map(rows -> {
            out.print("csv".equals(format) ? SessionExport.csv(rows)
                : SessionExport.json(rows, client, from, to, Instant.now()).encodePrettily() + "\n");
            err.println(rows.size() + " sessions exported.");
            return 0;
          });
          case "export-subject" -> exports.subject(client).map(export -> {
            out.println(export.encodePrettily());
            return 0;
          });
          default -> ledger.erase(client, "cli").map(entry -> {
            err.println("Erased the personal data of client " + client + "; recorded as ledger "
                + "entry " + entry.position() + ".");
            return 0;
          });
        };
      });
    } catch (LedgerKeyException e) {
      err.println("Ledger key: " + e.getMessage());
      return KEY;
    } catch (IOException e) {
      err.println("Cannot read: " + e.getMessage());
      return CONFIG;
    }
  }

  private int printReport(VerificationReport report) {
    if (report.ok()) {
      out.println("Ledger OK: " + report.entriesChecked() + " entries, every hash and signature "
          + "checked with public key " + report.publicKeyFingerprint() + ".");
      return 0;
    }
    out.println("Ledger FAILED verification: " + report.findings().size() + " problem(s) in "
        + report.entriesChecked() + " stored entries (public key "
        + report.publicKeyFingerprint() + "):");
    report.lines().forEach(line -> out.println("  " + line));
    return FAILED;
  }

  /** Opens the database, runs {@code work}, closes; database trouble gives exit code 4. */
  private int withDatabase(BridgeConfig config,
      java.util.function.Function<Database, Future<Integer>> work) {
    Vertx vertx = Vertx.vertx();
    try {
      Database database;
      try {
        database = await(Database.open(vertx, config.database()));
      } catch (Exception e) {
        err.println("Database (" + config.database().type() + " " + config.database().uri()
            + "): " + rootMessage(e));
        return DATABASE;
      }
      try {
        return await(work.apply(database));
      } catch (Exception e) {
        err.println("Ledger command failed: " + rootMessage(e));
        return e.getCause() instanceof IllegalArgumentException ? USAGE_ERROR : DATABASE;
      } finally {
        awaitQuietly(database.close());
      }
    } finally {
      awaitQuietly(vertx.close());
    }
  }

  private static OrgPublicKey readPem(Path file) throws LedgerKeyException {
    try {
      return OrgPublicKey.fromPem(Files.readString(file));
    } catch (IOException | IllegalArgumentException e) {
      throw new LedgerKeyException("--public-key " + file + ": " + e.getMessage()
          + ". Pass the PEM file from GET /_praatbrug/ledger/public-key?format=pem", e);
    }
  }

  /** {@code 2026-11-01} is midnight in Belgium; anything else must be an ISO instant or offset. */
  static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    if (text.length() == 10) {
      return LocalDate.parse(text).atStartOfDay(SessionExport.BELGIUM).toInstant();
    }
    return OffsetDateTime.parse(text).toInstant();
  }

  private int usage(String problem) {
    err.println(problem);
    err.print(USAGE);
    return USAGE_ERROR;
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      await(future);
    } catch (Exception ignored) {
      // Closing after the answer is out; nothing useful to add.
    }
  }
}
