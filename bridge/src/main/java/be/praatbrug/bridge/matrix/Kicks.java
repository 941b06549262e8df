package be.praatbrug.bridge.matrix;

import static be.praatbrug.bridge.matrix.HttpMatrixClient.encode;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kicks, and the answer "The target user is not in the room", which means one of two things.
 *
 * <ul>
 *   <li>The person is <em>not in yet</em>: an invite made on another server reaches us before the
 *       room's state here holds it. The membership follows within a moment, so the kick is tried
 *       again a few times.
 *   <li>The person is <em>already out</em>: the bridge reacts to an event that is no longer the
 *       latest, typically one Synapse resends after the bridge was down, while the startup repair
 *       already removed that person. Trying again cannot succeed; before this check every such
 *       event held its transaction (and so every later event, kicks of real intruders included)
 *       for the whole retry time.
 * </ul>
 *
 * <p>The room's current membership of the person tells the two apart. "Already out" ends the kick
 * at once; because an earlier leave can be the state while a remote invite is still on its way,
 * the membership is looked at once more a few seconds later, and such an invite is then removed.
 */
final class Kicks {

  private static final Logger LOG = LoggerFactory.getLogger(Kicks.class);
  static final int NOT_YET_IN_ROOM_ATTEMPTS = 8;
  static final long RETRY_DELAY_MS = 500;
  static final long RECHECK_DELAY_MS = 4_000;
  private static final Set<String> OUT = Set.of("leave", "ban");

  private final Vertx vertx;
  private final HttpMatrixClient client;
  private final String serverName;
  private final RetryPolicy retryPolicy;

  Kicks(Vertx vertx, HttpMatrixClient client, RetryPolicy retryPolicy) {
    this.vertx = vertx;
    this.client = client;
    this.serverName = serverOf(client.botUserId());
    this.retryPolicy = retryPolicy;
  }

  /** True when this kick removed the person, false when they were already out. */
  Future<Boolean> kick(String roomId, String userId, String reason) {
    return kick(roomId, userId, reason, NOT_YET_IN_ROOM_ATTEMPTS);
  }

  private Future<Boolean> kick(String roomId, String userId, String reason, int attemptsLeft) {
    return once(roomId, userId, reason).map(true).recover(failure -> {
      if (!isNotInRoom(failure)) {
        return Future.failedFuture(failure);
      }
      return membership(roomId, userId).compose(current -> {
        String membership = current.getString("membership");
        if (membership != null && OUT.contains(membership)) {
          LOG.debug("kick in {}: the person is already out", roomId);
          vertx.setTimer(RECHECK_DELAY_MS, timer -> removeLateRemoteInvite(roomId, userId, reason));
          return Future.succeededFuture(false);
        }
        if (attemptsLeft <= 1) {
          return Future.failedFuture(failure);
        }
        LOG.debug("kick in {} met 'not in the room'; trying again", roomId);
        return vertx.timer(RETRY_DELAY_MS).compose(waited -> kick(roomId, userId, reason, attemptsLeft - 1));
      });
    });
  }

  /** The second look after "already out": an invite from another server that landed since goes. */
  private void removeLateRemoteInvite(String roomId, String userId, String reason) {
    membership(roomId, userId)
        .compose(current -> {
          boolean remoteInvite = "invite".equals(current.getString("membership"))
              && !serverName.equals(serverOf(current.getString("sender", "")));
          if (!remoteInvite) {
            return Future.succeededFuture();
          }
          LOG.info("kick in {}: a remote invite landed after the person was out; removing it", roomId);
          return once(roomId, userId, reason);
        })
        .onFailure(failure -> LOG.warn("second look after a kick in {} failed: {}", roomId, failure.toString()));
  }

  private Future<Void> once(String roomId, String userId, String reason) {
    return client.call(HttpMethod.POST, "/_matrix/client/v3/rooms/" + encode(roomId) + "/kick",
        new JsonObject().put("user_id", userId).put("reason", reason), null, retryPolicy).mapEmpty();
  }

  /**
   * The person's membership event in the room now ({@code membership}, {@code sender}); an empty
   * object when they never had one, or when it cannot be read (then the kick is tried as before).
   */
  private Future<JsonObject> membership(String roomId, String userId) {
    return client.call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId)
            + "/state/m.room.member/" + encode(userId) + "?format=event", null, null, retryPolicy)
        .map(event -> new JsonObject()
            .put("membership", event.getJsonObject("content", new JsonObject()).getString("membership"))
            .put("sender", event.getString("sender")))
        .otherwise(new JsonObject());
  }

  private static boolean isNotInRoom(Throwable failure) {
    return failure instanceof MatrixException matrix && matrix.httpStatus() == 403
        && String.valueOf(matrix.getMessage()).contains("not in the room");
  }

  private static String serverOf(String userId) {
    int colon = userId.indexOf(':');
    return colon < 0 ? "" : userId.substring(colon + 1);
  }
}
