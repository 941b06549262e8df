package be.praatbrug.bridge.admin;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.MatrixErrorHandler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A homeserver that takes the userinfo request and never answers: the OpenID token travels in
 * that request's query string, and the timeout must not carry it into the answer or the log.
 */
@ExtendWith(VertxExtension.class)
class SignInTimeoutTest {

  private static final String TOKEN = "openid-token-that-must-stay-secret-4711";

  @Test
  void aTimedOutCheckNamesNoTokenInAnswerOrLog(Vertx vertx) throws Exception {
    // A real socket that accepts and stays silent, like a hung homeserver.
    NetServer silent = await(vertx.createNetServer().connectHandler(socket -> { }).listen(0, "127.0.0.1"));
    AdminAuth auth = new AdminAuth(new OpenIdVerifier(vertx, "http://127.0.0.1:" + silent.actualPort(), 300),
        new AdminSessions(Duration.ofMinutes(15), Clock.systemUTC()), List.of("@admin:caw.test"),
        "caw.test", List.of(), Clock.systemUTC());
    Router router = Router.router(vertx);
    router.route().handler(JsonBodyHandler.limitedTo(4096));
    router.post("/login").handler(auth::login);
    router.route().failureHandler(new MatrixErrorHandler());
    HttpServer server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    WebClient client = WebClient.create(vertx);

    PrintStream original = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    HttpResponse<Buffer> answer;
    try {
      answer = await(client.post(server.actualPort(), "127.0.0.1", "/login").sendJsonObject(
          new JsonObject().put("access_token", TOKEN).put("matrix_server_name", "caw.test")));
    } finally {
      System.setErr(original);
    }

    String logged = log.toString(StandardCharsets.UTF_8);
    assertEquals(500, answer.statusCode(), answer.bodyAsString());
    assertEquals("M_UNKNOWN", answer.bodyAsJsonObject().getString("errcode"));
    assertTrue(answer.bodyAsString().contains("no answer in time"), answer.bodyAsString());
    assertFalse(answer.bodyAsString().contains(TOKEN), "the answer names the token");
    assertTrue(logged.contains("/login"), "the failure is logged:\n" + logged);
    assertFalse(logged.contains(TOKEN), "the log names the token:\n" + logged);
    assertFalse(logged.contains("access_token="), "the log names the request URI:\n" + logged);
  }
}
