package be.praatbrug.policy.appointments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotDecider;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.clients.KnownClient;
import be.praatbrug.policy.rooms.Clients;
import be.praatbrug.policy.rooms.RoomSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppointmentCommandsTest {

  private static final String DM = "!dm:caw.test";
  private static final String COUNSELLOR = "@counsellor:caw.test";
  private static final String REF = "C-7K3P-9Q2M";
  /** Thursday 3 December 2026, 18:15 in Brussels. */
  private static final Instant NOW = Instant.parse("2026-12-03T17:15:00Z");
  private static final PlannedAppointment TUESDAY = new PlannedAppointment("a1", "!room:caw.test",
      "rustige-groene-boot", COUNSELLOR, DM, REF, Instant.parse("2026-12-08T13:00:00Z"),
      Instant.parse("2026-12-08T13:45:00Z"));

  private static Decision say(String body, List<PlannedAppointment> planned, List<RoomSnapshot> rooms) {
    MatrixEvent event = new MatrixEvent(DM, "$c", COUNSELLOR, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", body));
    return BotDecider.decide(new BotContext("@praatbrug:caw.test", "caw.test"), event,
        new CommandContext(rooms, Set.of("caw"), "caw", "praatbrug_guest_", Set.of(), Set.of(),
            Map.of(), Clients.NONE, Map.of(REF, new KnownClient(REF, false)))
            .withAppointments(NOW, planned));
  }

  private static Decision say(String body) {
    return say(body, List.of(), List.of());
  }

  private static String reply(Decision decision) {
    return ((Action.SendNotice) ((Decision.Act) decision).actions().get(0)).plainText();
  }

  @Test
  void plansForARecordWithLengthInBrusselsTime() {
    assertEquals(Decision.act(new Action.PlanAppointment(DM, COUNSELLOR, "caw", REF,
            Instant.parse("2026-12-10T13:00:00Z"), Instant.parse("2026-12-10T13:45:00Z"))),
        say("!afspraak 10/12 14:00 45m voor c7k3p9q2m"));
    assertEquals(Decision.act(new Action.PlanAppointment(DM, COUNSELLOR, "caw", null,
            Instant.parse("2026-12-04T08:30:00Z"), Instant.parse("2026-12-04T09:15:00Z"))),
        say("!appointment tomorrow 9:30"));
    assertEquals(Decision.act(new Action.PlanAppointment(DM, COUNSELLOR, "caw", REF,
            Instant.parse("2026-12-08T13:00:00Z"), Instant.parse("2026-12-08T14:00:00Z"))),
        say("!afspraak voor " + REF + " dinsdag 14:00 1u"));
  }

  @Test
  void explainsWhatIsWrong() {
    assertTrue(reply(say("!afspraak")).startsWith("Plan een gesprek"));
    assertTrue(reply(say("!afspraak gisteren 10:00")).contains("is geen dag"));
    assertTrue(reply(say("!afspraak vandaag 9:00")).contains("ligt in het verleden"));
    assertTrue(reply(say("!afspraak morgen 9u30 voor C-2222-2222")).contains("C-2222-2222"));
    assertTrue(reply(say("!afspraak morgen 9u30 voor")).contains("Voor welke cliënt"));
  }

  @Test
  void refusesAnOverlap() {
    assertTrue(reply(say("!afspraak dinsdag 13:30", List.of(TUESDAY), List.of()))
        .contains("valt samen met je afspraak van dinsdag 8 december om 14:00–14:45"));
    assertInstanceOf(Action.PlanAppointment.class, ((Decision.Act) say("!afspraak dinsdag 14:45",
        List.of(TUESDAY), List.of())).actions().get(0));
  }

  @Test
  void listsInDutchThenEnglish() {
    assertTrue(reply(say("!afspraak lijst")).contains("geen geplande gesprekken"));
    String list = reply(say("!appointment list", List.of(TUESDAY), List.of()));
    assertTrue(list.contains("dinsdag 8 december om 14:00–14:45 — 'rustige-groene-boot' — " + REF), list);
  }

  @Test
  void movesByRoomOrRecordKeepingItsLength() {
    Decision moved = say("!afspraak verzet rustige-groene-boot woensdag 10:00", List.of(TUESDAY), List.of());
    assertEquals(Decision.act(new Action.MoveAppointment(DM, "!room:caw.test",
        Instant.parse("2026-12-09T09:00:00Z"), Instant.parse("2026-12-09T09:45:00Z"))), moved);
    Decision longer = say("!appointment move " + REF + " wednesday 10:00 1u", List.of(TUESDAY), List.of());
    assertEquals(Decision.act(new Action.MoveAppointment(DM, "!room:caw.test",
        Instant.parse("2026-12-09T09:00:00Z"), Instant.parse("2026-12-09T10:00:00Z"))), longer);
    // Moving onto its own old slot is no clash with itself.
    assertInstanceOf(Action.MoveAppointment.class, ((Decision.Act) say(
        "!afspraak verzet rustige-groene-boot dinsdag 14:15", List.of(TUESDAY), List.of())).actions().get(0));
    assertTrue(reply(say("!afspraak verzet andere-kamer woensdag 10:00", List.of(TUESDAY), List.of()))
        .contains("Geen geplande afspraak 'andere-kamer'"));
    assertTrue(reply(say("!afspraak verzet rustige-groene-boot", List.of(TUESDAY), List.of()))
        .contains("Zeg welke afspraak en wanneer"));
  }

  @Test
  void cancelWithoutAnOpenRoomOnlyRecordsIt() {
    List<Action> actions = ((Decision.Act) say("!afspraak annuleer rustige-groene-boot",
        List.of(TUESDAY), List.of())).actions();
    assertEquals(new Action.CancelAppointment(DM, "!room:caw.test"), actions.get(0));
    assertTrue(((Action.SendNotice) actions.get(1)).plainText().contains("is geannuleerd"));
  }

  @Test
  void cancelClosesTheRoomButNotARunningSession() {
    RoomSnapshot waiting = new RoomSnapshot("!room:caw.test", "rustige-groene-boot", "caw", COUNSELLOR,
        DM, null, true, Map.of(COUNSELLOR, "join"), Map.of(), List.of(), NOW);
    List<Action> actions = ((Decision.Act) say("!appointment cancel " + REF, List.of(TUESDAY),
        List.of(waiting))).actions();
    assertEquals(new Action.CancelAppointment(DM, "!room:caw.test"), actions.get(0));
    assertTrue(actions.contains(new Action.EndSession("!room:caw.test")));
    RoomSnapshot running = new RoomSnapshot("!room:caw.test", "rustige-groene-boot", "caw", COUNSELLOR,
        DM, "@guest:caw.test", true, Map.of(COUNSELLOR, "join"), Map.of(), List.of(), NOW);
    assertTrue(reply(say("!afspraak annuleer rustige-groene-boot", List.of(TUESDAY), List.of(running)))
        .contains("loopt al"));
  }
}
