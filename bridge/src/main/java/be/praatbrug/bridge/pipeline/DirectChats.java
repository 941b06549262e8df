package be.praatbrug.bridge.pipeline;

import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.RoomStateStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The bot's own direct chats with people who are not yet in any room with it, such as a client
 * with a Matrix account who knocked before consenting: found again through the bot's
 * {@code m.direct} account data (the homeserver keeps the mapping, the bridge's store does not),
 * made when there is none the person is still in.
 *
 * <p>A new chat is end-to-end encrypted when the bot's device runs, since the reply may carry a
 * parent's or guardian's name ({@code !toestemming geef voogd ...}).
 */
public final class DirectChats {

  private static final String DIRECT = "m.direct";

  private final MatrixClient matrix;
  private final RoomStateStore roomStates;
  private final BooleanSupplier canEncrypt;
  /** User id → the chat found or made for them since start; checked again before each use. */
  private final Map<String, String> known = new ConcurrentHashMap<>();

  public DirectChats(MatrixClient matrix, RoomStateStore roomStates, BooleanSupplier canEncrypt) {
    this.matrix = matrix;
    this.roomStates = roomStates;
    this.canEncrypt = canEncrypt;
  }

  /** A direct chat between the bot and {@code userId} that the person is in or invited to. */
  public Future<String> with(String userId) {
    String cached = known.get(userId);
    Future<String> existing = cached != null ? Future.succeededFuture(cached)
        : matrix.accountData(DIRECT).map(direct -> {
          JsonArray rooms = direct.getJsonArray(userId, new JsonArray());
          return rooms.isEmpty() ? null : rooms.getString(rooms.size() - 1);
        });
    return existing.compose(roomId -> roomId == null ? Future.succeededFuture(false)
            : stillThere(roomId, userId))
        .compose(usable -> usable ? Future.succeededFuture(known.get(userId)) : create(userId));
  }

  private Future<Boolean> stillThere(String roomId, String userId) {
    return roomStates.get(roomId).map(state -> {
      boolean there = state.isMember(userId);
      if (there) {
        known.put(userId, roomId);
      } else {
        known.remove(userId);
      }
      return there;
    }).otherwise(gone -> {
      known.remove(userId);
      return false;
    });
  }

  private Future<String> create(String userId) {
    JsonArray initialState = new JsonArray();
    if (canEncrypt.getAsBoolean()) {
      initialState.add(new JsonObject().put("type", "m.room.encryption").put("state_key", "")
          .put("content", new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2")));
    }
    JsonObject request = new JsonObject()
        .put("preset", "trusted_private_chat")
        .put("is_direct", true)
        .put("invite", new JsonArray().add(userId))
        .put("initial_state", initialState);
    return matrix.createRoom(request).compose(roomId -> {
      known.put(userId, roomId);
      // Element and other clients show the chat as a direct chat with the bot because of this.
      return matrix.accountData(DIRECT).compose(direct -> {
        JsonArray rooms = direct.getJsonArray(userId, new JsonArray()).copy().add(roomId);
        return matrix.setAccountData(DIRECT, direct.copy().put(userId, rooms));
      }).map(roomId);
    });
  }
}
