package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

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
}
