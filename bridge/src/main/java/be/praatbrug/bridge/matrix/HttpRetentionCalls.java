package be.praatbrug.bridge.matrix;

import static be.praatbrug.bridge.matrix.HttpMatrixClient.encode;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RetentionCalls} over HTTP: the client-server API, MSC3030 and Synapse's admin API, as the
 * bridge's appservice (the bot must be a Synapse server admin).
 */
public final class HttpRetentionCalls implements RetentionCalls {

  private static final int PAGE = 100;
  private static final int ROOM_PAGE = 500;

  private final HttpMatrixClient http;
  private final String serverName;

  public HttpRetentionCalls(HttpMatrixClient http, String serverName) {
    this.http = http;
    this.serverName = serverName;
  }

  /** The first event at or after {@code at} in the room (MSC3030), or empty when there is none. */
  @Override
  public Future<Optional<String>> firstEventAfter(String roomId, Instant at) {
    return http.call(HttpMethod.GET, "/_matrix/client/v1/rooms/" + encode(roomId)
            + "/timestamp_to_event?dir=f&ts=" + at.toEpochMilli(), null, null, RetryPolicy.DEFAULT)
        .map(response -> Optional.ofNullable(response.getString("event_id")))
        .recover(HttpRetentionCalls::emptyOn404);
  }

  /** The room's newest events, newest first: ids, types and times only (never content). */
  @Override
  public Future<List<Stamped>> newestEvents(String roomId, int limit) {
    return http.call(HttpMethod.GET, "/_matrix/client/v3/rooms/" + encode(roomId)
            + "/messages?dir=b&limit=" + limit, null, null, RetryPolicy.DEFAULT)
        .map(response -> {
          List<Stamped> events = new ArrayList<>();
          response.getJsonArray("chunk", new io.vertx.core.json.JsonArray()).forEach(item -> {
            JsonObject event = (JsonObject) item;
            Long at = event.getLong("origin_server_ts");
            if (at != null) {
              events.add(new Stamped(event.getString("event_id"), event.getString("type"),
                  Instant.ofEpochMilli(at)));
            }
          });
          return events;
        });
  }

  /** Purges every event before {@code eventId} (that event stays); empty when nothing to purge. */
  @Override
  public Future<Optional<String>> purgeUpTo(String roomId, String eventId) {
    JsonObject body = new JsonObject().put("delete_local_events", true)
        .put("purge_up_to_event_id", eventId);
    return http.call(HttpMethod.POST, "/_synapse/admin/v1/purge_history/" + encode(roomId), body,
            null, RetryPolicy.DEFAULT)
        .map(response -> Optional.ofNullable(response.getString("purge_id")))
        .recover(HttpRetentionCalls::emptyOn404);
  }

  /** How a purge is going: active, complete or failed. */
  @Override
  public Future<String> purgeStatus(String purgeId) {
    return http.purgeStatus(purgeId);
  }

  /** Every file a local user uploaded, oldest first (works for deactivated accounts too). */
  @Override
  public Future<List<StoredMedia>> uploadsOf(String userId) {
    return page(userId, 0, new ArrayList<>());
  }

