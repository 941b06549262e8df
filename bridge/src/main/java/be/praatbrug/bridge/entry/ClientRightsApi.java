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
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.JsonReplies;
import be.praatbrug.bridge.web.TokenGuard;
import be.praatbrug.bridge.web.TokenGuard.TokenCheck;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
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
  private final Supplier<Map<String, String>> guestRooms;
  private final java.util.function.Function<String, String> guestRecords;
  private final RoomRegistry registry;
  private final PolicyRepository policies;
  private final ClientRecords clients;
  private final Ledger ledger;
  private final ConsentService consent;
  private final ConsentFollowUp followUp;
  private final TokenGuard guests;

  /** What the rights API reads and changes; all of it exists in the running bridge. */
  /** @param guestRecords a guest's client record: its room's, or its family session place's */
  public record Parts(Vertx vertx, TokenCheck tokens, Supplier<Map<String, String>> guestRooms,
      java.util.function.Function<String, String> guestRecords,
      RoomRegistry registry, PolicyRepository policies, ClientRecords clients, Ledger ledger,
      ConsentService consent, ConsentFollowUp followUp, EntrySection config, Clock clock) {}

  /** The guest a request comes from: their room, their record and whether that is a named place's. */
  private record Guest(String userId, CounsellingRoom room, String ref, boolean namedPlace) {}

  public ClientRightsApi(Parts parts) {
    this.vertx = parts.vertx();
    this.guestRooms = parts.guestRooms();
    this.guestRecords = parts.guestRecords();
    this.registry = parts.registry();
    this.policies = parts.policies();
    this.clients = parts.clients();
    this.ledger = parts.ledger();
    this.consent = parts.consent();
    this.followUp = parts.followUp();
    this.guests = new TokenGuard(parts.tokens(), parts.config(), parts.clock());
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
    guest(ctx).compose(guest -> {
      CounsellingRoom room = guest.room();
      String ref = guest.ref();
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
    guest(ctx).compose(guest -> {
      String ref = guest.ref();
      Future<Boolean> withdrawn = ref == null ? Future.succeededFuture(false)
          : consent.withdrawRecord(ref, "link");
      // Withdrawing ends the conversation, also when no consent was in force any more; in a family
      // session only for the one who withdrew.
      return withdrawn.compose(recorded -> (guest.namedPlace()
              ? followUp.participantWithdrew(guest.room().roomId(), guest.userId())
              : followUp.endAfterWithdrawal(guest.room().roomId()))
          .map(ended -> new JsonObject().put("withdrawn", true).put("recorded", recorded)));
    }).onSuccess(body -> ok(ctx, 200, body)).onFailure(failure -> fail(ctx, failure));
  }

  private void left(RoutingContext ctx) {
    guest(ctx).compose(guest -> followUp.clientLeftInAHurry(guest.room().roomId(),
            guest.namedPlace() ? guest.ref() : null))
        .onSuccess(done -> ok(ctx, 200, new JsonObject()))
        .onFailure(failure -> fail(ctx, failure));
  }

  /**
   * The room of the guest whose token the request carries; 401 without a (live) token, 403 for
   * anyone but a client in a conversation through a link; wrong tokens limited per address.
   */
  private Future<Guest> guest(RoutingContext ctx) {
    return guests.userOf(ctx, userId -> roomOf(userId) != null,
        "Only a client in a conversation through a link can do this").map(userId -> {
          CounsellingRoom room = roomOf(userId);
          String ref = guestRecords.apply(userId);
          return new Guest(userId, room, ref, ref != null && !ref.equals(room.clientRef()));
        });
  }

  private CounsellingRoom roomOf(String userId) {
    String roomId = guestRooms.get().get(userId);
    return roomId == null ? null : registry.room(roomId);
  }

  private static void fail(RoutingContext ctx, Throwable failure) {
    JsonReplies.fail(ctx, failure, LOG, "a client's rights request");
  }

  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    JsonReplies.reply(ctx, status, body);
  }
}
