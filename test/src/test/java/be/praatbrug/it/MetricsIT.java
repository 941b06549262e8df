package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bridge's {@code /metrics} and health endpoints, scraped on the internal listener while a real
 * Synapse pushes real transactions: the counters move with what happens, the scrape names no
 * person or room, and none of it is on the public port, whatever the path looks like.
 */
class MetricsIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static TestHomeserver homeserver;
  private final HttpClient http = HttpClient.newHttpClient();

  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest();

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
    homeserver.register("metricscounsellor", PASSWORD);
  }

  @Test
  void countersMoveWithRealTransactionsAndNameNobody() throws Exception {
    // GIVEN a counsellor in a direct chat with the bot, who asked for help once
    MatrixTestClient counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl)
        .login("metricscounsellor", PASSWORD);
    String room = bridge.openDirectChat(counsellor);
    ask(counsellor, room);
    String before = scrape();

    // WHEN she asks again
    ask(counsellor, room);

    // THEN every family of figures moved: transactions, events by type, decisions, actions by
    // kind, enforcement latency and the homeserver requests the bot made to answer
    String after = eventually(Duration.ofSeconds(10), "the second answer in the counters", () -> {
      String text = scrape();
      return value(text, "praatbrug_actions_total{kind=\"SendNotice\",result=\"ok\"}")
          > value(before, "praatbrug_actions_total{kind=\"SendNotice\",result=\"ok\"}")
          ? java.util.Optional.of(text) : java.util.Optional.empty();
    });
    for (String series : new String[] {
        "praatbrug_transactions_total{result=\"ok\"}",
        "praatbrug_transaction_events_total{result=\"ok\"}",
        "praatbrug_events_total{type=\"m.room.message\"}",
        "praatbrug_decisions_total{outcome=\"handled\"}",
        "praatbrug_enforcement_latency_seconds_count",
        "praatbrug_homeserver_requests_seconds_count{api=\"client.rooms.send.m.room.message\","
            + "method=\"PUT\",result=\"2xx\"}"}) {
      assertTrue(value(after, series) > value(before, series), series + " must grow:\n" + after);
    }
    assertTrue(value(after, "praatbrug_actions_total{kind=\"JoinRoom\",result=\"ok\"}") >= 1, after);
    assertTrue(after.contains("praatbrug_events_total{type=\"m.room.member\"}"), after);
    assertTrue(after.contains("praatbrug_enforcement_latency_seconds_bucket{le="), "a histogram");
    assertTrue(after.contains("praatbrug_ledger_entries "), after);

    // AND nothing in it names a room, a person or a secret
    assertFalse(after.contains(room), "room ids stay out of metrics");
    assertFalse(after.contains("metricscounsellor"), "user ids stay out of metrics");
    assertFalse(after.contains(bridge.config().appservice().asToken()), "tokens stay out of metrics");
  }

  @Test
  void metricsAndHealthAreNotOnThePublicPortWhateverThePath() throws Exception {
    for (String path : new String[] {"/metrics", "/metrics/", "/metrics/x", "//metrics", "/metrics?x=1",
        "/health", "/health/", "/health/live", "/health/ready", "/health/ready/"}) {
      HttpResponse<String> publicAnswer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + bridge.config().appservice().port() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(404, publicAnswer.statusCode(), path + " on the public port: " + publicAnswer.body());
      assertFalse(publicAnswer.body().contains("praatbrug_"), path);
    }
    assertTrue(bridge.verticle().opsPort() != bridge.config().appservice().port());
    assertEquals(200, get("/metrics").statusCode());
  }

  @Test
  void liveAndReadyAnswerWithTheirChecks() throws Exception {
    HttpResponse<String> live = get("/health/live");
    assertEquals(200, live.statusCode());
    HttpResponse<String> ready = get("/health/ready");
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals(Map.of("bridge", "up", "store", "up", "homeserver", "up"),
        new JsonObject(ready.body()).getJsonObject("checks").getMap());
  }

  private void ask(MatrixTestClient counsellor, String room) {
    String question = counsellor.sendText(room, "!hulp");
    eventually(Duration.ofSeconds(20), "the bot's answer", () ->
        counsellor.messageFrom(room, bridge.config().botUserId(), question));
  }

  private String scrape() {
    try {
      HttpResponse<String> response = get("/metrics");
      assertEquals(200, response.statusCode());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      return response.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** From the internal listener (metrics.port). */
  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + bridge.verticle().opsPort() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one series in the Prometheus text format; 0 when it is not there yet. */
  static double value(String scrape, String series) {
    Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(scrape);
    return line.find() ? Double.parseDouble(line.group(1)) : 0;
  }
}
