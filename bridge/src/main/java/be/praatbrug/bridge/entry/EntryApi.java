package be.praatbrug.bridge.entry;

import be.praatbrug.bridge.config.BridgeConfig.EntrySection;
import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.entry.EntryCodes.Lookup;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.web.ClientAddress;
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.JsonReplies;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls the client page makes to the bridge, under {@value #PREFIX}:
 *
 * <ol>
 *   <li>{@code GET config}: the homeserver's public address;
 *   <li>{@code POST code}: is this link's code good, what must the client read and agree to, and
 *       has the client record of the link's room consented already ({@code consent.on_record})?
 *   <li>{@code POST guests}: the client agreed (or confirmed the consent on record,
 *       {@code consent_on_record: true}); record the consent once per client record and hand over
 *       a new guest account's device for this browser.
 * </ol>
 *
 * <p>Everything after that (knocking, chat, call) goes from the browser to the homeserver, end to
 * end encrypted. Errors are Matrix-style {@code {"errcode","error"}}; the page shows its own Dutch
 * explanation per errcode. Nothing here logs codes, names or tokens.
 *
 * <p>Guessing is limited by what was presented ({@link CodeGate}): a link's long secret never is,
 * a code typed by hand is counted per address before it is looked up. A guest account is made only
 * for a valid code or link, and at most {@value GuestAccounts#MAX_PER_ROOM} per room.
 */
public final class EntryApi {

  public static final String PREFIX = "/_praatbrug/entry/v1/";

  private static final Logger LOG = LoggerFactory.getLogger(EntryApi.class);

  /** While the bridge-wide budget of wrong codes is spent, one typed code is looked up per second. */
  private static final Duration PACE = Duration.ofSeconds(1);
  /** The longest a typed code waits for its turn before the answer is "try again later". */
  private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

  private final CodeGate gate;
  private final GuestAccounts guests;
  private final ConsentService consent;
  private final String homeserverPublicUrl;
  private final ClientAddress clientAddress;
  private final Router router;
  private final LinkConsent linkConsent;

  public EntryApi(Vertx vertx, EntryCodes codes, GuestAccounts guests, ConsentService consent,
      String homeserverPublicUrl, EntrySection config, Clock clock, LinkConsent linkConsent) {
    this.linkConsent = linkConsent;
    this.guests = guests;
    this.consent = consent;
    this.homeserverPublicUrl = homeserverPublicUrl;
    this.clientAddress = new ClientAddress(config.trustedProxies());
    Duration window = Duration.ofSeconds(config.attemptWindowSeconds());
    this.gate = new CodeGate(codes, new AttemptThrottle(config.maxAttempts(), window, clock),
        new GuessPacer(vertx, config.globalWrongCodes(), window, PACE, LONGEST_WAIT, clock));
    this.router = Router.router(vertx);
    // First: a form or upload is refused before anything is read or counted.
    router.route().handler(JsonBodyHandler.limitedTo(8 * 1024));
    router.get("/config").handler(this::config);
    router.post("/code").handler(this::checkCode);
    router.post("/guests").handler(this::createGuest);
  }

  /** Mount with {@code parent.route(PREFIX + "*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  /** Where the pages' browsers reach the homeserver (the counsellor page signs in there). */
  private void config(RoutingContext ctx) {
    ok(ctx, 200, new JsonObject().put("homeserver", homeserverPublicUrl));
  }

  private void checkCode(RoutingContext ctx) {
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      return;
    }
    Object code = body.get().getValue("code");
    gate.look(code instanceof String typed ? typed : "", clientAddress.limitKeyOf(ctx)).onSuccess(lookup -> {
      if (!lookup.valid()) {
        refuse(ctx, lookup);
        return;
      }
      Optional<ConsentText> dutch = consent.current("nl");
      if (dutch.isEmpty()) {
        error(ctx, 503, "BE.PRAATBRUG.NO_CONSENT_TEXT", "The organisation has no consent text yet");
        return;
      }
      JsonObject texts = new JsonObject().put("nl", dutch.get().text());
      consent.current("en").ifPresent(english -> texts.put("en", english.text()));
      linkConsent.onRecord(lookup.roomId(), lookup.place()).onSuccess(onRecord -> ok(ctx, 200, new JsonObject()
          .put("room_id", lookup.roomId())
          .put("homeserver", homeserverPublicUrl)
          .put("organisation", dutch.get().organisation())
          .put("expires_at", lookup.expiresAt().toEpochMilli())
          .put("appointment", slotJson(lookup.slot()))
          .put("family", linkConsent.isFamily(lookup.roomId()))
          // A child's page offers "my parent takes part" only where a parent has a place of their own.
          .put("parent_in_session", linkConsent.hasParentPlace(lookup.roomId(), lookup.place()))
          .put("consent", new JsonObject().put("version", dutch.get().version()).put("texts", texts)
              .put("on_record", onRecord)))).onFailure(ctx::fail);
    }).onFailure(failure -> refused(ctx, failure));
  }

  private void createGuest(RoutingContext ctx) {
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      return;
    }
    GuestRequest request;
    // A returning client confirms the consent on record instead of filling in the form again.
    boolean returning = Boolean.TRUE.equals(body.get().getValue("consent_on_record"));
    try {
      request = returning ? GuestRequest.returning(body.get()) : GuestRequest.from(body.get());
    } catch (GuestRequest.Invalid invalid) {
      error(ctx, 400, "M_INVALID_PARAM", invalid.getMessage(),
          new JsonObject().put("field", invalid.field()));
      return;
    }
    gate.look(request.code(), clientAddress.limitKeyOf(ctx)).compose(lookup -> {
      if (!lookup.valid()) {
        refuse(ctx, lookup);
        return Future.succeededFuture();
      }
      if (request.guardianInSession() && !linkConsent.hasParentPlace(lookup.roomId(), lookup.place())) {
        error(ctx, 400, "M_INVALID_PARAM", "Only in a family session with a parent's place can a parent"
            + " agree on their own place",
            new JsonObject().put("field", "guardian_in_session"));
        return Future.succeededFuture();
      }
      Optional<ConsentText> shown = consent.current(request.language());
      if (shown.isEmpty() || !shown.get().version().equals(request.consentVersion())) {
        error(ctx, 409, "BE.PRAATBRUG.CONSENT_OUTDATED",
            "The consent text changed; read the current version and agree again");
        return Future.succeededFuture();
      }
      Future<Void> onRecord = returning
          ? linkConsent.requireOnRecord(lookup.roomId(), lookup.place(), request.consentVersion())
          : Future.succeededFuture();
      // The room's place is taken in one step with the check, right before the account is made.
      return onRecord.compose(confirmed -> guests.reserve(lookup.roomId(), lookup.place())
              .map(slot -> guests.provision(slot, request.name()))
              .orElseGet(() -> Future.failedFuture(new RoomFull())))
          .compose(device -> (returning ? Future.<Void>succeededFuture()
                  : linkConsent.recordGiven(lookup.roomId(), lookup.place(), shown.get(),
                      request.guardianName(), request.guardianInSession())
                      .<Void>mapEmpty())
              .onSuccess(recorded -> ok(ctx, 201, new JsonObject()
                  .put("user_id", device.userId())
                  .put("device_id", device.deviceId())
                  .put("access_token", device.accessToken())
                  .put("homeserver", homeserverPublicUrl)
                  .put("room_id", lookup.roomId()))));
    }).onFailure(failure -> {
      if (failure instanceof CodeGate.Refused) {
        refused(ctx, failure);
        return;
      }
      if (failure instanceof RoomFull) {
        error(ctx, 429, "M_LIMIT_EXCEEDED", "Too many guests for this conversation already");
        return;
      }
      if (failure instanceof LinkConsent.NeedsConsent) {
        error(ctx, 409, LinkConsent.CONSENT_NEEDED,
            "No consent of this client is in force; read the text and agree again");
        return;
      }
      LOG.error("making a guest account failed: {}", failure.toString());
      if (!ctx.response().ended()) {
        error(ctx, 502, "M_UNKNOWN", "The homeserver could not make the account; try again shortly");
      }
    });
  }

  /** The room has all the guests it may have (or places for them are being taken). */
  private static final class RoomFull extends RuntimeException {
    RoomFull() {
      super("too many guests for this conversation", null, false, false);
    }
  }

  /** 429 for a refused attempt (with when to try again); anything else is the bridge's failure. */
  private static void refused(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof CodeGate.Refused refused)) {
      ctx.fail(failure);
      return;
    }
    Duration wait = refused.retryAfter();
    ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
    error(ctx, 429, "M_LIMIT_EXCEEDED", "Too many attempts; wait a little",
        new JsonObject().put("retry_after_ms", wait.toMillis()));
  }

  private static void refuse(RoutingContext ctx, Lookup lookup) {
    String errcode = EntryCodes.errCode(lookup.status()).orElseThrow();
    int status = lookup.status() == EntryCodes.Status.UNKNOWN ? 404
        : lookup.status() == EntryCodes.Status.NOT_YET ? 403 : 410;
    JsonObject extra = new JsonObject();
    if (lookup.slot() != null) {
      extra.put("appointment", slotJson(lookup.slot()));
    }
    error(ctx, status, errcode, "This link does not open a conversation ("
        + lookup.status().name().toLowerCase(java.util.Locale.ROOT) + ")", extra);
  }

  /** A planned session for the page: start, end and from when the link works (epoch ms). */
  private static JsonObject slotJson(EntryCodes.Slot slot) {
    return slot == null ? null : new JsonObject().put("starts_at", slot.start().toEpochMilli())
        .put("ends_at", slot.end().toEpochMilli()).put("opens_at", slot.opensAt().toEpochMilli());
  }

  private static Optional<JsonObject> jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return Optional.of(body);
      }
    } catch (DecodeException | ClassCastException notJson) {
      // answered below
    }
    error(ctx, 400, "M_NOT_JSON", "The request body must be a JSON object");
    return Optional.empty();
  }

  /** Tokens and consent answers are for this request only: no cache may keep them. */
  private static void ok(RoutingContext ctx, int status, JsonObject body) {
    JsonReplies.reply(ctx, status, body);
  }

  private static void error(RoutingContext ctx, int status, String errcode, String message) {
    error(ctx, status, errcode, message, new JsonObject());
  }

  private static void error(RoutingContext ctx, int status, String errcode, String message,
      JsonObject extra) {
    ok(ctx, status, extra.copy().put("errcode", errcode).put("error", message));
  }
}
