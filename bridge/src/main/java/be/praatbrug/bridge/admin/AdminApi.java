package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.pipeline.ActionExecutor;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.Reconciler;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.policy.BotContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import be.praatbrug.bridge.web.Endpoint;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The admin HTTP API under {@value #PREFIX}, as described in {@code admin-openapi.yaml} (served at
 * {@value #PREFIX}{@code /openapi.yaml}; {@code AdminOpenApiTest} keeps the two in step).
 *
 * <p>Every route but sign-in and the description itself needs a bridge admin session: see
 * {@link AdminAuth}. The route list below is the whole API, top to bottom. Errors go to the
 * bridge's one {@code MatrixErrorHandler}, which keeps the details a {@code MatrixException}
 * carries ({@code problems}, {@code current_version}).
 */
public final class AdminApi implements Endpoint {

  public static final String PREFIX = "/_praatbrug/admin/v1";
  public static final String OPENAPI_RESOURCE = "/be/praatbrug/bridge/admin/admin-openapi.yaml";
  private static final long MAX_BODY_BYTES = 256 * 1024;

  /** What the admin API works with; all of it already exists in the running bridge. */
  public record Parts(Vertx vertx, BridgeConfig config, Database database,
      PolicyRepository policies, Reconciler reconciler, RoomRegistry registry,
      ActionExecutor executor, Ledger ledger, Clock clock, ClientRecords clients) {}

  private final Router router;
  private final PolicyAdmin policies;
  private final OpenIdVerifier openId;
  private final StatusAdmin status;

  public AdminApi(Parts parts) {
    BridgeConfig config = parts.config();
    Vertx vertx = parts.vertx();
    String ownServer = config.homeserver().domain();
    this.openId = new OpenIdVerifier(vertx, config.admin().openidUrl());
    AdminAuth auth = new AdminAuth(openId,
        new AdminSessions(Duration.ofMinutes(config.admin().sessionMinutes()), parts.clock()),
        config.admin().users(), ownServer, config.entry().trustedProxies(), parts.clock());
    this.policies = new PolicyAdmin(vertx, parts.policies(),
        new PolicyVersions(parts.database()), new PolicyFloor(config.admin().floor()),
        parts.reconciler(), parts.clock(), ownServer);
    SessionAdmin sessions = new SessionAdmin(parts.database(), parts.registry(), parts.executor(),
        new BotContext(config.botUserId(), ownServer), parts.clock());
    LedgerAdmin ledger = new LedgerAdmin(parts.ledger(), parts.clock());
    ClientAdmin clients = new ClientAdmin(parts.clients(), parts.ledger(),
        () -> parts.policies().get(parts.policies().defaultName()).organisation(), parts.clock());
    status = new StatusAdmin(vertx, parts.database(), parts.reconciler(),
        config.homeserver().address(), parts.clock());
    String openApi = openApiText();

    router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-store").putHeader("X-Content-Type-Options", "nosniff");
      ctx.next();
    });
    router.route().handler(JsonBodyHandler.limitedTo(MAX_BODY_BYTES));
    // Open to all: the description, and sign-in itself.
    router.get("/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
    router.post("/login").handler(auth::login);
    // Everything below needs a signed-in admin.
    router.route().handler(auth::requireSession);
    router.post("/logout").handler(auth::logout);
    router.get("/whoami").handler(auth::whoami);
    router.get("/status").handler(status::status);
    router.get("/policies").handler(policies::list);
    router.post("/policies").handler(policies::create);
    router.post("/policies/validate").handler(policies::validate);
    router.get("/policies/:name").handler(policies::read);
    router.put("/policies/:name").handler(policies::update);
    router.get("/sessions").handler(sessions::list);
    router.post("/sessions/:roomId/end").handler(sessions::end);
    router.get("/ledger/entries").handler(ledger::entries);
    router.get("/ledger/verify").handler(ledger::verify);
    router.get("/ledger/sessions").handler(ledger::sessions);
    router.get("/ledger/consent-proof/:clientRef").handler(ledger::consentProof);
    router.get("/ledger/subjects/:clientRef").handler(ledger::subject);
    router.post("/ledger/subjects/:clientRef/erase").handler(ledger::erase);
    router.get("/clients").handler(clients::search);
    router.get("/clients/:clientRef").handler(clients::read);
  }

  @Override
  public void mount(Router parent) {
    parent.route(PREFIX + "/*").subRouter(router);
  }

  /** The API's own router (tests mount it alone). */
  public Router router() {
    return router;
  }

  /** Puts policies saved by admins back in force; call once the store is open, before rooms reconcile. */
  public Future<Integer> restoreSavedPolicies() {
    return policies.restoreSaved();
  }

  @Override
  public void close() {
    openId.close();
    status.close();
  }

  /** The request's JSON object body; a missing or non-object body is 400 M_NOT_JSON. */
  static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new MatrixException(ErrCode.M_NOT_JSON, "Send a JSON object as the request body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw new MatrixException(ErrCode.M_NOT_JSON, "The request body is not a JSON object");
    }
  }

  static String openApiText() {
    try (InputStream in = AdminApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }
}
