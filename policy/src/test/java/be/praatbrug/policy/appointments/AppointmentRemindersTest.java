package be.praatbrug.policy.appointments;

import static be.praatbrug.policy.appointments.AppointmentReminders.Kind.NOT_ARRIVED;
import static be.praatbrug.policy.appointments.AppointmentReminders.Kind.REMINDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.appointments.AppointmentReminders.Sent;
import be.praatbrug.policy.rules.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppointmentRemindersTest {

  private static final Instant START = Instant.parse("2026-12-08T13:00:00Z");
  private static final PlannedAppointment SLOT = new PlannedAppointment("a1", "!room:caw.test",
      "rustige-groene-boot", "@counsellor:caw.test", "!dm:caw.test", "C-7K3P-9Q2M", START,
      START.plus(Duration.ofMinutes(45)));
  private static final Policy.Appointments RULES = Policy.Appointments.DEFAULT;
  private static final Sent NOTHING = new Sent(false, false, false);

  @Test
  void reminderTenMinutesBeforeThenNotArrivedAtTheStart() {
    assertEquals(List.of(), AppointmentReminders.due(SLOT, START.minusSeconds(601), RULES, NOTHING));
    assertEquals(List.of(REMINDER), AppointmentReminders.due(SLOT, START.minusSeconds(600), RULES, NOTHING));
    assertEquals(List.of(), AppointmentReminders.due(SLOT, START.minusSeconds(1), RULES,
        new Sent(true, false, false)));
    assertEquals(List.of(NOT_ARRIVED), AppointmentReminders.due(SLOT, START, RULES,
        new Sent(true, false, false)));
    assertEquals(List.of(), AppointmentReminders.due(SLOT, START, RULES, new Sent(true, false, true)));
    assertEquals(List.of(), AppointmentReminders.due(SLOT, START.plusSeconds(60), RULES,
        new Sent(true, true, false)));
  }

  @Test
  void aSlotIsSettledOnlyWhenItIsOverAndMissedOnlyWhenNobodyCame() {
    Instant end = SLOT.end();
    assertEquals(null, AppointmentReminders.outcome(SLOT, end.minusMillis(1), false));
    assertEquals(AppointmentReminders.Outcome.MISSED, AppointmentReminders.outcome(SLOT, end, false));
    // Came late (after the "not arrived" notice) or left early: attended all the same.
    assertEquals(AppointmentReminders.Outcome.ATTENDED, AppointmentReminders.outcome(SLOT, end, true));
    assertEquals(AppointmentReminders.Outcome.MISSED,
        AppointmentReminders.outcome(SLOT, end.plus(Duration.ofDays(3)), false));
  }

  @Test
  void aBridgeThatWasDownCatchesUpDuringTheSlotNotAfter() {
    assertEquals(List.of(REMINDER, NOT_ARRIVED),
        AppointmentReminders.due(SLOT, START.plusSeconds(300), RULES, NOTHING));
    assertEquals(List.of(), AppointmentReminders.due(SLOT, SLOT.end(), RULES, NOTHING));
  }

  @Test
  void policyDecidesHowLongBefore() {
    Policy.Appointments early = new Policy.Appointments(Duration.ofMinutes(30), Duration.ofMinutes(60),
        Duration.ofMinutes(45));
    assertEquals(List.of(REMINDER), AppointmentReminders.due(SLOT, START.minus(Duration.ofMinutes(60)),
        early, NOTHING));
    assertEquals(START.minus(Duration.ofMinutes(60)), AppointmentReminders.nextCheck(SLOT, early, NOTHING));
  }

  @Test
  void textsSayWhenAndWhereInDutchFirst() {
    String reminder = AppointmentReminders.text(REMINDER, SLOT, START.minusSeconds(600), RULES);
    assertTrue(reminder.startsWith("⏰ Je gesprek met cliënt C-7K3P-9Q2M in 'rustige-groene-boot' begint over 10 min"),
        reminder);
    assertTrue(reminder.contains("werkt van 13:45 tot 14:45"), reminder);
    String late = AppointmentReminders.text(NOT_ARRIVED, SLOT, START, RULES);
    assertTrue(late.contains("nog niet aangekomen"), late);
    assertTrue(late.contains("has not arrived yet"), late);
  }

  @Test
  void windowOpensFifteenMinutesBeforeAndClosesAtTheEnd() {
    AppointmentWindow window = AppointmentWindow.of(START, SLOT.end(), RULES);
    assertEquals(AppointmentWindow.Phase.BEFORE, window.phaseAt(START.minusSeconds(901)));
    assertEquals(AppointmentWindow.Phase.OPEN, window.phaseAt(START.minusSeconds(900)));
    assertEquals(AppointmentWindow.Phase.OPEN, window.phaseAt(SLOT.end().minusMillis(1)));
    assertEquals(AppointmentWindow.Phase.AFTER, window.phaseAt(SLOT.end()));
  }
}
