package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.config.MinimalConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.config.BridgeConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI description and the real router agree: every documented operation is routed, and
 * every routed operation is documented.
 */
class AdminOpenApiTest {

  @TempDir Path directory;
  private Vertx vertx;
  private AdminApi api;

  @BeforeEach
  void buildRouter() throws Exception {
    vertx = Vertx.vertx();
    BridgeConfig config = MinimalConfig.load(directory, """
        admin:
          users: ["@beheerder:caw.test"]
        """);
    // Building the router touches none of the parts, so they can stay unset here.
    api = new AdminApi(new AdminApi.Parts(vertx, config, null, null, null, null, null, null,
        Clock.systemUTC(), null));
  }

  @AfterEach
  void close() throws Exception {
    api.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void documentsExactlyTheRoutesTheRouterServes() throws Exception {
    JsonNode openApi = new YAMLMapper().readTree(AdminApi.openApiText());
    Set<String> documented = new TreeSet<>();
    openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
        .forEachRemaining(method -> {
          if (List.of("get", "put", "post", "delete", "patch").contains(method)) {
            documented.add(method.toUpperCase() + " " + path.getKey());
          }
        }));
    Set<String> routed = new TreeSet<>();
    for (Route route : api.router().getRoutes()) {
      // Handlers for all paths (body limit, the session check) have no method of their own.
      if (route.methods() == null || route.getPath() == null) {
        continue;
      }
      for (HttpMethod method : route.methods()) {
        routed.add(method.name() + " " + route.getPath().replaceAll(":([A-Za-z]+)", "{$1}"));
      }
    }
    assertEquals(documented, routed);
    assertEquals(AdminApi.PREFIX, openApi.path("servers").get(0).path("url").asText());
  }

  @Test
  void theDescriptionIsValidOpenApi3() {
    io.swagger.v3.parser.core.models.SwaggerParseResult parsed =
        new io.swagger.v3.parser.OpenAPIV3Parser().readContents(AdminApi.openApiText(), null, null);
    assertEquals(List.of(), parsed.getMessages());
    assertEquals("3.0.3", parsed.getOpenAPI().getOpenapi());
    assertEquals(documentedOperations(), parsed.getOpenAPI().getPaths().size());
  }

  private static int documentedOperations() {
    try {
      return new YAMLMapper().readTree(AdminApi.openApiText()).path("paths").size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void onlySignInAndTheDescriptionAreOpen() throws Exception {
    JsonNode openApi = new YAMLMapper().readTree(AdminApi.openApiText());
    Set<String> open = new TreeSet<>();
    openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fields()
        .forEachRemaining(operation -> {
          JsonNode security = operation.getValue().path("security");
          if (security.isArray() && security.isEmpty()) {
            open.add(operation.getKey() + " " + path.getKey());
          } else if (operation.getValue().isObject() && operation.getValue().has("responses")) {
            assertTrue(operation.getValue().path("responses").has("401"),
                operation.getKey() + " " + path.getKey() + " documents its 401");
          }
        }));
    assertEquals(Set.of("get /openapi.yaml", "post /login"), open);
  }
}
