package be.praatbrug.bench;

import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.ledger.ChainHead;
import be.praatbrug.bridge.ledger.ChainVerifier;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.LedgerEntry;
import be.praatbrug.bridge.ledger.LedgerKeyFile;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.ledger.VerificationReport;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Ledger throughput in entries per second: append (seal, hash, sign, insert, rewrite the signed
 * head, commit) and verify (read every entry, re-hash, check every signature), each on the real
 * database, plus the pure signing and checking cost for comparison.
 *
 * <p>Run: {@code test/scripts/bench.sh LedgerBenchmark -f 1 -wi 2 -i 3}. SQLite by default; add
 * {@code -p backend=postgres} with {@code PRAATBRUG_BENCH_POSTGRES_URL} set (e.g. from
 * {@code test/scripts/postgres.sh url}) to measure PostgreSQL.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class LedgerBenchmark {

  static {
    // Keep the connection pool's start and stop lines out of the JMH output.
    System.setProperty("org.slf4j.simpleLogger.log.com.zaxxer.hikari", "warn");
  }

  /** Entries in the chain that the verify benchmarks walk. */
  static final int CHAIN = 5_000;
  private static final Instant START = Instant.parse("2026-11-24T09:00:00Z");

  @Param({"sqlite"})
  public String backend;

  private Vertx vertx;
  private Path directory;
  private Database database;
  private Ledger ledger;
  private OrgKeys keys;
  private List<LedgerEntry> chain;
  private Optional<ChainHead> head;
  private long counter;

  @Setup(Level.Trial)
  public void openLedgerWithAChain() throws Exception {
    vertx = Vertx.vertx();
    directory = Files.createTempDirectory("praatbrug-bench");
    database = await(Database.open(vertx, section()));
    keys = LedgerKeyFile.openOrCreate(directory.resolve("ledger-key.json"), null,
        new SecureRandom());
    ledger = new Ledger(database, keys, ConsentTexts.none(), Clock.systemUTC());
    List<Future<LedgerEntry>> appends = new ArrayList<>();
    for (int i = 0; i < CHAIN; i++) {
      appends.add(ledger.append(Entries.sessionEnded("c-" + (i % 97), "s-" + i, "!r:caw.test",
          "@counsellor:caw.test", START, START.plusSeconds(1800))));
    }
    await(Future.all(appends));
    chain = appends.stream().map(Future::result).toList();
    LedgerEntry last = chain.get(chain.size() - 1);
    head = Optional.of(ChainHead.sign(keys, last.position(), last.hash()));
  }

  private DatabaseSection section() throws Exception {
    if ("sqlite".equals(backend)) {
      return new DatabaseSection("sqlite", directory.resolve("bench.db").toString(), null, null, 1);
    }
    String url = System.getenv("PRAATBRUG_BENCH_POSTGRES_URL");
    if (url == null) {
      throw new IllegalStateException("-p backend=postgres needs PRAATBRUG_BENCH_POSTGRES_URL");
    }
    try (Connection connection = DriverManager.getConnection(url, "praatbrug", "praatbrug");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    }
    return new DatabaseSection("postgres", url, "praatbrug", "praatbrug", 4);
  }

  @TearDown(Level.Trial)
  public void close() throws Exception {
    await(database.close());
    await(vertx.close());
    try (var files = Files.walk(directory)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  /** One entry at a time, waiting for each commit: the latency-bound rate of a single writer. */
  @Benchmark
  public LedgerEntry appendAndSignOneByOne() throws Exception {
    return await(ledger.append(Entries.knockDenied("c-" + (counter++ % 97), "!r:caw.test",
        "code_expired", START)));
  }

  /** 100 appends in flight, as when many rooms report at once (still one after another inside). */
  @Benchmark
  @OperationsPerInvocation(100)
  public Object appendAndSignHundredInFlight() throws Exception {
    List<Future<LedgerEntry>> appends = new ArrayList<>(100);
    for (int i = 0; i < 100; i++) {
      appends.add(ledger.append(Entries.knockDenied("c-" + (counter++ % 97), "!r:caw.test",
          "code_expired", START)));
    }
    return await(Future.all(appends));
  }

  /** Whole-ledger verification from the database; the score is entries checked per second. */
  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public VerificationReport verifyFromDatabase() throws Exception {
    // Each benchmark method gets its own trial, so the chain holds exactly CHAIN entries here.
    return await(ledger.verify());
  }

  /** The pure part of verification (hash and signature per entry), without the database. */
  @Benchmark
  @OperationsPerInvocation(CHAIN)
  public VerificationReport verifyInMemory() {
    ChainVerifier verifier = new ChainVerifier(keys.publicKey());
    chain.forEach(verifier::accept);
    return verifier.finish(head);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
  }
}
