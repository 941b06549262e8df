package be.praatbrug.bridge.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Metric labels name kinds of things, never rooms, people or made-up event types. */
class BridgeMetricsTest {

  @Test
  void homeserverPathsBecomeApiNamesWithoutIds() {
    assertEquals("client.rooms.send.m.room.message",
        BridgeMetrics.api("/_matrix/client/v3/rooms/{id}/send/m.room.message/praatbrug.0a1b2c"));
    assertEquals("client.rooms.kick", BridgeMetrics.api("/_matrix/client/v3/rooms/{id}/kick"));
    assertEquals("admin.purge_history", BridgeMetrics.api("/_synapse/admin/v1/purge_history/{id}"));
    assertEquals("client.profile.displayname",
        BridgeMetrics.api("/_matrix/client/v3/profile/{id}/displayname"));
  }

  @Test
  void inventedEventTypesAreCountedAsOther() {
    BridgeMetrics metrics = BridgeMetrics.standalone();
    metrics.event("com.example.secret-project", "ignored", Duration.ZERO, false);
    metrics.event("m.room.member", "handled", Duration.ofMillis(40), true);

    String scrape = ((io.micrometer.prometheusmetrics.PrometheusMeterRegistry) metrics.registry())
        .scrape();
    assertTrue(scrape.contains("praatbrug_events_total{type=\"other\"} 1"), scrape);
    assertTrue(scrape.contains("praatbrug_events_total{type=\"m.room.member\"} 1"), scrape);
    assertTrue(scrape.contains("praatbrug_enforcement_latency_seconds_count 1"), scrape);
    assertFalse(scrape.contains("secret-project"), scrape);
  }

  @Test
  void jobPassesAreReadWhenScrapedAndSurviveAGarbageCollection() {
    BridgeMetrics metrics = BridgeMetrics.standalone();
    java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong(3);
    // A fresh lambda, referenced by nothing else: Micrometer alone would hold it weakly.
    metrics.jobPasses("retention", () -> passes.get());
    passes.incrementAndGet();
    System.gc();
    String scrape = metrics.scrape(null).result();
    assertTrue(scrape.contains("praatbrug_job_passes_total{job=\"retention\"} 4.0"), scrape);
  }
}
