package be.praatbrug.bridge.door;

import be.praatbrug.bridge.consent.ConsentService;
import be.praatbrug.bridge.door.DoorLineStore.Ticket;
import be.praatbrug.bridge.entry.AttemptThrottle;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.web.ClientAddress;
import be.praatbrug.bridge.web.JsonBodyHandler;
import be.praatbrug.bridge.web.JsonReplies;
import be.praatbrug.policy.door.DoorSettings;
import be.praatbrug.policy.rules.Policy;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door for people without a link, under {@value #PREFIX}: {@code GET status} (open, the wait,
 * what is kept, crisis numbers, the consent text), {@code POST enter} (consent and a nickname: a
 * place in the line), {@code POST ticket} (the place now, or once taken the device for the
 * browser; optionally held until the line changes), {@code POST leave}. The person's question never comes here: the page keeps it until the
 * counsellor is in the room. Errors are Matrix-style; nothing here logs nicknames or tickets.
 */
public final class DoorApi {

  public static final String PREFIX = "/_praatbrug/door/v1/";
  public static final String DOOR_CLOSED = "BE.PRAATBRUG.DOOR_CLOSED";

  private static final Logger LOG = LoggerFactory.getLogger(DoorApi.class);
  private static final Pattern NICKNAME = Pattern.compile("[\\p{L}\\p{M}\\p{N} .'’-]+");
  private static final int MAX_NICKNAME = 40;
  /** Below the usual 30 s idle timeouts of proxies in front of the bridge. */
  static final long LONGEST_WAIT_MS = 25_000;

  private final Door door;
  private final ConsentService consent;
  private final String homeserverPublicUrl;
  private final ClientAddress clientAddress;
  private final AttemptThrottle entries;
  private final Router router;
  private final HeldAsks asks;

  public DoorApi(Vertx vertx, Door door, ConsentService consent, String homeserverPublicUrl,
      ClientAddress clientAddress, AttemptThrottle entries) {
    this.door = door;
    this.consent = consent;
    this.homeserverPublicUrl = homeserverPublicUrl;
    this.clientAddress = clientAddress;
    this.entries = entries;
    this.asks = new HeldAsks(vertx, door.line().changes());
    this.router = Router.router(vertx);
    router.route().handler(JsonBodyHandler.limitedTo(4 * 1024));
    // Until the line is read from the store no ticket is known: a page asking then must not hear
    // that its place is gone, only that the door is starting (it asks again).
    router.route().handler(ctx -> {
      if (door.loaded()) {
        ctx.next();
      } else {
        ctx.response().putHeader("Retry-After", "3");
        JsonReplies.reply(ctx, 503, error("M_UNKNOWN", "The door is starting; ask again in a moment"));
      }
    });
    router.get("/status").handler(this::status);
    router.post("/enter").handler(this::enter);
    router.post("/ticket").handler(this::ticket);
    router.post("/leave").handler(this::leave);
  }

  /**
   * Entries into the line are limited per address: three times the entry section's attempts per
   * window (a school or a shelter shares one address; each entry makes a record and a ledger entry).
   */
  public static DoorApi of(Vertx vertx, Door door, ConsentService consent, String homeserverPublicUrl,
      be.praatbrug.bridge.config.BridgeConfig.EntrySection limits, java.time.Clock clock) {
    return new DoorApi(vertx, door, consent, homeserverPublicUrl, new ClientAddress(limits.trustedProxies()),
        new AttemptThrottle(3 * limits.maxAttempts(), Duration.ofSeconds(limits.attemptWindowSeconds()), clock));
  }

  /** Mount with {@code parent.route(PREFIX + "*").subRouter(router())}. */
  public Router router() {
    return router;
  }

