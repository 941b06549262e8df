package be.praatbrug.it;

import be.praatbrug.bridge.config.BridgeConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How many transactions a single bridge instance takes per second, the way Synapse sends them: one
 * at a time, each waiting for the previous answer. Events are ordinary messages in rooms the
 * bridge does not manage (decided and ignored), so what is measured is the bridge's own pipeline:
 * HTTP, token check, parsing, per-room ordering, the policy decision and the store's record of the
 * transaction id. The bridge is real and started against a real Synapse.
 *
 * <p>Run with {@code test/scripts/bench-throughput.sh [transactions] [events-per-transaction]};
 * with {@code PRAATBRUG_BENCH_POSTGRES_URL} set, the store is PostgreSQL. Not part of the suite.
 */
public final class TransactionThroughputHarness {

  public static void main(String[] args) throws Exception {
    int transactions = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int eventsPerTransaction = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    TestHomeserver homeserver = TestHomeserver.get();
    Map<String, String> overrides = new HashMap<>();
    String postgres = System.getenv("PRAATBRUG_BENCH_POSTGRES_URL");
    Path directory = Files.createTempDirectory("praatbrug-throughput");
    if (postgres != null && !postgres.isBlank()) {
      overrides.putAll(Map.of("PRAATBRUG_DATABASE_TYPE", "postgres", "PRAATBRUG_DATABASE_URI",
          postgres, "PRAATBRUG_DATABASE_USERNAME", "praatbrug", "PRAATBRUG_DATABASE_PASSWORD",
          "praatbrug"));
    } else {
      overrides.put("PRAATBRUG_DATABASE_URI", directory.resolve("bridge.db").toString());
    }
    overrides.put("PRAATBRUG_LOGGING_LEVEL", "warn");
    BridgeConfig config = homeserver.bridgeConfig(overrides);
    Vertx vertx = Vertx.vertx();
    int status = 0;
    try {
      new RunningBridge(vertx, config).start();
      HttpClient http = HttpClient.newHttpClient();
      long firstId = System.currentTimeMillis() * 1000;
      // Warm-up: JIT, connection, store.
      run(http, config, firstId, 500, eventsPerTransaction);
      List<Long> latencies = run(http, config, firstId + 1000, transactions, eventsPerTransaction);
      long totalNanos = latencies.stream().mapToLong(Long::longValue).sum();
      Collections.sort(latencies);
      String report = String.format(
          "%s store, %d transactions of %d event(s), one at a time: %.0f transactions/s, %.0f events/s;"
              + " per transaction p50 %.2f ms, p99 %.2f ms",
          config.database().type(), transactions, eventsPerTransaction,
          transactions / (totalNanos / 1e9), transactions * eventsPerTransaction / (totalNanos / 1e9),
          latencies.get(latencies.size() / 2) / 1e6, latencies.get(latencies.size() * 99 / 100) / 1e6);
      System.out.println(report);
      Files.writeString(homeserver.workDir.resolve("throughput.txt"), report + "\n",
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (Throwable failure) {
      failure.printStackTrace();
      status = 1;
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    System.exit(status);
  }

  private static List<Long> run(HttpClient http, BridgeConfig config, long firstId, int count,
      int eventsPerTransaction) throws Exception {
    List<Long> latencies = new ArrayList<>(count);
    for (int t = 0; t < count; t++) {
      JsonArray events = new JsonArray();
      for (int e = 0; e < eventsPerTransaction; e++) {
        events.add(new JsonObject().put("type", "m.room.message")
            .put("event_id", "$bench-" + firstId + "-" + t + "-" + e)
            .put("room_id", "!bench" + (e % 16) + ":caw.test")
            .put("sender", "@someone:caw.test")
            .put("origin_server_ts", System.currentTimeMillis())
            .put("content", new JsonObject().put("msgtype", "m.text").put("body", "hallo")));
      }
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + config.appservice().port() + "/_matrix/app/v1/transactions/" + (firstId + t)))
          .header("Authorization", "Bearer " + config.appservice().hsToken())
          .header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(new JsonObject().put("events", events).encode()))
          .build();
      long started = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      latencies.add(System.nanoTime() - started);
      if (response.statusCode() != 200) {
        throw new IllegalStateException("transaction answered " + response.statusCode() + ": "
            + response.body());
      }
    }
    return latencies;
  }
}
