package be.praatbrug.policy.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.policy.retention.RetentionPlanner.DeleteFiles;
import be.praatbrug.policy.retention.RetentionPlanner.DeleteRoom;
import be.praatbrug.policy.retention.RetentionPlanner.PurgeBefore;
import be.praatbrug.policy.retention.RetentionPlanner.PurgeUpToMarker;
import be.praatbrug.policy.retention.RetentionPlanner.RoomFacts;
import be.praatbrug.policy.retention.RetentionPlanner.SendMarker;
import be.praatbrug.policy.retention.RetentionPlanner.Step;
import be.praatbrug.policy.retention.RetentionPlanner.StoredFile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionPlannerTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final Duration DAYS_30 = Duration.ofDays(30);
  private static final Duration HOUR = Duration.ofHours(1);

  private static RoomFacts room(Instant created, boolean open, Instant closed, Instant activity,
      Instant marker, Instant purgedTo, List<StoredFile> files) {
    return new RoomFacts(DAYS_30, created, open, closed, activity, marker, purgedTo, files);
  }

  private static Instant daysAgo(long days) {
    return NOW.minus(Duration.ofDays(days));
  }

  @Test
  void aYoungRoomIsLeftAloneUntilItHasBeenQuiet() {
    assertEquals(List.of(), RetentionPlanner.plan(
        room(daysAgo(2), true, null, NOW.minusSeconds(60), null, null, List.of()), NOW, HOUR));
    assertEquals(List.of(new SendMarker()), RetentionPlanner.plan(
        room(daysAgo(2), true, null, NOW.minus(HOUR), null, null, List.of()), NOW, HOUR));
  }

  @Test
  void oneMarkerPerQuietPeriodNotOnePerPass() {
    assertEquals(List.of(), RetentionPlanner.plan(
        room(daysAgo(2), true, null, daysAgo(1), daysAgo(1).plus(HOUR), null, List.of()), NOW, HOUR));
  }

  @Test
  void anOldRoomWithRecentActivityIsPurgedUpToTheCutOff() {
    assertEquals(List.of(new PurgeBefore(daysAgo(30))), RetentionPlanner.plan(
        room(daysAgo(60), true, null, NOW.minusSeconds(10), null, null, List.of()), NOW, HOUR));
  }

  @Test
  void aQuietRoomWhoseLastMessageExpiredGetsAMarkerAndIsPurgedUpToIt() {
    assertEquals(List.of(new SendMarker(), new PurgeUpToMarker()), RetentionPlanner.plan(
        room(daysAgo(60), true, null, daysAgo(31), null, null, List.of()), NOW, HOUR));
    // A marker sent after the last message already: purge up to it, once.
    assertEquals(List.of(new PurgeUpToMarker()), RetentionPlanner.plan(
        room(daysAgo(60), true, null, daysAgo(31), daysAgo(31).plus(HOUR), null, List.of()), NOW, HOUR));
    assertEquals(List.of(), RetentionPlanner.plan(room(daysAgo(60), true, null, daysAgo(31),
        daysAgo(31).plus(HOUR), daysAgo(31).plus(HOUR), List.of()), NOW, HOUR));
  }

  @Test
  void filesGoWhenTheirLifetimeHasPassedAndOthersStay() {
    List<StoredFile> files = List.of(new StoredFile("old", daysAgo(31), 1000),
        new StoredFile("exact", daysAgo(30), 24), new StoredFile("new", daysAgo(29), 5000));
    List<Step> steps = RetentionPlanner.plan(
        room(daysAgo(60), true, null, NOW.minusSeconds(5), null, null, files), NOW, HOUR);
    assertEquals(new DeleteFiles(List.of("old", "exact"), 1024), steps.get(0));
    assertEquals(new PurgeBefore(daysAgo(30)), steps.get(1));
  }

  @Test
  void aClosedRoomPastItsLifetimeIsDeletedWithEveryFile() {
    List<StoredFile> files = List.of(new StoredFile("a", daysAgo(40), 10),
        new StoredFile("b", daysAgo(31), 20));
    assertEquals(List.of(new DeleteFiles(List.of("a", "b"), 30), new DeleteRoom()),
        RetentionPlanner.plan(room(daysAgo(60), false, daysAgo(30), daysAgo(31), null, null, files),
            NOW, HOUR));
  }

  @Test
  void aClosedRoomWithinItsLifetimeKeepsItsFiles() {
    List<StoredFile> files = List.of(new StoredFile("a", daysAgo(3), 10));
    assertEquals(List.of(new SendMarker()), RetentionPlanner.plan(
        room(daysAgo(5), false, daysAgo(2), daysAgo(2), null, null, files), NOW, HOUR));
  }
}
