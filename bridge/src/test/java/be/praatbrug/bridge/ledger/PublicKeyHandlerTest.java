package be.praatbrug.bridge.ledger;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PublicKeyHandlerTest {

  private final OrgKeys keys = TestChains.keys();
  private Vertx vertx;
  private HttpServer server;
  private HttpClient client;

  @BeforeEach
  void serve() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get(PublicKeyHandler.PATH).handler(new PublicKeyHandler(keys.publicKey()));
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    client = vertx.createHttpClient();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private String get(String uri) throws Exception {
    // Ask for the body inside the chain, on the event loop, before it can arrive unread.
    return await(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", uri)
        .compose(request -> request.send())
        .compose(response -> {
          assertEquals(200, response.statusCode());
          return response.body();
        })
        .map(Buffer::toString));
  }

  @Test
  void publishesTheKeyAsJsonWithoutAnyToken() throws Exception {
    JsonObject json = new JsonObject(get(PublicKeyHandler.PATH));

    assertEquals("Ed25519", json.getString("algorithm"));
    assertEquals(keys.publicKey(), OrgPublicKey.fromBase64(json.getString("raw_base64")));
    assertEquals(keys.publicKey().fingerprint(), json.getString("fingerprint_sha256"));
  }

  @Test
  void publishesThePemForOpenssl() throws Exception {
    assertEquals(keys.publicKey(), OrgPublicKey.fromPem(get(PublicKeyHandler.PATH + "?format=pem")));
  }
}
