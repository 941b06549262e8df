package be.praatbrug.bridge.e2ee;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Everything the bot's device ({@link BotDevice}, {@link KeyPublisher}, {@link DeviceDirectory})
 * asks of the homeserver: log-in, its own devices and rooms, key upload, cross-signing, and sending.
 * {@link DeviceClient} is the real one over HTTP; tests put a fake homeserver behind it.
 */
interface DeviceHomeserver extends DeviceDirectory.KeyServer {

  /** Uses this device access token for the calls that need the device (all but those given the appservice token). */
  void useAccessToken(String token);

  /** Logs the bot in as the appservice, on the given device; returns the device's access token. */
  Future<String> loginAsAppService(String asToken, String botLocalpart, String deviceId);

  /** True when the access token in use still belongs to this device. */
  Future<Boolean> tokenWorksFor(String deviceId);

  /** The bot's devices ({@code GET /devices}), asked with the appservice token. */
  Future<JsonObject> listDevices(String asToken);

  /** Deletes one of the bot's devices, with the appservice token. */
  Future<Void> deleteDevice(String deviceId, String asToken);

  /** The rooms the bot has joined ({@code GET /joined_rooms}). */
  Future<JsonObject> joinedRooms();

  /** {@code POST /keys/upload}; the answer holds {@code one_time_key_counts}. */
  Future<JsonObject> uploadKeys(JsonObject body);

  /** Cross-signing keys, with the appservice token. */
  Future<JsonObject> uploadSigningKeys(JsonObject body, String asToken);

  /** Signatures of keys ({@code POST /keys/signatures/upload}); the answer holds {@code failures}. */
  Future<JsonObject> uploadSignatures(JsonObject body);

  /** One to-device send: {@code messages} is user id → device id → content. */
  Future<Void> sendToDevice(String eventType, String txnId, JsonObject messages);

  /** Sends one room event; returns its event id. */
  Future<String> sendRoomEvent(String roomId, String eventType, String txnId, JsonObject content);
}
