package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@link MatrixClient} over the homeserver's HTTP API as the appservice, retrying transient
 * failures ({@link HomeserverHttp}: the {@code as_token} in the Authorization header only).
 */
public final class HttpMatrixClient implements MatrixClient {

  private final HomeserverHttp http;
  private final String asToken;
  private final String botUserId;
  private final RetryPolicy retryPolicy;
  private final Kicks kicks;

  /** On a pipeline of its own (tests, tools). */
  public HttpMatrixClient(Vertx vertx, String homeserverUrl, String asToken, String botUserId,
      RetryPolicy retryPolicy, int maxConnections) {
    this(vertx, new HomeserverHttp(vertx, homeserverUrl, maxConnections), asToken, botUserId, retryPolicy);
  }

  /** On the bridge's one pipeline to the homeserver, which {@link #close} closes. */
  public HttpMatrixClient(Vertx vertx, HomeserverHttp http, String asToken, String botUserId,
      RetryPolicy retryPolicy) {
    this.http = http;
    this.asToken = asToken;
    this.botUserId = botUserId;
    this.retryPolicy = retryPolicy;
    this.kicks = new Kicks(vertx, this, retryPolicy);
  }

  @Override
  public String botUserId() {
    return botUserId;
  }

  @Override
  public Future<Long> pingAppService(String appServiceId, String transactionId) {
    JsonObject body = new JsonObject().put("transaction_id", transactionId);
    return call(HttpMethod.POST, "/_matrix/client/v1/appservice/" + encode(appServiceId) + "/ping",
        body, null, RetryPolicy.STARTUP)
        .map(response -> response.getLong("duration_ms", -1L));
  }

  @Override
  public Future<Void> registerBot(String localpart) {
    JsonObject body = new JsonObject().put("type", "m.login.application_service")
        .put("username", localpart).put("inhibit_login", true);
    return call(HttpMethod.POST, "/_matrix/client/v3/register", body, null, retryPolicy)
        .<Void>mapEmpty()
        .recover(failure -> failure instanceof MatrixException matrix
            && matrix.errCode() == ErrCode.M_USER_IN_USE
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  @Override
  public Future<Void> registerNamespaceUser(String localpart) {
    JsonObject body = new JsonObject().put("type", "m.login.application_service")
        .put("username", localpart).put("inhibit_login", true);
    return call(HttpMethod.POST, "/_matrix/client/v3/register", body, null, retryPolicy).mapEmpty();
  }

  @Override
  public Future<DeviceLogin> loginNamespaceUser(String userId, String deviceDisplayName) {
    JsonObject body = new JsonObject().put("type", "m.login.application_service")
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", userId))
        .put("initial_device_display_name", deviceDisplayName);
    return call(HttpMethod.POST, "/_matrix/client/v3/login", body, null, retryPolicy)
        .map(response -> new DeviceLogin(response.getString("user_id"), response.getString("device_id"),
            response.getString("access_token")));
  }

  @Override
  public Future<Void> leaveAs(String roomId, String userId) {
    return call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + encode(roomId) + "/leave",
        new JsonObject(), userId, retryPolicy).mapEmpty();
  }

  @Override
  public Future<Void> deactivate(String userId) {
    return call(HttpMethod.POST, "/_synapse/admin/v1/deactivate/" + encode(userId),
        new JsonObject().put("erase", true), null, retryPolicy).<Void>mapEmpty()
        // Already gone (an earlier attempt got through): that is the wanted outcome.
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  @Override
  public Future<java.util.List<String>> devicesOf(String userId) {
    return call(HttpMethod.GET, "/_synapse/admin/v2/users/" + encode(userId) + "/devices", null, null,
        retryPolicy).map(response -> {
          java.util.List<String> ids = new java.util.ArrayList<>();
          response.getJsonArray("devices", new io.vertx.core.json.JsonArray())
              .forEach(device -> ids.add(((JsonObject) device).getString("device_id")));
          return ids;
        });
  }

  @Override
  public Future<Void> deleteDevices(String userId, java.util.List<String> deviceIds) {
    return call(HttpMethod.POST, "/_synapse/admin/v2/users/" + encode(userId) + "/delete_devices",
        new JsonObject().put("devices", new io.vertx.core.json.JsonArray(deviceIds)), null, retryPolicy)
        .mapEmpty();
  }

  @Override
  public Future<JsonObject> accountData(String type) {
    return call(HttpMethod.GET, "/_matrix/client/v3/user/" + encode(botUserId) + "/account_data/"
        + encode(type), null, null, retryPolicy)
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(new JsonObject()) : Future.failedFuture(failure));
  }

  @Override
  public Future<Void> setAccountData(String type, JsonObject content) {
    return call(HttpMethod.PUT, "/_matrix/client/v3/user/" + encode(botUserId) + "/account_data/"
        + encode(type), content, null, retryPolicy).mapEmpty();
  }

  @Override
  public Future<String> userOfToken(String accessToken) {
    // Once, without retries: a wrong token stays wrong, and the caller answers the browser.
    return http.once(HttpMethod.GET, "/_matrix/client/v3/account/whoami", accessToken)
        .compose(response -> response.statusCode() == 200
            ? Future.succeededFuture(parseBody(response).getString("user_id"))
            : Future.failedFuture(toMatrixException(response)));
  }

  @Override
  public Future<String> whoAmI() {
    return call(HttpMethod.GET, "/_matrix/client/v3/account/whoami", null, null, retryPolicy)
        .map(response -> response.getString("user_id"));
  }

  @Override
  public Future<Void> joinRoom(String roomId) {
    return call(HttpMethod.POST, "/_matrix/client/v3/join/" + encode(roomId), new JsonObject(),
        null, retryPolicy).mapEmpty();
  }

  @Override
  public Future<String> sendEvent(
      String roomId, String eventType, String txnId, JsonObject content) {
    String path = "/_matrix/client/v3/rooms/" + encode(roomId) + "/send/" + encode(eventType) + "/"
        + encode(txnId);
    return call(HttpMethod.PUT, path, content, null, retryPolicy)
        .map(response -> response.getString("event_id"));
  }

  @Override
  public Future<Void> setDisplayName(String userId, String displayName) {
    String path = "/_matrix/client/v3/profile/" + encode(userId) + "/displayname";
    return call(HttpMethod.PUT, path, new JsonObject().put("displayname", displayName),
        userId.equals(botUserId) ? null : userId, retryPolicy).mapEmpty();
  }

  @Override
  public Future<String> createRoom(JsonObject request) {
    return call(HttpMethod.POST, "/_matrix/client/v3/createRoom", request, null, retryPolicy)
        .map(response -> response.getString("room_id"));
  }

  @Override
  public Future<Void> invite(String roomId, String userId) {
    return call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + encode(roomId) + "/invite",
        new JsonObject().put("user_id", userId), null, retryPolicy).mapEmpty();
  }

