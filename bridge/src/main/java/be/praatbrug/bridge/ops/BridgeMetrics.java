package be.praatbrug.bridge.ops;

import be.praatbrug.bridge.store.Database;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The bridge's Prometheus metrics: what came in, what was decided, what was done, how fast.
 *
 * <p>Labels carry kinds only (event type, action, outcome, path template), never room ids, user
 * ids or content, so a scrape reveals nothing about who talks to whom. Event types are reduced to
 * a fixed set because any client can invent types and each label value is a new time series.
 */
public final class BridgeMetrics {

  /** The event types the bridge acts on; every other type is counted as {@code other}. */
  private static final Set<String> KNOWN_TYPES = Set.of("m.room.member", "m.room.message",
      "m.room.encrypted", "m.room.join_rules", "m.room.power_levels", "m.room.history_visibility",
      "m.room.guest_access", "m.room.server_acl", "m.room.retention", "m.room.encryption",
      "m.room.create", "m.room.name", "m.room.topic", "m.reaction", "im.vector.modular.widgets",
      "io.element.widgets.layout", "m.room.redaction");

  private final PrometheusMeterRegistry registry;
  private final java.util.List<LongSupplier> jobPassCounts = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, Long> purgeRuns = new ConcurrentHashMap<>();
  private final AtomicLong ledgerEntries = new AtomicLong();

  public BridgeMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("praatbrug_ledger_entries", ledgerEntries, AtomicLong::get)
        .description("Entries in the consent and session ledger").register(registry);
  }

  /** A registry of its own, for a bridge whose Vert.x instance reports no metrics (tests). */
  public static BridgeMetrics standalone() {
    return new BridgeMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One transaction pushed by the homeserver; {@code result} is ok or error. */
  public void transaction(String result, int events) {
    Counter.builder("praatbrug_transactions").tag("result", result)
        .description("Transactions pushed by the homeserver").register(registry).increment();
    Counter.builder("praatbrug_transaction_events").tag("result", result)
        .description("Room events in pushed transactions").register(registry).increment(events);
  }

  /** One event handled: its type, the decision's outcome, and the time since it arrived. */
  public void event(String type, String outcome, Duration sinceReceived, boolean acted) {
    String kind = KNOWN_TYPES.contains(type) ? type : "other";
    Counter.builder("praatbrug_events").tag("type", kind)
        .description("Room events received, by type").register(registry).increment();
    Counter.builder("praatbrug_decisions").tag("outcome", outcome)
        .description("Decisions on events: handled (acted), ignored, failed")
        .register(registry).increment();
    if (acted) {
      Timer.builder("praatbrug_enforcement_latency")
          .description("From the transaction arriving to the last action for the event done")
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
          .register(registry).record(sinceReceived);
    }
  }

  /** One action carried out (or failed), by its kind. */
  public void action(String kind, boolean succeeded) {
    Counter.builder("praatbrug_actions").tag("kind", kind).tag("result", succeeded ? "ok" : "error")
        .description("Actions carried out on the homeserver, by kind").register(registry).increment();
  }

  /** A reload of the policy files (SIGHUP): taken, or refused with the previous policies kept. */
  public void policyReload(boolean taken) {
    Counter.builder("praatbrug_policy_reloads").tag("result", taken ? "taken" : "refused")
        .description("Reloads of the policy files, taken or refused (the previous policies stay)")
        .register(registry).increment();
  }

  /**
   * Finished passes of a periodic job (retention, reminders), read when scraped: a count that
   * stops growing means the job is stuck.
   */
  public void jobPasses(String job, LongSupplier passes) {
    // Micrometer holds the counted object weakly: keep the supplier here, or it reads NaN once collected.
    jobPassCounts.add(passes);
    FunctionCounter.builder("praatbrug_job_passes", passes, LongSupplier::getAsLong)
        .description("Finished passes of the bridge's periodic jobs since start, by job")
        .tag("job", job).register(registry);
  }

  /** One HTTP attempt to the homeserver; {@code status} 0 means no response (timeout, refused). */
  public void homeserverRequest(String method, String pathTemplate, int status, long nanos) {
    String result = status == 0 ? "no_response" : (status / 100) + "xx";
    Timer.builder("praatbrug_homeserver_requests")
        .description("Requests to the homeserver, by method, API and result")
        .tag("method", method).tag("api", api(pathTemplate)).tag("result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry).record(Duration.ofNanos(nanos));
  }

  /**
   * Refreshes the figures that live in the store (purge runs, ledger size), then renders all
   * metrics in the Prometheus text format. The queries run on the store's worker threads.
   */
  public Future<String> scrape(Database database) {
    if (database == null) {
      return Future.succeededFuture(registry.scrape());
    }
    return database.blocking(connection -> {
      try (Statement statement = connection.createStatement()) {
        try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM ledger_entries")) {
          rows.next();
          ledgerEntries.set(rows.getLong(1));
        }
        try (ResultSet rows = statement.executeQuery(
            "SELECT kind, status, COUNT(*) FROM retention_runs GROUP BY kind, status")) {
          while (rows.next()) {
            String key = rows.getString(1) + "\n" + rows.getString(2);
            if (purgeRuns.put(key, rows.getLong(3)) == null) {
              Gauge.builder("praatbrug_retention_runs", purgeRuns, runs -> runs.getOrDefault(key, 0L))
                  .description("Retention runs recorded (purges and room deletions), by kind and status")
                  .tag("kind", rows.getString(1)).tag("status", rows.getString(2))
                  .register(registry);
            }
          }
        }
      }
      return registry.scrape();
    }).recover(failure -> Future.succeededFuture(registry.scrape()));
  }

  /** {@code /_matrix/client/v3/rooms/{id}/send/...} becomes {@code client.rooms.send}. */
  static String api(String pathTemplate) {
    String[] parts = pathTemplate.replaceFirst("^/_(matrix|synapse)/", "").split("/");
    StringBuilder api = new StringBuilder(parts.length > 0 ? parts[0] : "unknown");
    for (int i = 2; i < parts.length && i < 6; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.startsWith("{") || part.contains("%") || part.contains("@")
          || part.contains("!") || part.contains("$") || part.matches(".*[0-9].*")) {
        continue;
      }
      api.append('.').append(part);
    }
    return api.toString();
  }
}
