package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.matrix.HomeserverHttp;
import be.praatbrug.bridge.matrix.HttpMatrixClient;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.matrix.RetryPolicy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * The client-server calls of the bot's encryption device. The device exists because the
 * appservice logs the bot in ({@code m.login.application_service} with a fixed device id); its
 * access token then authenticates key upload, key queries and claims, and to-device messages. The
 * calls go through the bridge's one pipeline to the homeserver ({@link HomeserverHttp}) under
 * {@link RetryPolicy#DEVICE}: every call here is idempotent (transaction ids, the same keys again)
 * or harmless to repeat, and to-device data lost to a closed connection would be lost for good.
 */
final class DeviceClient implements DeviceHomeserver {

  private final HomeserverHttp http;
  private volatile String accessToken;

  DeviceClient(HomeserverHttp http) {
    this.http = http;
  }

  @Override
  public void useAccessToken(String token) {
    this.accessToken = token;
  }

  /** Logs the bot in as the appservice, on the given device; returns the device's access token. */
  @Override
  public Future<String> loginAsAppService(String asToken, String botLocalpart, String deviceId) {
    JsonObject body = new JsonObject().put("type", "m.login.application_service")
        .put("identifier", new JsonObject().put("type", "m.id.user").put("user", botLocalpart))
        .put("device_id", deviceId)
        .put("initial_device_display_name", "Praatbrug");
    return send(HttpMethod.POST, "/_matrix/client/v3/login", body, asToken)
        .map(response -> response.getString("access_token"));
  }

  /** True when the stored token still belongs to this device. */
  @Override
  public Future<Boolean> tokenWorksFor(String deviceId) {
    return send(HttpMethod.GET, "/_matrix/client/v3/account/whoami", null, accessToken)
        .map(response -> deviceId.equals(response.getString("device_id")))
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 401
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  /** The bot's devices ({@code GET /devices}), asked with the appservice token. */
  @Override
  public Future<JsonObject> listDevices(String asToken) {
    return send(HttpMethod.GET, "/_matrix/client/v3/devices", null, asToken);
  }

  /** Deletes one of the bot's devices; with the appservice token Synapse asks no interactive auth (MSC4190). */
  @Override
  public Future<Void> deleteDevice(String deviceId, String asToken) {
    return send(HttpMethod.DELETE, "/_matrix/client/v3/devices/" + HttpMatrixClient.encode(deviceId), new JsonObject(),
        asToken).mapEmpty();
  }

  /** The rooms the bot has joined ({@code GET /joined_rooms}). */
  @Override
  public Future<JsonObject> joinedRooms() {
    return send(HttpMethod.GET, "/_matrix/client/v3/joined_rooms", null, accessToken);
  }

  @Override
  public Future<JsonObject> uploadKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/upload", body, accessToken);
  }

  /** Cross-signing keys, sent with the appservice token: Synapse then needs no interactive auth (MSC4190). */
  @Override
  public Future<JsonObject> uploadSigningKeys(JsonObject body, String asToken) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/device_signing/upload", body, asToken);
  }

  @Override
  public Future<JsonObject> uploadSignatures(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/signatures/upload", body, accessToken);
  }

  @Override
  public Future<JsonObject> queryKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/query", body, accessToken);
  }

  @Override
  public Future<JsonObject> claimKeys(JsonObject body) {
    return send(HttpMethod.POST, "/_matrix/client/v3/keys/claim", body, accessToken);
  }

  @Override
  public Future<Void> sendToDevice(String eventType, String txnId, JsonObject messages) {
    String path = "/_matrix/client/v3/sendToDevice/" + HttpMatrixClient.encode(eventType) + "/" + HttpMatrixClient.encode(txnId);
    return send(HttpMethod.PUT, path, new JsonObject().put("messages", messages), accessToken).mapEmpty();
  }

  @Override
  public Future<String> sendRoomEvent(String roomId, String eventType, String txnId, JsonObject content) {
    String path = "/_matrix/client/v3/rooms/" + HttpMatrixClient.encode(roomId) + "/send/"
        + HttpMatrixClient.encode(eventType) + "/" + HttpMatrixClient.encode(txnId);
    return send(HttpMethod.PUT, path, content, accessToken).map(response -> response.getString("event_id"));
  }

  private Future<JsonObject> send(HttpMethod method, String path, JsonObject body, String token) {
    return http.call(method, path, body, token, null, RetryPolicy.DEVICE).map(DeviceClient::json);
  }

  private static JsonObject json(Buffer buffer) {
    return buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
  }
}