  private Future<List<StoredMedia>> page(String userId, int from, List<StoredMedia> collected) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/users/" + encode(userId)
            + "/media?order_by=created_ts&dir=f&limit=" + PAGE + "&from=" + from, null, null,
            RetryPolicy.DEFAULT)
        .compose(response -> {
          collected.addAll(media(userId, response));
          Integer next = response.getInteger("next_token");
          return next == null ? Future.succeededFuture(collected) : page(userId, next, collected);
        })
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(collected) : Future.failedFuture(failure));
  }

  /** A local user's newest uploads, newest first, at most {@code limit}. */
  @Override
  public Future<List<StoredMedia>> recentUploadsOf(String userId, int limit) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/users/" + encode(userId)
            + "/media?order_by=created_ts&dir=b&limit=" + limit, null, null, RetryPolicy.DEFAULT)
        .map(response -> media(userId, response))
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure));
  }

  private static List<StoredMedia> media(String userId, JsonObject response) {
    List<StoredMedia> found = new ArrayList<>();
    response.getJsonArray("media", new io.vertx.core.json.JsonArray()).forEach(item -> {
      JsonObject media = (JsonObject) item;
      found.add(new StoredMedia(media.getString("media_id"), userId,
          Instant.ofEpochMilli(media.getLong("created_ts", 0L)), media.getLong("media_length", 0L),
          media.getString("media_type", ""), media.getValue("url_cache") != null));
    });
    return found;
  }

  /** A local file by media id, with its uploader; empty when the homeserver has no such file. */
  @Override
  public Future<Optional<StoredMedia>> file(String mediaId) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/media/" + encode(serverName) + "/"
            + encode(mediaId), null, null, RetryPolicy.DEFAULT)
        .map(response -> {
          JsonObject info = response.getJsonObject("media_info", new JsonObject());
          return Optional.of(new StoredMedia(mediaId, info.getString("user_id"),
              Instant.ofEpochMilli(info.getLong("created_ts", 0L)), info.getLong("media_length", 0L),
              info.getString("media_type", ""), info.getValue("url_cache") != null));
        })
        .recover(HttpRetentionCalls::emptyOn404);
  }

  /** Deletes a local file (and its thumbnails); false when it was already gone. */
  @Override
  public Future<Boolean> delete(String mediaId) {
    return http.call(HttpMethod.DELETE, "/_synapse/admin/v1/media/" + encode(serverName) + "/"
            + encode(mediaId), null, null, RetryPolicy.DEFAULT)
        .map(response -> response.getInteger("total", 0) > 0)
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  @Override
  public Future<List<KnownRoom>> knownRooms() {
    return roomPage(0, new ArrayList<>());
  }

  private Future<List<KnownRoom>> roomPage(int from, List<KnownRoom> collected) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/rooms?limit=" + ROOM_PAGE + "&from=" + from, null,
            null, RetryPolicy.DEFAULT)
        .compose(response -> {
          response.getJsonArray("rooms", new JsonArray()).forEach(item -> {
            JsonObject room = (JsonObject) item;
            if (room.getValue("room_id") instanceof String roomId) {
              collected.add(new KnownRoom(roomId, room.getValue("creator") instanceof String creator ? creator : ""));
            }
          });
          Integer next = response.getInteger("next_batch");
          return next == null ? Future.succeededFuture(collected) : roomPage(next, collected);
        });
  }

  @Override
  public Future<RoomRetention> retentionOf(String roomId) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/rooms/" + encode(roomId) + "/state", null, null,
            RetryPolicy.DEFAULT)
        .map(response -> {
          String creator = "";
          Duration lifetime = null;
          for (Object item : response.getJsonArray("state", new JsonArray())) {
            if (!(item instanceof JsonObject event) || !"".equals(event.getString("state_key"))) {
              continue;
            }
            if ("m.room.create".equals(event.getString("type"))) {
              creator = event.getString("sender", "");
            } else if ("m.room.retention".equals(event.getString("type"))
                && event.getJsonObject("content", new JsonObject()).getValue("max_lifetime") instanceof Number ms
                && ms.longValue() > 0) {
              lifetime = Duration.ofMillis(ms.longValue());
            }
          }
          return new RoomRetention(creator, lifetime);
        })
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(new RoomRetention("", null)) : Future.failedFuture(failure));
  }

  @Override
  public Future<EventPage> events(String roomId, String from, boolean forwards, int limit) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/rooms/" + encode(roomId) + "/messages?dir="
            + (forwards ? "f" : "b") + "&limit=" + limit + (from == null ? "" : "&from=" + encode(from)),
            null, null, RetryPolicy.DEFAULT)
        .map(response -> {
          List<EventMeta> events = new ArrayList<>();
          response.getJsonArray("chunk", new JsonArray()).forEach(item -> {
            JsonObject event = (JsonObject) item;
            if (event.getValue("origin_server_ts") instanceof Number at && event.getValue("sender") instanceof String sender) {
              Object ciphertext = event.getJsonObject("content", new JsonObject()).getValue("ciphertext");
              events.add(new EventMeta(event.getString("event_id", ""), sender, event.getString("type", ""),
                  Instant.ofEpochMilli(at.longValue()), event.containsKey("state_key"),
                  ciphertext instanceof String text ? text.length() : -1));
            }
          });
          return new EventPage(events, response.getString("start"), response.getString("end"));
        });
  }

  @Override
  public Future<List<StoredMedia>> uploadsSince(String userId, Instant since) {
    return uploadsSince(userId, since, 0, new ArrayList<>());
  }

  private Future<List<StoredMedia>> uploadsSince(String userId, Instant since, int from, List<StoredMedia> collected) {
    return http.call(HttpMethod.GET, "/_synapse/admin/v1/users/" + encode(userId)
            + "/media?order_by=created_ts&dir=b&limit=" + PAGE + "&from=" + from, null, null, RetryPolicy.DEFAULT)
        .compose(response -> {
          List<StoredMedia> page = media(userId, response);
          page.stream().filter(media -> !media.uploadedAt().isBefore(since)).forEach(collected::add);
          Integer next = response.getInteger("next_token");
          boolean older = page.stream().anyMatch(media -> media.uploadedAt().isBefore(since));
          return next == null || older ? Future.succeededFuture(collected) : uploadsSince(userId, since, next, collected);
        })
        .recover(failure -> failure instanceof MatrixException matrix && matrix.httpStatus() == 404
            ? Future.succeededFuture(collected) : Future.failedFuture(failure));
  }

  @Override
  public String serverName() {
    return serverName;
  }

  private static <T> Future<Optional<T>> emptyOn404(Throwable failure) {
    return failure instanceof MatrixException matrix && matrix.httpStatus() == 404
        ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure);
  }
}