  private void status(RoutingContext ctx) {
    // Read by the door button on the organisation's own website (another origin); public, no cookies.
    ctx.response().putHeader("Access-Control-Allow-Origin", "*");
    Optional<Policy> policy = door.policy();
    if (policy.isEmpty()) {
      JsonReplies.reply(ctx, 200, new JsonObject().put("enabled", false));
      return;
    }
    DoorSettings settings = policy.get().door();
    Instant now = door.now();
    Optional<String> closed = door.closedReason();
    int waiting = door.line().waiting().size();
    JsonObject body = new JsonObject().put("enabled", true)
        .put("open", closed.isEmpty())
        .put("reason", closed.orElse(null))
        .put("organisation", consent.organisation())
        .put("waiting", waiting)
        .put("places", settings.places())
        .put("on_duty", door.line().onDutyCount())
        .put("estimate_minutes", minutes(door.line().estimate(waiting + 1)))
        .put("hours", hours(settings))
        .put("next_opening", settings.nextOpening(now).map(Instant::toEpochMilli).orElse(null))
        .put("retention_days", policy.get().maxLifetime().toDays())
        .put("crisis", crisis(settings))
        .put("homeserver", homeserverPublicUrl);
    JsonObject texts = new JsonObject();
    Optional<ConsentText> dutch = consent.current("nl");
    dutch.ifPresent(text -> texts.put("nl", text.text()));
    consent.current("en").ifPresent(text -> texts.put("en", text.text()));
    body.put("consent", dutch.map(text -> new JsonObject().put("version", text.version()).put("texts", texts))
        .orElse(null));
    JsonReplies.reply(ctx, 200, body);
  }