  /** See {@link Kicks} for "not in the room": not in yet, or already out. */
  @Override
  public Future<Boolean> kick(String roomId, String userId, String reason) {
    return kicks.kick(roomId, userId, reason);
  }

  @Override
  public Future<String> sendState(String roomId, String eventType, String stateKey, JsonObject content) {
    String path = "/_matrix/client/v3/rooms/" + encode(roomId) + "/state/" + encode(eventType) + "/"
        + encode(stateKey);
    return call(HttpMethod.PUT, path, content, null, retryPolicy)
        .map(response -> response.getString("event_id"));
  }

  @Override
  public Future<JsonArray> roomState(String roomId) {
    return callRaw(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId) + "/state")
        .map(Buffer::toJsonArray);
  }

  @Override
  public Future<Optional<String>> purgeHistory(String roomId, long beforeTs) {
    JsonObject body = new JsonObject().put("delete_local_events", true).put("purge_up_to_ts", beforeTs);
    return call(HttpMethod.POST, "/_synapse/admin/v1/purge_history/" + encode(roomId), body, null,
        retryPolicy)
        .map(response -> Optional.of(response.getString("purge_id")))
        // Synapse answers 404 when no event lies before the cut-off: nothing to purge yet.
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
  }

  @Override
  public Future<String> purgeStatus(String purgeId) {
    return call(HttpMethod.GET, "/_synapse/admin/v1/purge_history_status/" + encode(purgeId), null,
        null, retryPolicy).map(response -> response.getString("status"));
  }

  @Override
  public Future<JsonObject> federationDestination(String destination) {
    return call(HttpMethod.GET, "/_synapse/admin/v1/federation/destinations/" + encode(destination),
        null, null, RetryPolicy.STARTUP);
  }

  @Override
  public Future<String> deleteRoom(String roomId) {
    JsonObject body = new JsonObject().put("purge", true).put("block", false);
    return call(HttpMethod.DELETE, "/_synapse/admin/v2/rooms/" + encode(roomId), body, null, retryPolicy)
        .map(response -> response.getString("delete_id"));
  }

  @Override
  public Future<String> deleteStatus(String deleteId) {
    return call(HttpMethod.GET, "/_synapse/admin/v2/rooms/delete_status/" + encode(deleteId), null,
        null, retryPolicy).map(response -> response.getString("status"));
  }

  public void observe(HomeserverHttp.RequestObserver observer) {
    http.observe(observer);
  }

  /** Closes the underlying HTTP connections (the bot's device, which shares them, stops first). */
  public void close() {
    http.close();
  }

  /**
   * One API call as the appservice, with retries.
   *
   * @param asUserId masquerade as this user ({@code ?user_id=}); {@code null} acts as the bot
   */
  Future<JsonObject> call(
      HttpMethod method, String path, JsonObject body, String asUserId, RetryPolicy policy) {
    return http.call(method, path, body, asToken, asUserId, policy).map(HttpMatrixClient::parseBody);
  }

  /** Like {@link #call} for responses that are not JSON objects (e.g. arrays). */
  private Future<Buffer> callRaw(HttpMethod method, String path) {
    return http.call(method, path, null, asToken, null, retryPolicy);
  }

  private static JsonObject parseBody(HttpResponse<Buffer> response) {
    return parseBody(response.body());
  }

  private static JsonObject parseBody(Buffer buffer) {
    if (buffer == null || buffer.length() == 0) {
      return new JsonObject();
    }
    try {
      return buffer.toJsonObject();
    } catch (DecodeException | ClassCastException notAnObject) {
      return new JsonObject();
    }
  }

  /** A non-2xx answer as a {@link MatrixException} (errcode and message from its body when there). */
  public static MatrixException toMatrixException(HttpResponse<Buffer> response) {
    JsonObject body = parseBody(response);
    String raw = body.getString("errcode", "M_UNKNOWN");
    String message = body.getString("error", "HTTP " + response.statusCode() + " without Matrix error body");
    return new MatrixException(ErrCode.parse(raw), raw, response.statusCode(), message, body);
  }

  /** URL-encodes one path segment (room ids hold '!' and ':'; '+' must be %20 in paths). */
  public static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
