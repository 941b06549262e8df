package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.matrix.ErrCode;
import be.praatbrug.bridge.matrix.MatrixException;
import be.praatbrug.bridge.matrix.RetentionCalls;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A homeserver's retention calls without a homeserver: a media store in memory, every call written
 * down as {@code name roomOrMedia}, and any kind of call made to fail on demand.
 */
public final class RecordingRetentionCalls implements RetentionCalls {

  public final List<String> calls = new CopyOnWriteArrayList<>();
  /** The media store: media id → file. */
  public final Map<String, StoredMedia> media = new ConcurrentHashMap<>();
  /** Per room, its newest events (newest first) as the homeserver would answer. */
  final Map<String, List<Stamped>> timelines = new ConcurrentHashMap<>();
  /** The admin room list: rooms this homeserver knows, with their creators. */
  public final List<KnownRoom> knownRooms = new CopyOnWriteArrayList<>();
  /** Rooms' m.room.create senders where the room list does not name them (federated joins). */
  public final Map<String, String> creators = new ConcurrentHashMap<>();
  /** Rooms' m.room.retention max_lifetime. */
  public final Map<String, java.time.Duration> lifetimes = new ConcurrentHashMap<>();
  /** Per room, every event (any order); pages are served newest first. */
  public final Map<String, List<EventMeta>> events = new ConcurrentHashMap<>();
  /** Names of the calls that fail with a homeserver error (500) until removed. */
  public final Set<String> failing = ConcurrentHashMap.newKeySet();

  private <T> Future<T> answer(String call, String about, T result) {
    calls.add(call + " " + about);
    return failing.contains(call)
        ? Future.failedFuture(new MatrixException(ErrCode.M_UNKNOWN, "M_UNKNOWN", 500,
            "the homeserver failed " + call, new io.vertx.core.json.JsonObject()))
        : Future.succeededFuture(result);
  }

  /** Calls made that change something on the homeserver (purges and deletions). */
  List<String> changes() {
    return calls.stream().filter(call -> call.startsWith("purgeUpTo") || call.startsWith("delete "))
        .toList();
  }

  public void upload(String mediaId, String userId, Instant at, long bytes) {
    media.put(mediaId, new StoredMedia(mediaId, userId, at, bytes));
  }

  /** An upload with its declared type (an avatar, a file for an unencrypted room). */
  public void upload(String mediaId, String userId, Instant at, long bytes, String type) {
    media.put(mediaId, new StoredMedia(mediaId, userId, at, bytes, type, false));
  }

  @Override
  public Future<Optional<String>> firstEventAfter(String roomId, Instant at) {
    return answer("firstEventAfter", roomId, Optional.of("$first-after:" + roomId));
  }

  @Override
  public Future<List<Stamped>> newestEvents(String roomId, int limit) {
    return answer("newestEvents", roomId, timelines.getOrDefault(roomId, List.of()));
  }

  @Override
  public Future<Optional<String>> purgeUpTo(String roomId, String eventId) {
    return answer("purgeUpTo", roomId, Optional.of("purge-" + eventId));
  }

  @Override
  public Future<String> purgeStatus(String purgeId) {
    return answer("purgeStatus", purgeId, "complete");
  }

  @Override
  public Future<List<StoredMedia>> uploadsOf(String userId) {
    List<StoredMedia> uploads = new ArrayList<>(media.values().stream()
        .filter(file -> file.userId().equals(userId)).toList());
    return answer("uploadsOf", userId, uploads);
  }

  @Override
  public Future<List<StoredMedia>> recentUploadsOf(String userId, int limit) {
    List<StoredMedia> newest = media.values().stream().filter(file -> file.userId().equals(userId))
        .sorted(java.util.Comparator.comparing(StoredMedia::uploadedAt).reversed()).limit(limit).toList();
    return answer("recentUploadsOf", userId, newest);
  }

  @Override
  public Future<Optional<StoredMedia>> file(String mediaId) {
    return answer("file", mediaId, Optional.ofNullable(media.get(mediaId)));
  }

  @Override
  public Future<Boolean> delete(String mediaId) {
    return answer("delete", mediaId, null).map(ignored -> media.remove(mediaId) != null);
  }

  @Override
  public Future<List<KnownRoom>> knownRooms() {
    return answer("knownRooms", "", List.copyOf(knownRooms));
  }

  @Override
  public Future<RoomRetention> retentionOf(String roomId) {
    String creator = creators.getOrDefault(roomId, knownRooms.stream().filter(room -> room.roomId().equals(roomId))
        .map(KnownRoom::creator).findFirst().orElse(""));
    return answer("retentionOf", roomId, new RoomRetention(creator, lifetimes.get(roomId)));
  }

  /**
   * Pages of a room's events in the order they were added (the homeserver's stream order, which
   * need not follow their timestamps); a token is a position between events.
   */
  @Override
  public Future<EventPage> events(String roomId, String from, boolean forwards, int limit) {
    List<EventMeta> stream = events.getOrDefault(roomId, List.of());
    int position = from == null ? stream.size() : Integer.parseInt(from);
    List<EventMeta> page = new ArrayList<>();
    int end = position;
    if (forwards) {
      for (; end < stream.size() && page.size() < limit; end++) {
        page.add(stream.get(end));
      }
    } else {
      for (; end > 0 && page.size() < limit; end--) {
        page.add(stream.get(end - 1));
      }
    }
    return answer("events", roomId + (forwards ? " f " : " b ") + position,
        new EventPage(page, Integer.toString(position), page.isEmpty() ? null : Integer.toString(end)));
  }

  @Override
  public Future<List<StoredMedia>> uploadsSince(String userId, Instant since) {
    return answer("uploadsSince", userId, media.values().stream()
        .filter(file -> file.userId().equals(userId) && !file.uploadedAt().isBefore(since))
        .sorted(java.util.Comparator.comparing(StoredMedia::uploadedAt).reversed()).toList());
  }

  @Override
  public String serverName() {
    return "caw.test";
  }
}
