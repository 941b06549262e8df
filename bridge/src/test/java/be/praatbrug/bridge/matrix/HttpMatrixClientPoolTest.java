package be.praatbrug.bridge.matrix;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many requests the bridge has open at the homeserver at once: {@code homeserver.max_connections},
 * not Vert.x's default pool of 5. The stand-in homeserver holds every request until released, so
 * the requests it sees at once are the client's connections.
 */
class HttpMatrixClientPoolTest {

  private Vertx vertx;
  private HttpServer server;
  private final Queue<HttpServerRequest> held = new ConcurrentLinkedQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(held::add).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @ParameterizedTest
  @ValueSource(ints = {12, 32})
  void opensAsManyConnectionsAsConfiguredAndNoMore(int maxConnections) throws Exception {
    HttpMatrixClient client = new HttpMatrixClient(vertx, "http://127.0.0.1:" + server.actualPort(),
        "t".repeat(40), "@praatbrug:caw.test", RetryPolicy.STARTUP, maxConnections);
    int calls = maxConnections + 8;
    List<Future<JsonArray>> answers = IntStream.range(0, calls)
        .mapToObj(i -> client.roomState("!room" + i + ":caw.test")).toList();

    long deadline = System.currentTimeMillis() + 10_000;
    while (held.size() < maxConnections && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(maxConnections, held.size(), "requests open at once");
    Thread.sleep(300);
    assertEquals(maxConnections, held.size(), "the others wait for a free connection");

    // Answering frees the connections; the waiting requests go out on them and are answered too.
    int answered = 0;
    deadline = System.currentTimeMillis() + 10_000;
    while (answered < calls && System.currentTimeMillis() < deadline) {
      HttpServerRequest request = held.poll();
      if (request == null) {
        Thread.sleep(5);
        continue;
      }
      request.response().putHeader("Content-Type", "application/json").end("[]");
      answered++;
    }
    for (Future<JsonArray> answer : answers) {
      assertEquals(new JsonArray(), await(answer));
    }
    assertTrue(held.isEmpty());
    client.close();
  }
}
