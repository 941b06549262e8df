package be.praatbrug.bridge.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.appservice.EventOutcome;
import be.praatbrug.bridge.matrix.RetentionCalls.Stamped;
import be.praatbrug.policy.MatrixEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A room's activity after a restart, read back from its newest events (newest first). */
class RoomActivityTest {

  private static final Instant STARTED = Instant.parse("2026-12-07T08:00:00Z");
  private static final String ROOM = "!quiet:caw.test";
  private final RoomActivity activity = new RoomActivity(Clock.fixed(STARTED, ZoneOffset.UTC));

  private static Stamped event(String id, String type, String at) {
    return new Stamped(id, type, Instant.parse(at));
  }

  @Test
  void theLastRealMessageIsTheActivityAndANewerMarkerIsKept() {
    assertFalse(activity.known(ROOM));
    activity.restore(ROOM, List.of(
        event("$marker", RoomActivity.MARKER_TYPE, "2026-11-20T10:00:00Z"),
        event("$last", "m.room.encrypted", "2026-11-20T09:00:00Z"),
        event("$before", "m.room.encrypted", "2026-11-19T09:00:00Z")));
    assertTrue(activity.known(ROOM));
    assertEquals(Instant.parse("2026-11-20T09:00:00Z"), activity.lastActivity(ROOM));
    assertEquals(new RoomActivity.Marker("$marker", Instant.parse("2026-11-20T10:00:00Z")), activity.lastMarker(ROOM));
  }

  @Test
  void aMarkerOlderThanTheLastMessageDoesNotCount() {
    activity.restore(ROOM, List.of(
        event("$last", "m.room.encrypted", "2026-11-21T09:00:00Z"),
        event("$marker", RoomActivity.MARKER_TYPE, "2026-11-20T10:00:00Z")));
    assertEquals(Instant.parse("2026-11-21T09:00:00Z"), activity.lastActivity(ROOM));
    assertNull(activity.lastMarker(ROOM), "the message after it is not behind a marker");
  }

  @Test
  void anEventSeenSinceTheStartWinsOverWhatIsReadBack() {
    MatrixEvent live = new MatrixEvent(ROOM, "$live", "@lien:caw.test", "m.room.encrypted", null, Map.of());
    activity.event(live, new EventOutcome.Ignored("test"), 0);
    activity.restore(ROOM, List.of(event("$old", "m.room.encrypted", "2026-11-01T09:00:00Z")));
    assertEquals(STARTED, activity.lastActivity(ROOM));
  }

  @Test
  void aRoomWithNothingReadableCountsAsActiveAtTheStart() {
    activity.restore(ROOM, List.of());
    assertTrue(activity.known(ROOM));
    assertEquals(STARTED, activity.lastActivity(ROOM));
  }
}
