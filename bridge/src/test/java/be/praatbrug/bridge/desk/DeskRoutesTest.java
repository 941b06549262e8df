package be.praatbrug.bridge.desk;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class DeskRoutesTest {

  private WebClient client;
  private HttpServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    client = WebClient.create(vertx);
    Router root = Router.router(vertx);
    root.route(DeskRoutes.PREFIX + "*").subRouter(
        DeskRoutes.router(vertx, "https://matrix.caw.example", "@praatbrug:caw.example"));
    server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
    client.close();
  }

  @Test
  void tellsThePageWhereToSignInAndWhoTheBotIs() throws Exception {
    HttpResponse<Buffer> response = await(client.get(server.actualPort(), "127.0.0.1",
        DeskRoutes.PREFIX + "config").send());
    assertEquals(200, response.statusCode());
    assertEquals("no-store", response.getHeader("Cache-Control"));
    assertEquals(new JsonObject().put("homeserver", "https://matrix.caw.example")
        .put("bot_user_id", "@praatbrug:caw.example"), response.bodyAsJsonObject());
  }
}
