package be.praatbrug.bridge.entry;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serves the real built client page (the client-web module's jar is on the test classpath). */
@ExtendWith(VertxExtension.class)
class EntryPageTest {

  private WebClient client;
  private HttpServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    Router root = Router.router(vertx);
    root.route("/binnen*").subRouter(
        EntryPage.router(vertx, getClass().getClassLoader(), "https://matrix.caw.example"));
    server = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(server.close());
    client.close();
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(server.actualPort(), "127.0.0.1", path).send());
  }

  @Test
  void servesThePageThatNoOtherSiteMayFrame() throws Exception {
    HttpResponse<Buffer> page = get("/binnen/");
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("<html lang=\"nl\">"));
    String csp = page.getHeader("Content-Security-Policy");
    assertTrue(csp.contains("connect-src 'self' https://matrix.caw.example;"), csp);
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("frame-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("no-cache", page.getHeader("Cache-Control"));
  }

  @Test
  void theLinkWithoutSlashLandsOnThePage() throws Exception {
    HttpResponse<Buffer> redirect = get("/binnen");
    assertEquals(302, redirect.statusCode());
    assertEquals("/binnen/", redirect.getHeader("Location"));
  }

  @Test
  void isAnInstallableWebApp() throws Exception {
    HttpResponse<Buffer> manifest = get("/binnen/manifest.webmanifest");
    assertEquals("application/manifest+json", manifest.getHeader("Content-Type"));
    JsonObject app = manifest.bodyAsJsonObject();
    assertEquals("standalone", app.getString("display"));
    for (Object icon : app.getJsonArray("icons")) {
      String src = ((JsonObject) icon).getString("src");
      HttpResponse<Buffer> file = get("/binnen/" + src);
      assertEquals(200, file.statusCode(), src);
    }
    HttpResponse<Buffer> png = get("/binnen/icon-512.png");
    assertEquals("image/png", png.getHeader("Content-Type"));
    assertEquals((byte) 0x89, png.body().getByte(0));
    HttpResponse<Buffer> worker = get("/binnen/sw.js");
    assertEquals("text/javascript; charset=utf-8", worker.getHeader("Content-Type"));
    assertEquals("no-cache", worker.getHeader("Cache-Control"), "a new worker must reach phones");
  }

  @Test
  void isNeutralByDefault() throws Exception {
    JsonObject app = get("/binnen/manifest.webmanifest").bodyAsJsonObject();
    assertEquals("Chat", app.getString("name"));
    assertEquals("Chat", app.getString("short_name"));
    assertFalse(app.containsKey("description"), "a description says what the app is for");
    assertEquals("standalone", app.getString("display"));
    HttpResponse<Buffer> appearance = get("/binnen/appearance.json");
    assertEquals(new JsonObject().put("name", "Chat").put("exit_url", "https://www.google.be/"),
        appearance.bodyAsJsonObject());
    assertEquals("no-cache", appearance.getHeader("Cache-Control"));
    assertTrue(get("/binnen/").bodyAsString().contains("<title>Chat</title>"));
  }

  @Test
  void takesTheOrganisationsNameAndExitSite(Vertx vertx) throws Exception {
    Router root = Router.router(vertx);
    root.route("/binnen*").subRouter(EntryPage.router(vertx, getClass().getClassLoader(),
        "https://matrix.caw.example", new PageAppearance("Praat", "https://www.meteo.be/")));
    HttpServer other = await(vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1"));
    try {
      JsonObject app = await(client.get(other.actualPort(), "127.0.0.1", "/binnen/manifest.webmanifest")
          .send()).bodyAsJsonObject();
      assertEquals("Praat", app.getString("short_name"));
      JsonObject appearance = await(client.get(other.actualPort(), "127.0.0.1", "/binnen/appearance.json")
          .send()).bodyAsJsonObject();
      assertEquals("https://www.meteo.be/", appearance.getString("exit_url"));
    } finally {
      await(other.close());
    }
  }

  @Test
  void servesTheCryptoWebAssemblyAsWasm() throws Exception {
    String wasm = get("/binnen/").bodyAsString().contains("assets/") ? wasmPath() : null;
    HttpResponse<Buffer> file = get("/binnen/" + wasm);
    assertEquals("application/wasm", file.getHeader("Content-Type"));
    assertEquals("public, max-age=31536000, immutable", file.getHeader("Cache-Control"));
  }

  private String wasmPath() throws Exception {
    try (var in = getClass().getClassLoader().getResourceAsStream(EntryPage.CLASSPATH_ROOT + "files.txt")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(line -> line.endsWith(".wasm")).findFirst().orElseThrow();
    }
  }

  @Test
  void nothingElseFromTheClasspath() throws Exception {
    assertEquals(404, get("/binnen/../files.txt").statusCode());
    assertEquals(404, get("/binnen/files.txt").statusCode());
  }
}
