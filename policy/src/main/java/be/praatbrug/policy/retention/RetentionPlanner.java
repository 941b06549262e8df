package be.praatbrug.policy.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one retention pass does to one room: pure, from metadata only (times, sizes, ids; never
 * content).
 *
 * <p>Synapse never purges the newest event of a room, and purges "up to a time" by keeping the last
 * event before that time. So a message is only gone once a later event exists and has passed the
 * cut-off too. The planner makes sure there is always such a later event: a content-free marker
 * sent by the bot once the room has been quiet for {@code quietAfter}, so that on every server
 * (including a partner's, whose own purge jobs follow the room's {@code m.room.retention}) the
 * last real message is no longer the newest.
 */
public final class RetentionPlanner {

  private RetentionPlanner() {}

  /**
   * What the bridge knows about a room.
   *
   * @param lastActivity the newest event the bridge saw in the room other than its own markers
   *     (the bridge's start when it cannot know), or {@code null} when there was none
   * @param lastMarker when the bot last sent a marker, or {@code null}
   * @param purgedToMarker the marker (by its time) everything before which was already purged,
   *     or {@code null}
   * @param files the files known to belong to the room (uploaded by its guests or registered by
   *     the project's pages)
   */
  public record RoomFacts(Duration maxLifetime, Instant createdAt, boolean open, Instant closedAt,
      Instant lastActivity, Instant lastMarker, Instant purgedToMarker, List<StoredFile> files) {
    public RoomFacts {
      files = List.copyOf(files);
    }
  }

  /** A file in the homeserver's media store: its media id, when it was uploaded, how big. */
  public record StoredFile(String mediaId, Instant uploadedAt, long bytes) {}

  /** One thing to do. */
  public sealed interface Step permits SendMarker, PurgeUpToMarker, PurgeBefore, DeleteRoom,
      DeleteFiles {}

  /** Send a content-free marker event, so that the real messages are no longer the newest. */
  public record SendMarker() implements Step {}

  /** Every real event has expired: purge everything before the newest marker. */
  public record PurgeUpToMarker() implements Step {}

  /** Purge events older than {@code cutoff} (up to the first event after it). */
  public record PurgeBefore(Instant cutoff) implements Step {}

  /** The room was closed longer ago than its lifetime: delete it from the homeserver. */
  public record DeleteRoom() implements Step {}

  /** Delete these files from the media store; {@code bytes} is their total size. */
  public record DeleteFiles(List<String> mediaIds, long bytes) implements Step {
    public DeleteFiles {
      mediaIds = List.copyOf(mediaIds);
    }
  }

  /** The steps for {@code room} at {@code now}, in the order they must run. */
  public static List<Step> plan(RoomFacts room, Instant now, Duration quietAfter) {
    Instant cutoff = now.minus(room.maxLifetime());
    List<Step> steps = new ArrayList<>();
    if (!room.open() && room.closedAt() != null && !room.closedAt().isAfter(cutoff)) {
      // Files first: a room once deleted is forgotten, so its files must not be left for later.
      deleteAll(room.files()).ifPresent(steps::add);
      steps.add(new DeleteRoom());
      return steps;
    }
    expiredFiles(room.files(), cutoff).ifPresent(steps::add);
    boolean unmarked = room.lastActivity() != null
        && (room.lastMarker() == null || room.lastMarker().isBefore(room.lastActivity()));
    boolean allExpired = room.lastActivity() != null && !room.lastActivity().isAfter(cutoff);
    if (allExpired) {
      if (unmarked) {
        steps.add(new SendMarker());
        steps.add(new PurgeUpToMarker());
      } else if (room.purgedToMarker() == null || room.purgedToMarker().isBefore(room.lastMarker())) {
        steps.add(new PurgeUpToMarker());
      }
      return steps;
    }
    if (unmarked && !now.isBefore(room.lastActivity().plus(quietAfter))) {
      steps.add(new SendMarker());
    }
    if (!room.createdAt().isAfter(cutoff)) {
      steps.add(new PurgeBefore(cutoff));
    }
    return steps;
  }

  /** The files uploaded at or before {@code cutoff}, as one step; empty when there are none. */
  public static Optional<DeleteFiles> expiredFiles(List<StoredFile> files, Instant cutoff) {
    return deleteAll(files.stream().filter(file -> !file.uploadedAt().isAfter(cutoff)).toList());
  }

  private static Optional<DeleteFiles> deleteAll(List<StoredFile> files) {
    return files.isEmpty() ? Optional.empty() : Optional.of(new DeleteFiles(
        files.stream().map(StoredFile::mediaId).toList(), files.stream().mapToLong(StoredFile::bytes).sum()));
  }
}
