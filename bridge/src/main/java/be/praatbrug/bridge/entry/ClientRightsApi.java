package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.rooms.ConsentFollowUp;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.PolicyRepository;
import be.praatbrug.bridge.rooms.RoomRegistry;
import be.praatbrug.bridge.web.ClientAddress;
import be.praatbrug.bridge.web.JsonBodyHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's own rights on the client page, under {@value #PREFIX}, for the browser that holds a
 * guest account's token ({@code Authorization: Bearer}, checked with the homeserver):
 *
 * <ul>
 *   <li>{@code GET record}: what the organisation keeps about the client's record ({@link
 *       RecordSummary}), and whom to ask for a correction or erasure;
 *   <li>{@code POST withdraw}: withdraws consent, as easily as it was given: the withdrawal is
 *       recorded in the ledger and the session ends at once;
 *   <li>{@code POST left}: the client left with the quick exit; the counsellor is told not to
 *       call or write back. Nothing is recorded.
 * </ul>
 *
 * <p>Kept apart from {@link EntryApi}: these calls come from inside a conversation, not from a link.
 * Nothing here logs tokens or names.
 */
public final class ClientRightsApi {

  public static final String PREFIX = "/_praatbrug/entry/v1/me/";

  private static final Logger LOG = LoggerFactory.getLogger(ClientRightsApi.class);

  private final Vertx vertx;
  private final TokenCheck tokens;
  private final Supplier<Map<String, String>> guestRooms;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final ClientRecords clients;
  private final Ledger ledger;
  private final ConsentService consent;
  private final ConsentFollowUp followUp;
  private final ClientAddress clientAddress;
  private final AttemptThrottle wrongTokens;

  /** Who a token belongs to: the homeserver's answer to {@code whoami} with that token. */
  public interface TokenCheck {
    Future<String> userOf(String accessToken);
  }

  /** What the rights API reads and changes; all of it exists in the running bridge. */
  public record Parts(Vertx vertx, TokenCheck tokens, Supplier<Map<String, String>> guestRooms,
      RoomRegistry registry, PolicyRepository policies, ClientRecords clients, Ledger ledger,
      ConsentService consent, ConsentFollowUp followUp, EntrySection config, Clock clock) {}

  public ClientRightsApi(Parts parts) {
    this.vertx = parts.vertx();
    this.tokens = parts.tokens();
    this.guestRooms = parts.guestRooms();
    this.registry = parts.registry();
    this.policies = parts.policies();
    this.clients = parts.clients();
    this.ledger = parts.ledger();
    this.consent = parts.consent();
    this.followUp = parts.followUp();
    this.clientAddress = new ClientAddress(parts.config().trustedProxies());
    this.wrongTokens = new AttemptThrottle(parts.config().maxAttempts(),
        Duration.ofSeconds(parts.config().attemptWindowSeconds()), parts.clock());
  }

  /** Mount with {@code parent.route(PREFIX + "*").subRouter(router())}, before {@link EntryApi}. */
  public Router router() {
    Router router = Router.router(vertx);
    // No body is ever read here; a form or upload is refused before a byte of it is.
    router.route().handler(JsonBodyHandler.limitedTo(1024));
    router.get("/record").handler(this::record);
    router.post("/withdraw").handler(this::withdraw);
    router.post("/left").handler(this::left);
    return router;
  }

  private void record(RoutingContext ctx) {
    guestRoom(ctx).compose(room -> {
      String ref = room.clientRef();
      if (ref == null) {
        return Future.failedFuture(new MatrixException(be.praatbrug.bridge.matrix.ErrCode.M_NOT_FOUND,
            "This conversation has no client record yet"));
      }
      var record = clients.find(ref);
      var entries = ledger.pageFor(ref, 0, Integer.MAX_VALUE);
      var standing = consent.standing(ref);
      return Future.all(record, entries, standing).map(all -> RecordSummary.of(ref,
          record.result().orElse(null), entries.result(), standing.result(),
          policies.get(room.policyName())));
    }).onSuccess(summary -> ok(ctx, 200, summary)).onFailure(failure -> fail(ctx, failure));
  }

  private void withdraw(RoutingContext ctx) {
    guestRoom(ctx).compose(room -> {
      String ref = room.clientRef();
      Future<Boolean> withdrawn = ref == null ? Future.succeededFuture(false)
          : consent.withdrawRecord(ref, "link");
      // Withdrawing ends the conversation, also when no consent was in force any more.
      return withdrawn.compose(recorded -> followUp.endAfterWithdrawal(room.roomId())
          .map(ended -> new JsonObject().put("withdrawn", true).put("recorded", recorded)));
    }).onSuccess(body -> ok(ctx, 200, body)).onFailure(failure -> fail(ctx, failure));
  }

  private void left(RoutingContext ctx) {
    guestRoom(ctx).compose(room -> followUp.clientLeftInAHurry(room.roomId()))
        .onSuccess(done -> ok(ctx, 200, new JsonObject()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * The room of the guest whose token the request carries; 401 without a (live) guest token. An
   * attempt of the address (IPv6 per /64) is taken before the token is checked, so parallel
   * requests cannot all pass the limit, and given back when the token is a live guest's.
   */
  private Future<CounsellingRoom> guestRoom(RoutingContext ctx) {
    String address = clientAddress.limitKeyOf(ctx);
    Duration wait = wrongTokens.tryTake(address);
    if (!wait.isZero()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      return Future.failedFuture(new Refusal(429, "M_LIMIT_EXCEEDED", "Too many attempts; wait a little"));
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith("Bearer ") || header.length() > 1024) {
      // Counted: a request without a token is as wrong as one with a wrong token.
      return Future.failedFuture(new Refusal(401, "M_MISSING_TOKEN", "A guest access token is needed"));
    }
    return tokens.userOf(header.substring("Bearer ".length()).strip())
        .recover(unknown -> {
          return Future.failedFuture(new Refusal(401, "M_UNKNOWN_TOKEN", "Unknown or ended access token"));
        })
        .compose(userId -> {
          String roomId = guestRooms.get().get(userId);
          CounsellingRoom room = roomId == null ? null : registry.room(roomId);
          if (room == null) {
            return Future.failedFuture(new Refusal(403, "M_FORBIDDEN",
                "Only a client in a conversation through a link can do this"));
          }
          wrongTokens.giveBack(address);
          return Future.succeededFuture(room);
        });
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    if (failure instanceof Refusal refusal) {
      ok(ctx, refusal.status, new JsonObject().put("errcode", refusal.errcode)
          .put("error", refusal.getMessage()));
      return;
    }
    if (failure instanceof MatrixException matrix) {
      ok(ctx, matrix.httpStatus(), new JsonObject().put("errcode", matrix.rawErrCode())
          .put("error", matrix.getMessage()));
      return;
    }
    LOG.error("a client's rights request failed: {}", failure.toString());
    ok(ctx, 502, new JsonObject().put("errcode", "M_UNKNOWN")
        .put("error", "The request could not be handled; try again shortly"));
  }

  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body.encode());
  }

  /** A request refused with a Matrix-style error. */
  private static final class Refusal extends RuntimeException {
    private final int status;
    private final String errcode;

    Refusal(int status, String errcode, String message) {
      super(message, null, false, false);
      this.status = status;
      this.errcode = errcode;
    }
  }
}