  private void enter(RoutingContext ctx) {
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      return;
    }
    String nickname = text(body.get(), "nickname");
    String language = text(body.get(), "language");
    String version = text(body.get(), "consent_version");
    if (nickname.isEmpty() || nickname.length() > MAX_NICKNAME || !NICKNAME.matcher(nickname).matches()) {
      JsonReplies.reply(ctx, 400, error("M_INVALID_PARAM", "nickname must be 1 to " + MAX_NICKNAME
          + " letters, digits, spaces, dots, hyphens or apostrophes").put("field", "nickname"));
      return;
    }
    if (!language.equals("nl") && !language.equals("en")) {
      JsonReplies.reply(ctx, 400, error("M_INVALID_PARAM", "language must be nl or en").put("field", "language"));
      return;
    }
    String limitKey = clientAddress.limitKeyOf(ctx);
    Duration wait = entries.tryTake(limitKey);
    if (!wait.isZero() && !wait.isNegative()) {
      ctx.response().putHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
      JsonReplies.reply(ctx, 429, error("M_LIMIT_EXCEEDED", "Too many entries from here; wait a little")
          .put("retry_after_ms", wait.toMillis()));
      return;
    }
    door.enter(nickname, language, version).onSuccess(entered -> JsonReplies.reply(ctx, 201,
        new JsonObject().put("ticket", entered.ticket()).put("number", entered.number())))
        .onFailure(failure -> {
          if (failure instanceof Door.Closed closed) {
            JsonReplies.reply(ctx, 409, error(DOOR_CLOSED, "The door takes no questions now")
                .put("reason", closed.reason()));
          } else if (failure instanceof Door.ConsentOutdated) {
            JsonReplies.reply(ctx, 409, error("BE.PRAATBRUG.CONSENT_OUTDATED",
                "The consent text changed; read the current version and agree again"));
          } else {
            LOG.error("a place in the door's line could not be made: {}", failure.toString());
            JsonReplies.reply(ctx, 502, error("M_UNKNOWN", "Could not take a place in the line; try again"));
          }
        });
  }

  /**
   * Where a ticket stands. With {@code after} (the {@code version} of the page's last answer) and
   * {@code wait_ms}, a waiting ticket is answered only when the line changed, or after at most
   * {@value #LONGEST_WAIT_MS} ms: a take reaches the page at once, not at its next poll.
   */
  private void ticket(RoutingContext ctx) {
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      return;
    }
    String secret = text(body.get(), "ticket");
    long after = body.get().getValue("after") instanceof Number seen ? seen.longValue() : -1;
    long waitMs = body.get().getValue("wait_ms") instanceof Number wait
        ? Math.max(0, Math.min(LONGEST_WAIT_MS, wait.longValue())) : 0;
    if (waitMs == 0 || after != door.line().changes().version()) {
      answerTicket(ctx, secret, false);
      return;
    }
    Optional<Ticket> ticket = door.line().find(secret);
    if (ticket.isEmpty()) {
      gone(ctx);
      return;
    }
    if (ticket.get().roomId() != null) {
      answerTicket(ctx, secret, false); // taken and ready: the device now
      return;
    }
    Runnable forget = asks.hold(ticket.get().number(), after, waitMs, displaced -> {
      if (!ctx.response().closed()) {
        answerTicket(ctx, secret, displaced);
      }
    });
    ctx.response().closeHandler(closed -> forget.run());
  }

  /** @param displaced a newer ask for the same ticket took this one's place (another tab) */
  private void answerTicket(RoutingContext ctx, String secret, boolean displaced) {
    long version = door.line().changes().version();
    Optional<Ticket> ticket = door.line().find(secret);
    if (ticket.isEmpty()) {
      gone(ctx);
      return;
    }
    door.view(ticket.get()).onSuccess(view -> JsonReplies.reply(ctx, 200,
            "taken".equals(view.getString("state")) ? view.put("homeserver", homeserverPublicUrl)
                : view.put("version", version).put("displaced", displaced)))
        .onFailure(failure -> {
          if (failure instanceof Door.Gone) {
            gone(ctx);
            return;
          }
          LOG.error("handing over a taken door ticket failed: {}", failure.toString());
          JsonReplies.reply(ctx, 502, error("M_UNKNOWN", "The homeserver did not answer; try again shortly"));
        });
  }

  private void leave(RoutingContext ctx) {
    presented(ctx).ifPresent(ticket -> door.leave(ticket)
        .onSuccess(left -> JsonReplies.reply(ctx, 200, new JsonObject()))
        .onFailure(ctx::fail));
  }

  /** The ticket the body names; answers 404 itself when there is none (unknown, left, expired). */
  private Optional<Ticket> presented(RoutingContext ctx) {
    Optional<JsonObject> body = jsonBody(ctx);
    if (body.isEmpty()) {
      return Optional.empty();
    }
    Optional<Ticket> ticket = door.line().find(text(body.get(), "ticket"));
    if (ticket.isEmpty()) {
      gone(ctx);
    }
    return ticket;
  }

  private static void gone(RoutingContext ctx) {
    JsonReplies.reply(ctx, 404, error("M_NOT_FOUND", "This place in the line does not exist (any more)"));
  }

  private static JsonArray hours(DoorSettings settings) {
    JsonArray hours = new JsonArray();
    settings.hours().forEach((day, spans) -> spans.forEach(span -> hours.add(new JsonObject()
        .put("day", day.name().substring(0, 3).toLowerCase(Locale.ROOT))
        .put("from", span.from().toString()).put("until", span.untilText()))));
    return hours;
  }

  private static JsonArray crisis(DoorSettings settings) {
    JsonArray lines = new JsonArray();
    settings.crisis().forEach(line -> lines.add(new JsonObject().put("name", line.name())
        .put("number", line.number()).put("note", line.note())));
    return lines;
  }

  static Long minutes(Optional<Duration> estimate) {
    return estimate.map(wait -> Math.max(1, (wait.toSeconds() + 59) / 60)).orElse(null);
  }

  private static JsonObject error(String errcode, String message) {
    return new JsonObject().put("errcode", errcode).put("error", message);
  }

  private static String text(JsonObject body, String field) {
    Object value = body.getValue(field);
    return value instanceof String string ? string.strip().replaceAll("\\s+", " ") : "";
  }

  private static Optional<JsonObject> jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body != null) {
        return Optional.of(body);
      }
    } catch (RuntimeException notJson) {
      // answered below
    }
    JsonReplies.reply(ctx, 400, error("M_NOT_JSON", "The request body must be a JSON object"));
    return Optional.empty();
  }
}
