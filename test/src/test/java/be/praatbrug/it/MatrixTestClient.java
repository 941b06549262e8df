package be.praatbrug.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A plain Matrix client-server client for tests: what a person's Matrix app does over HTTP,
 * against the real homeserver. Blocking calls, for test threads only.
 */
final class MatrixTestClient {

  private final WebClient web;
  private final String baseUrl;
  private String accessToken;
  private String userId;

  MatrixTestClient(Vertx vertx, String baseUrl) {
    this.web = WebClient.create(vertx);
    this.baseUrl = baseUrl;
  }

  String userId() {
    return userId;
  }

  String accessToken() {
    return accessToken;
  }

  /** Acts with an existing token, e.g. the appservice token to act as the bot. */
  MatrixTestClient withToken(String token, String asUserId) {
    accessToken = token;
    userId = asUserId;
    return this;
  }

  MatrixTestClient login(String localpart, String password) {
    JsonObject response = call(HttpMethod.POST, "/_matrix/client/v3/login", new JsonObject()
        .put("type", "m.login.password")
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", localpart))
        .put("password", password));
    accessToken = response.getString("access_token");
    userId = response.getString("user_id");
    return this;
  }

  /** A direct chat with {@code invitee}, unencrypted (E2eeBotDeviceIT covers encrypted ones). */
  String createDirectRoom(String invitee) {
    return call(HttpMethod.POST, "/_matrix/client/v3/createRoom", new JsonObject()
        .put("preset", "trusted_private_chat")
        .put("is_direct", true)
        .put("invite", new JsonArray().add(invitee)))
        .getString("room_id");
  }

  String sendText(String roomId, String body) {
    return call(HttpMethod.PUT, "/_matrix/client/v3/rooms/" + encode(roomId)
        + "/send/m.room.message/" + UUID.randomUUID(),
        new JsonObject().put("msgtype", "m.text").put("body", body))
        .getString("event_id");
  }

  JsonObject joinedMembers(String roomId) {
    return call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId) + "/joined_members",
        null).getJsonObject("joined");
  }

  /** The newest room message from {@code sender} sent after {@code afterEventId}, if any. */
  Optional<JsonObject> messageFrom(String roomId, String sender, String afterEventId) {
    JsonArray chunk = call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId)
        + "/messages?dir=b&limit=50", null).getJsonArray("chunk");
    for (int i = 0; i < chunk.size(); i++) {
      JsonObject event = chunk.getJsonObject(i);
      if (event.getString("event_id").equals(afterEventId)) {
        return Optional.empty();
      }
      if (sender.equals(event.getString("sender")) && "m.room.message".equals(event.getString("type"))) {
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }

  /** A counselling room the bot made on request: its id, the client's knock code, the whole answer. */
  record NewRoom(String roomId, String code, String answer) {}

  private static final java.util.regex.Pattern KNOCK_CODE =
      java.util.regex.Pattern.compile("Klopcode voor de cliënt: ([A-Z0-9-]+)");

  /**
   * Asks the bot in {@code controlRoom} for a counselling room with {@code command} (e.g.
   * {@code !gesprek nieuw kort}), waits for its answer and joins the room, as a counsellor does.
   */
  NewRoom newCounsellingRoom(String controlRoom, String botUserId, String command, Duration wait) {
    String asked = sendText(controlRoom, command);
    JsonObject answer = eventually(wait, "the new room's details", () ->
        messageFrom(controlRoom, botUserId, asked)
            .filter(event -> event.getJsonObject("content").getString("body").contains("Klopcode")));
    String body = answer.getJsonObject("content").getString("body");
    String server = userId.substring(userId.indexOf(':') + 1);
    java.util.regex.Matcher room = java.util.regex.Pattern
        .compile("(![A-Za-z0-9]+:" + java.util.regex.Pattern.quote(server) + ")").matcher(body);
    java.util.regex.Matcher code = KNOCK_CODE.matcher(body);
    if (!room.find() || !code.find()) {
      throw new AssertionError("no room id or code in the bot's answer: " + body);
    }
    join(room.group(1));
    return new NewRoom(room.group(1), code.group(1), body);
  }

  void knock(String roomId, String reason) {
    call(HttpMethod.POST, "/_matrix/client/v3/knock/" + encode(roomId),
        reason == null ? new JsonObject() : new JsonObject().put("reason", reason));
  }

  void join(String roomId) {
    call(HttpMethod.POST, "/_matrix/client/v3/join/" + encode(roomId), new JsonObject());
  }

  void invite(String roomId, String userId) {
    call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + encode(roomId) + "/invite",
        new JsonObject().put("user_id", userId));
  }

  JsonObject state(String roomId, String type) {
    return call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId) + "/state/"
        + encode(type) + "/", null);
  }

  void setState(String roomId, String type, JsonObject content) {
    call(HttpMethod.PUT, "/_matrix/client/v3/rooms/" + encode(roomId) + "/state/" + encode(type) + "/",
        content);
  }

  /** {@code userId}'s membership as this client sees it, "leave" when there is none. */
  String membership(String roomId, String userId) {
    try {
      return call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId)
          + "/state/m.room.member/" + encode(userId), null).getString("membership", "leave");
    } catch (IllegalStateException notFound) {
      if (notFound.getMessage().contains("-> 404")) {
        return "leave";
      }
      throw notFound;
    }
  }

  /** Bodies of the newest room messages, newest first (as far back as {@code limit}). */
  java.util.List<String> messageBodies(String roomId, String sender, int limit) {
    JsonArray chunk = call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId)
        + "/messages?dir=b&limit=" + limit, null).getJsonArray("chunk");
    java.util.List<String> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < chunk.size(); i++) {
      JsonObject event = chunk.getJsonObject(i);
      if ("m.room.message".equals(event.getString("type"))
          && (sender == null || sender.equals(event.getString("sender")))) {
        bodies.add(event.getJsonObject("content").getString("body", ""));
      }
    }
    return bodies;
  }

  JsonObject call(HttpMethod method, String path, JsonObject body) {
    var request = web.requestAbs(method, baseUrl + path);
    if (accessToken != null) {
      request.bearerTokenAuthentication(accessToken);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    try {
      HttpResponse<Buffer> response = sent.toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " "
            + response.bodyAsString());
      }
      return response.bodyAsJsonObject();
    } catch (Exception e) {
      throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
    }
  }

  static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Polls {@code probe} until it yields a value, or fails after {@code timeout}. */
  static <T> T eventually(Duration timeout, String what, Supplier<Optional<T>> probe) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /**
   * Checks {@code holds} again and again for the whole of {@code window} and fails at the first
   * moment it does not: "nothing goes wrong meanwhile", seen throughout instead of once at the end
   * of a sleep (a person removed and let back in within the window would be caught).
   */
  static void holdsFor(Duration window, String what, java.util.function.BooleanSupplier holds) {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!holds.getAsBoolean()) {
        throw new AssertionError("no longer true: " + what);
      }
      try {
        Thread.sleep(Math.min(100, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while checking " + what, e);
      }
    } while (System.nanoTime() < end);
    if (!holds.getAsBoolean()) {
      throw new AssertionError("no longer true at the end: " + what);
    }
  }
}
