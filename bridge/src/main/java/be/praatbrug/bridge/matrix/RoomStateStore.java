package be.praatbrug.bridge.matrix;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * What the bot's messages need to know of a room, kept instead of fetched per message: who is in
 * it (joined or invited) and its {@code m.room.encryption} settings. A room is read once with
 * {@code GET /rooms/{id}/state}, then kept current from the state events in each appservice
 * transaction ({@link #observe}), as mautrix's state store does.
 *
 * <p>Bounded twice so a missed event cannot leave a wrong answer forever: an entry is read again
 * after {@link #FRESH_MS} (a transaction lost while the bridge was down, state resolution that set
 * an event aside), and at most {@link #MAX_ROOMS} rooms are kept, the least recently used going
 * first. A state event for a room whose read is still under way makes that read's answer used
 * once but not kept: it may be from before or after the event.
 */
public final class RoomStateStore {

  /** After this long an entry is read again from the homeserver. */
  static final long FRESH_MS = 60 * 60 * 1000L;
  /** Rooms kept at most; a large organisation has thousands, the bot writes to few at a time. */
  static final int MAX_ROOMS = 2_000;

  /**
   * One room as the bot's messages need it.
   *
   * @param members joined and invited users
   * @param encryption the {@code m.room.encryption} content, empty for an unencrypted room
   */
  public record RoomState(Set<String> members, Optional<JsonObject> encryption) {

    public boolean isMember(String userId) {
      return members.contains(userId);
    }
  }

  private final MatrixClient matrix;
  private final LongSupplier clock;
  private final Map<String, Entry> rooms = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<String, Read> reading = new HashMap<>();

  public RoomStateStore(MatrixClient matrix, LongSupplier clock) {
    this.matrix = matrix;
    this.clock = clock;
  }

  /** The room's members and encryption, from the store or read once from the homeserver. */
  public Future<RoomState> get(String roomId) {
    Read read;
    synchronized (this) {
      Entry entry = rooms.get(roomId);
      if (entry != null && clock.getAsLong() - entry.readAt < FRESH_MS) {
        return Future.succeededFuture(entry.snapshot());
      }
      read = reading.get(roomId);
      if (read == null) {
        read = new Read();
        reading.put(roomId, read);
        startRead(roomId, read);
      }
    }
    return read.answer;
  }

  private void startRead(String roomId, Read read) {
    long startedAt = clock.getAsLong();
    read.answer = matrix.roomState(roomId).map(state -> {
      Entry entry = Entry.of(state, startedAt);
      synchronized (this) {
        reading.remove(roomId, read);
        if (!read.overtaken) {
          rooms.put(roomId, entry);
          trim();
        }
      }
      return entry.snapshot();
    }).recover(failure -> {
      synchronized (this) {
        reading.remove(roomId, read);
      }
      return Future.failedFuture(failure);
    });
  }

  /**
   * Applies the state events of one appservice transaction to the rooms kept. Runs before the
   * transaction's events are worked on, so a notice caused by a join already counts the new member.
   */
  public void observe(JsonObject transactionBody) {
    for (Object item : transactionBody.getJsonArray("events", new JsonArray())) {
      if (item instanceof JsonObject event && event.getValue("state_key") instanceof String stateKey
          && event.getValue("room_id") instanceof String roomId) {
        apply(roomId, event.getString("type", ""), stateKey, event.getValue("content"));
      }
    }
  }

  private synchronized void apply(String roomId, String type, String stateKey, Object content) {
    if (!type.equals("m.room.member") && !type.equals("m.room.encryption")) {
      return;
    }
    Read read = reading.get(roomId);
    if (read != null) {
      read.overtaken = true;
    }
    Entry entry = rooms.get(roomId);
    if (entry == null) {
      return;
    }
    JsonObject body = content instanceof JsonObject object ? object : new JsonObject();
    if (type.equals("m.room.encryption") && stateKey.isEmpty()) {
      entry.encryption = body.isEmpty() ? null : body.copy();
    } else if (type.equals("m.room.member")) {
      entry.updateMember(stateKey, body.getValue("membership"));
    }
  }

  /** Rooms kept now (for tests and metrics). */
  public synchronized int size() {
    return rooms.size();
  }

  private void trim() {
    var oldest = rooms.keySet().iterator();
    while (rooms.size() > MAX_ROOMS && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /** A read under way; later callers share its answer. */
  private static final class Read {
    Future<RoomState> answer;
    boolean overtaken;
  }

  private static final class Entry {
    final Set<String> members = new HashSet<>();
    JsonObject encryption;
    final long readAt;

    private Entry(long readAt) {
      this.readAt = readAt;
    }

    static Entry of(JsonArray state, long readAt) {
      Entry entry = new Entry(readAt);
      for (Object item : state) {
        if (!(item instanceof JsonObject event) || !(event.getValue("state_key") instanceof String stateKey)) {
          continue;
        }
        Object content = event.getValue("content");
        JsonObject body = content instanceof JsonObject object ? object : new JsonObject();
        if ("m.room.encryption".equals(event.getString("type")) && stateKey.isEmpty() && !body.isEmpty()) {
          entry.encryption = body.copy();
        } else if ("m.room.member".equals(event.getString("type"))) {
          entry.updateMember(stateKey, body.getValue("membership"));
        }
      }
      return entry;
    }

    void updateMember(String userId, Object membership) {
      if ("join".equals(membership) || "invite".equals(membership)) {
        members.add(userId);
      } else {
        members.remove(userId);
      }
    }

    RoomState snapshot() {
      return new RoomState(Set.copyOf(members), Optional.ofNullable(encryption).map(JsonObject::copy));
    }
  }
}
