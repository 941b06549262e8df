package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * The client-server API calls the bridge makes, authenticated with the appservice's
 * {@code as_token}.
 *
 * <p>Every method does network I/O and returns at once with a {@link Future}; none blocks the
 * calling thread. Failures are {@link MatrixException}s for homeserver errors, or the I/O
 * exception after retries are exhausted. Calls without a {@code userId} act as the bot; with one,
 * the appservice masquerades as that user (it must be in the appservice's namespace).
 */
public interface MatrixClient {

  /** The bot's full user id, e.g. {@code @praatbrug:caw.test}. */
  String botUserId();

  /**
   * Asks the homeserver to ping this appservice back ({@code POST /appservice/{id}/ping}), which
   * proves both directions work: our token is accepted and the homeserver reaches our URL.
   *
   * @return the round-trip duration the homeserver measured, in milliseconds
   */
  Future<Long> pingAppService(String appServiceId, String transactionId);

  /**
   * Makes sure the bot has a real account row on the homeserver (appservice registration). Synapse
   * does not create one for the sender by itself, and without it the bot has no profile and cannot
   * be made a server admin. Succeeds when the account already exists.
   */
  Future<Void> registerBot(String localpart);

  /** Returns the user id the homeserver associates with our token (as the bot). */
  Future<String> whoAmI();

  Future<Void> joinRoom(String roomId);

  /**
   * Sends a room event as the bot.
   *
   * @param txnId idempotency key: the homeserver drops a repeat with the same key
   * @return the new event's id
   */
  Future<String> sendEvent(String roomId, String eventType, String txnId, JsonObject content);

  Future<Void> setDisplayName(String userId, String displayName);

  /** Creates a room as the bot ({@code POST /createRoom}); returns its id. */
  Future<String> createRoom(JsonObject request);

  Future<Void> invite(String roomId, String userId);

  /**
   * Removes a member, rescinds an invite or refuses a knock.
   *
   * @return true when this kick removed the person, false when they were already out (an event
   *     the bridge reacts to late, e.g. resent after downtime), so a removal is recorded once
   */
  Future<Boolean> kick(String roomId, String userId, String reason);

  /** Sends a state event as the bot; returns the event id. */
  Future<String> sendState(String roomId, String eventType, String stateKey, JsonObject content);

  /** The room's full current state as the bot sees it ({@code GET /rooms/{id}/state}). */
  Future<JsonArray> roomState(String roomId);

  /**
   * Starts deleting a room's history up to {@code beforeTs} (Synapse admin API; the bot must be a
   * server admin). Returns the purge id, or empty when there was nothing to purge.
   */
  Future<Optional<String>> purgeHistory(String roomId, long beforeTs);

  /** {@code active}, {@code complete} or {@code failed}. */
  Future<String> purgeStatus(String purgeId);

  /**
   * How the homeserver's federation with {@code destination} goes (Synapse admin API): with
   * {@code failure_ts} set while sending to it fails. Needs the bot to be a server admin.
   */
  Future<JsonObject> federationDestination(String destination);

  /** Starts deleting a whole room from the homeserver (Synapse admin API); returns the delete id. */
  Future<String> deleteRoom(String roomId);

  /** {@code scheduled}, {@code active}, {@code complete}, {@code failed} (latest of the room's deletes). */
  Future<String> deleteStatus(String deleteId);

  /**
   * Registers an account in the appservice's exclusive namespace without logging it in
   * ({@code inhibit_login}); fails with {@code M_USER_IN_USE} when the name is taken.
   */
  Future<Void> registerNamespaceUser(String localpart);

  /**
   * Logs a namespace user in on a new device ({@code m.login.application_service}) and returns that
   * device's access token: it is handed to the one browser that will be this device.
   */
  Future<DeviceLogin> loginNamespaceUser(String userId, String deviceDisplayName);

  /** Makes a namespace user leave (or withdraw a knock or refuse an invite to) a room. */
  Future<Void> leaveAs(String roomId, String userId);

  /** The bot's account data of {@code type}; an empty object when there is none. */
  Future<JsonObject> accountData(String type);

  /** Replaces the bot's account data of {@code type}. */
  Future<Void> setAccountData(String type, JsonObject content);

  /**
   * Whose access token {@code accessToken} is ({@code GET /account/whoami} with that token, not the
   * appservice's): how the bridge knows who a browser holding a guest token is. Fails with
   * {@code M_UNKNOWN_TOKEN} for a token the homeserver does not know (any more).
   */
  Future<String> userOfToken(String accessToken);

  /**
   * Deactivates an account through the Synapse admin API: every device, access token and
   * end-to-end key of it is removed, and its profile erased.
   */
  Future<Void> deactivate(String userId);

  /** The ids of the devices {@code userId} is signed in with (Synapse admin API). */
  Future<java.util.List<String>> devicesOf(String userId);

  /**
   * Signs {@code userId} out everywhere (Synapse admin API): the devices are deleted, and with them
   * their access tokens and end-to-end keys. The account and its room memberships stay.
   */
  Future<Void> deleteDevices(String userId, java.util.List<String> deviceIds);
}
