package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.TransactionObserver;
import be.praatbrug.bridge.matrix.RetentionCalls;
import be.praatbrug.policy.MatrixEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each room last saw an event other than the bot's retention markers, and the bot's last
 * marker: the times only (never content), kept in memory. After a restart the retention job reads
 * both back from the room's newest events on the homeserver ({@link #restore}) before it plans the
 * room, so a quiet room's last message still goes at its lifetime, not a quiet period after the
 * restart; a room it cannot read counts as active at the bridge's start.
 */
public final class RoomActivity implements TransactionObserver {

  /** The content-free event the bot sends so that a room's real messages are never its newest. */
  public static final String MARKER_TYPE = "be.praatbrug.retention.marker";

  /** The bot's last marker in a room: its event id and when it was sent. */
  public record Marker(String eventId, Instant sentAt) {}

  private final Clock clock;
  private final Instant started;
  private final Map<String, Instant> lastActivity = new ConcurrentHashMap<>();
  private final Map<String, Marker> lastMarker = new ConcurrentHashMap<>();
  private final Map<String, Instant> purgedToMarker = new ConcurrentHashMap<>();

  public RoomActivity(Clock clock) {
    this.clock = clock;
    this.started = clock.instant();
  }

  @Override
  public void event(MatrixEvent event, EventOutcome outcome, long nanosSinceReceived) {
    if (!MARKER_TYPE.equals(event.type())) {
      lastActivity.put(event.roomId(), clock.instant());
    }
  }

  /** Whether this bridge has seen the room's activity since it started (or restored it). */
  public boolean known(String roomId) {
    return lastActivity.containsKey(roomId);
  }

  /**
   * Takes the room's activity and last marker from its newest events (newest first), unless an
   * event arrived meanwhile: what the transactions said is newer than any read.
   */
  public void restore(String roomId, List<RetentionCalls.Stamped> newestFirst) {
    Instant activity = null;
    Marker marker = null;
    for (RetentionCalls.Stamped event : newestFirst) {
      if (MARKER_TYPE.equals(event.type())) {
        if (marker == null && activity == null) {
          marker = new Marker(event.eventId(), event.at());
        }
      } else if (activity == null) {
        activity = event.at();
      }
    }
    if (activity == null) {
      activity = started;
    }
    if (lastActivity.putIfAbsent(roomId, activity) == null && marker != null) {
      lastMarker.putIfAbsent(roomId, marker);
    }
  }

  public Instant lastActivity(String roomId) {
    return lastActivity.getOrDefault(roomId, started);
  }

  public Marker lastMarker(String roomId) {
    return lastMarker.get(roomId);
  }

  public Instant purgedToMarker(String roomId) {
    return purgedToMarker.get(roomId);
  }

  public void markerSent(String roomId, Marker marker) {
    lastMarker.put(roomId, marker);
  }

  public void purgedUpTo(String roomId, Marker marker) {
    purgedToMarker.put(roomId, marker.sentAt());
  }

  public void forget(String roomId) {
    lastActivity.remove(roomId);
    lastMarker.remove(roomId);
    purgedToMarker.remove(roomId);
  }
}
