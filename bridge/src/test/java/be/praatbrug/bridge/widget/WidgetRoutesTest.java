package be.praatbrug.bridge.widget;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig.WidgetSection;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Serves the real built widget (the call-widget module's jar is on the test classpath). */
@ExtendWith(VertxExtension.class)
class WidgetRoutesTest {

  private static final WidgetSection CONFIG = new WidgetSection("https://praatbrug.caw.example",
      "https://matrix.caw.example", List.of("https://chat.caw.example"), false);

  private WebClient client;
  private HttpServer server;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    Router root = Router.router(vertx);
    root.route(WidgetRoutes.PREFIX + "*").subRouter(
        WidgetRoutes.router(vertx, getClass().getClassLoader(), CONFIG));
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

  private static String builtFile(String prefix, String suffix) throws Exception {
    try (InputStream in = WidgetRoutesTest.class.getClassLoader()
        .getResourceAsStream(WidgetRoutes.CLASSPATH_ROOT + "files.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .filter(line -> line.startsWith(prefix) && line.endsWith(suffix)).findFirst().orElseThrow();
    }
  }

  @Test
  void servesThePageWithACspThatAllowsOnlyTheBridgeAndTheHomeserver() throws Exception {
    HttpResponse<Buffer> page = get("/widget/call/");

    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", page.getHeader("Content-Type"));
    assertTrue(page.bodyAsString().contains("<html lang=\"nl\">"));
    String csp = page.getHeader("Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'"), csp);
    assertTrue(csp.contains("script-src 'self' 'wasm-unsafe-eval';"), csp);
    assertTrue(csp.contains("connect-src 'self' https://matrix.caw.example;"), csp);
    assertTrue(csp.contains(
        "frame-ancestors 'self' https://matrix.caw.example https://chat.caw.example;"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("no-cache", page.getHeader("Cache-Control"));
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    assertEquals("no-referrer", page.getHeader("Referrer-Policy"));
  }

  @Test
  void cachesHashedBundlesForeverAndTheModelForADay() throws Exception {
    HttpResponse<Buffer> script = get("/widget/call/" + builtFile("assets/", ".js"));
    HttpResponse<Buffer> model = get("/widget/call/mediapipe/selfie_segmentation_landscape.tflite");
    HttpResponse<Buffer> wasm = get("/widget/call/mediapipe/selfie_segmentation_solution_simd_wasm_bin.wasm");

    assertEquals("text/javascript; charset=utf-8", script.getHeader("Content-Type"));
    assertEquals("public, max-age=31536000, immutable", script.getHeader("Cache-Control"));
    assertEquals(200, model.statusCode());
    assertEquals("application/octet-stream", model.getHeader("Content-Type"));
    assertEquals("public, max-age=86400", model.getHeader("Cache-Control"));
    assertTrue(model.body().length() > 100_000, "the model file is the real one");
    assertEquals("application/wasm", wasm.getHeader("Content-Type"));
  }

  @Test
  void answersNotModifiedForAKnownEtag() throws Exception {
    HttpResponse<Buffer> first = get("/widget/call/index.html");
    HttpResponse<Buffer> again = await(client.get(server.actualPort(), "127.0.0.1", "/widget/call/index.html")
        .putHeader("If-None-Match", first.getHeader("ETag")).send());

    assertEquals(304, again.statusCode());
    assertEquals(null, again.body());
  }

  @Test
  void servesOnlyListedFiles() throws Exception {
    assertEquals(404, get("/widget/call/files.txt").statusCode());
    assertEquals(404, get("/widget/call/mediapipe/selfie_segmentation.tflite").statusCode());
    assertEquals(404, get("/widget/call/../../be/praatbrug/bridge/main/Main.class").statusCode());
    assertEquals(404, get("/widget/call/nothing.html").statusCode());
  }

  @Test
  void redirectsTheFolderWithoutSlash() throws Exception {
    HttpResponse<Buffer> response = get("/widget/call");

    assertEquals(302, response.statusCode());
    assertEquals("/widget/call/", response.getHeader("Location"));
  }
}
