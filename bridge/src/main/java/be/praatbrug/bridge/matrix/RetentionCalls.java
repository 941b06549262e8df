package be.praatbrug.bridge.matrix;

import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The homeserver calls retention needs beyond {@link MatrixClient}: finding the first event after
 * a time, purging up to an event, and the media store. All take and give metadata only (ids,
 * times, sizes). An interface so the retention job can be tested without a homeserver;
 * {@link HttpRetentionCalls} is the real one.
 */
public interface RetentionCalls {

  /** One event of a room's timeline, by its metadata only. */
  record Stamped(String eventId, String type, Instant at) {}

  /** A room this homeserver knows (its admin room list): id and the user who created it. */
  record KnownRoom(String roomId, String creator) {}

  /**
   * One event of a room by its metadata: sender, type, time, whether it is state, and the length
   * of an encrypted event's ciphertext (-1 for others). Never content.
   */
  record EventMeta(String eventId, String sender, String type, Instant at, boolean isState,
      int ciphertextLength) {}

  /**
   * A page of a room's events in the order asked for, the position it began at, and the position
   * after its last event (null when the homeserver has nothing further that way).
   */
  record EventPage(List<EventMeta> events, String start, String end) {}

  /**
   * One file in the homeserver's media store: who uploaded it, when, how big, the type the uploader
   * declared, and whether it is a link preview Synapse fetched for the user (not an upload).
   */
  record StoredMedia(String mediaId, String userId, Instant uploadedAt, long bytes, String mediaType,
      boolean linkPreview) {

    public StoredMedia(String mediaId, String userId, Instant uploadedAt, long bytes) {
      this(mediaId, userId, uploadedAt, bytes, ENCRYPTED_ATTACHMENT_TYPE, false);
    }

    /**
     * Whether this can be an end-to-end encrypted attachment: clients upload those as opaque bytes
     * (Element, matrix-js-sdk and matrix-nio all declare {@code application/octet-stream}), never
     * a link preview; an avatar or a file sent into an unencrypted room has its own type.
     */
    public boolean canBeEncryptedAttachment() {
      return !linkPreview && ENCRYPTED_ATTACHMENT_TYPE.equals(mediaType);
    }

    /** As the retention rules see a file: id, time, size. */
    public StoredFile toFile() {
      return new StoredFile(mediaId, uploadedAt, bytes);
    }
  }

  /** The type clients give an encrypted attachment's upload. */
  String ENCRYPTED_ATTACHMENT_TYPE = "application/octet-stream";

  /** The first event at or after {@code at} in the room (MSC3030), or empty when there is none. */
  Future<Optional<String>> firstEventAfter(String roomId, Instant at);

  /** The room's newest events, newest first: ids, types and times only (never content). */
  Future<List<Stamped>> newestEvents(String roomId, int limit);

  /** Purges every event before {@code eventId} (that event stays); empty when nothing to purge. */
  Future<Optional<String>> purgeUpTo(String roomId, String eventId);

  /** How a purge is going: active, complete or failed. */
  Future<String> purgeStatus(String purgeId);

  /** Every file a local user uploaded, oldest first (works for deactivated accounts too). */
  Future<List<StoredMedia>> uploadsOf(String userId);

  /** A local user's newest uploads, newest first, at most {@code limit}. */
  Future<List<StoredMedia>> recentUploadsOf(String userId, int limit);

  /** A local file by media id, with its uploader; empty when the homeserver has no such file. */
  Future<Optional<StoredMedia>> file(String mediaId);

  /** Deletes a local file (and its thumbnails); false when it was already gone. */
  Future<Boolean> delete(String mediaId);

  /** Every room the homeserver knows (admin API), its own and those it joined over federation. */
  Future<List<KnownRoom>> knownRooms();

  /**
   * Who created a room (the sender of its {@code m.room.create}) and its {@code m.room.retention}
   * {@code max_lifetime} (null when it has none), from the admin API; both empty for an unknown room.
   */
  record RoomRetention(String creator, java.time.Duration maxLifetime) {}

  /** A room's creator and retention (admin API: also rooms the bot is not in). */
  Future<RoomRetention> retentionOf(String roomId);

  /**
   * A room's events from {@code from} (null: the newest), backwards or forwards, as the homeserver
   * stores them (admin API: also rooms the bot is not in), metadata only.
   */
  Future<EventPage> events(String roomId, String from, boolean forwards, int limit);

  /** A local user's uploads stored at or after {@code since}, newest first. */
  Future<List<StoredMedia>> uploadsSince(String userId, Instant since);

  /** The homeserver's name: the server part of its own files' {@code mxc://} addresses. */
  String serverName();
}
