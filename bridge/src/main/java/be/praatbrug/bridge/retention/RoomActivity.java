package be.praatbrug.bridge.retention;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.appservice.TransactionObserver;
import be.praatbrug.policy.MatrixEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each room last saw an event other than the bot's retention markers, and the bot's last
 * marker: the times only (never content), kept in memory. After a restart every room counts as
 * active at the bridge's start, so each gets one marker when it has been quiet long enough.
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
