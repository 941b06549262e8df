package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.matrix.HttpMatrixClient;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.matrix.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The client-server calls of the bot's encryption device. The device exists because the
 * appservice logs the bot in ({@code m.login.application_service} with a fixed device id); its
 * access token then authenticates key upload, key queries and claims, and to-device messages. Tokens go in headers only; logs
 * name paths, never bodies.
 */
final class DeviceClient {

  private static final long REQUEST_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final WebClient web;
  private final String baseUrl;
  private volatile String accessToken;

  DeviceClient(Vertx vertx, String homeserverUrl) {
    this.vertx = vertx;
    // A connection idle this long is not reused: Synapse may have closed it already, and a key upload
    // sent into a closed connection fails (see send for the retry).
    this.web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setKeepAliveTimeout(15)
        .setUserAgent("Praatbrug-E2EE"));
    this.baseUrl = homeserverUrl.replaceAll("/+$", "");
  }

  void useAccessToken(String token) {
    this.accessToken = token;
  }

  /** Logs the bot in as the appservice, on the given device; returns the device's access token. */
  Future<String> loginAsAppService(String asToken, String botLocalpart, String deviceId) {
    JsonObject body = new JsonObject().put("type", "m.login.application_service")
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", botLocalpart))
        .put("device_id", deviceId)
        .put("initial_device_display_name", "Praatbrug");
    return send(HttpMethod.POST, "/_matrix/client/v3/login", body, asToken, REQUEST_TIMEOUT_MS)
        .map(response -> response.getString("access_token"));
  }

  /** True when the stored token still belongs to this device. */
  Future<Boolean> tokenWorksFor(String deviceId) {
    return send(HttpMethod.GET, "/_matrix/client/v3/account/whoami", null, accessToken, REQUEST_TIMEOUT_MS)
        .map(response -> deviceId.equals(response.getString("device_id")))
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 401
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  /** The bot's devices ({@code GET /devices}), asked with the appservice token. */
  Future<JsonObject> listDevices(String asToken) {
    return send(HttpMethod.GET, "/_matrix/client/v3/devices", null, asToken, REQUEST_TIMEOUT_MS);
  }

  /** Deletes one of the bot's devices; with the appservice token Synapse asks no interactive auth (MSC4190). */
  Future<Void> deleteDevice(String deviceId, String asToken) {
    return send(HttpMethod.DELETE, "/_matrix/client/v3/devices/" + HttpMatrixClient.encode(deviceId), new JsonObject(),
        asToken, REQUEST_TIMEOUT_MS).mapEmpty();
  }

  /** The rooms the bot has joined ({@code GET /joined_rooms}). */
  Future<JsonObject> joinedRooms() {
    return send(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null, accessToken, REQUEST_TIMEOUT_MS);
  }

  Future<JsonObject> uploadKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/upload", body, accessToken, REQUEST_TIMEOUT_MS);
  }

  /** Cross-signing keys, sent with the appservice token: Synapse then needs no interactive auth (MSC4190). */
  Future<JsonObject> uploadSigningKeys(JsonObject body, String asToken) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/device_signing/upload", body, asToken, REQUEST_TIMEOUT_MS);
  }

  Future<JsonObject> uploadSignatures(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/signatures/upload", body, accessToken, REQUEST_TIMEOUT_MS);
  }

  Future<JsonObject> queryKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/query", body, accessToken, REQUEST_TIMEOUT_MS);
  }

  Future<JsonObject> claimKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/claim", body, accessToken, REQUEST_TIMEOUT_MS);
  }

  Future<Void> sendToDevice(String eventType, String txnId, JsonObject messages) {
    String path = "/_matrix/client/v3/sendToDevice/" + HttpMatrixClient.encode(eventType) + "/" + HttpMatrixClient.encode(txnId);
    return send(HttpMethod.PUT, path, new JsonObject().put("messages", messages), accessToken, REQUEST_TIMEOUT_MS).mapEmpty();
  }

  Future<String> sendRoomEvent(String roomId, String eventType, String txnId, JsonObject content) {
    String path = "/_matrix/client/v3/rooms/" + HttpMatrixClient.encode(roomId) + "/send/"
        + HttpMatrixClient.encode(eventType) + "/" + HttpMatrixClient.encode(txnId);
    return send(HttpMethod.PUT, path, content, accessToken, REQUEST_TIMEOUT_MS).map(response -> response.getString("event_id"));
  }

  void close() {
    web.close();
  }

  /**
   * Sends, and sends again (at most {@value #ATTEMPTS} times in all) when the connection failed or
   * the homeserver was briefly unable (429, 5xx): to-device data arrives once, so a key upload or a
   * key share lost to a closed connection would be lost for good. Every call here is idempotent
   * (transaction ids, the same keys again) or harmless to repeat.
   */
  private Future<JsonObject> send(HttpMethod method, String path, JsonObject body, String token, long timeoutMs) {
    return attempt(method, path, body, token, timeoutMs, 1);
  }

  private static final int ATTEMPTS = 4;

  private Future<JsonObject> attempt(HttpMethod method, String path, JsonObject body, String token, long timeoutMs,
      int attempt) {
    return sendOnce(method, path, body, token, timeoutMs).recover(failure -> {
      if (attempt >= ATTEMPTS || !isTransient(failure)) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(RetryPolicy.DEFAULT.backoffMillis(attempt, 0))
          .compose(waited -> attempt(method, path, body, token, timeoutMs, attempt + 1));
    });
  }

  private static boolean isTransient(Throwable failure) {
    if (failure instanceof MatrixException matrix) {
      return RetryPolicy.isRetryableStatus(matrix.httpStatus());
    }
    // A timeout already waited long; the queue of device data behind it should not wait again.
    if (failure.getClass().getSimpleName().contains("Timeout")) {
      return false;
    }
    return failure instanceof io.vertx.core.http.HttpClosedException || failure instanceof java.io.IOException
        || failure instanceof io.vertx.core.VertxException;
  }

  private Future<JsonObject> sendOnce(HttpMethod method, String path, JsonObject body, String token, long timeoutMs) {
    HttpRequest<Buffer> request = web.requestAbs(method, baseUrl + path).timeout(timeoutMs);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.compose(response -> {
      if (response.statusCode() / 100 == 2) {
        Buffer buffer = response.body();
        return Future.succeededFuture(buffer == null || buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject());
      }
      return Future.failedFuture(HttpMatrixClient.toMatrixException(response));
    });
  }
}
