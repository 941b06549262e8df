package be.praatbrug.it;

import static be.praatbrug.it.MatrixTestClient.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.ledger.LedgerEntry;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Planned sessions on a real Synapse, with the bridge on a clock the test moves: the link refuses
 * before its window and works in it, the counsellor is reminded once (also when the reminder fell
 * due while the bridge was down, and after a second restart), hears when the client has not
 * arrived, and a cancelled appointment's link stops.
 */
class AppointmentsIT {

  private static final String PASSWORD = "correct horse battery staple";
  private static final Pattern ROOM_ID = Pattern.compile("aankloppen op (![A-Za-z0-9]+:caw\\.test)");
  private static final Pattern ROOM_NAME = Pattern.compile("Afspraak gepland: .*? in '([a-z-]+)'");
  private static final Pattern LINK = Pattern.compile("/binnen/#([A-Z0-9]+)");
  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Tuesday 8 December 2026, 10:00 in Brussels. */
  private static final Instant TUESDAY_MORNING = Instant.parse("2026-12-08T09:00:00Z");
  private static TestHomeserver homeserver;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final TestClock clock = new TestClock().set(TUESDAY_MORNING);
  @RegisterExtension final BridgeUnderTest bridge = new BridgeUnderTest()
      .onClock(clock);
  private MatrixTestClient counsellor;
  private String controlRoom;

  private record Planned(String roomId, String roomName, String linkSecret) {}

  @BeforeAll
  static void startHomeserver() {
    homeserver = TestHomeserver.get();
  }

  @BeforeEach
  void signIn() throws Exception {
    String localpart = "appt-" + UUID.randomUUID().toString().substring(0, 8);
    homeserver.register(localpart, PASSWORD);
    counsellor = new MatrixTestClient(bridge.vertx(), homeserver.clientUrl).login(localpart, PASSWORD);
    controlRoom = bridge.openDirectChat(counsellor);
  }

  private String ask(String command, String expected) {
    String asked = counsellor.sendText(controlRoom, command);
    return eventually(WAIT, "the bot's answer to " + command, () -> counsellor
        .messageFrom(controlRoom, bridge.config().botUserId(), asked)
        .map(event -> event.getJsonObject("content").getString("body"))
        .filter(body -> body.contains(expected)));
  }

  private Planned plan(String command) {
    String body = ask(command, "Afspraak gepland");
    Matcher room = ROOM_ID.matcher(body);
    Matcher name = ROOM_NAME.matcher(body);
    Matcher link = LINK.matcher(body);
    assertTrue(room.find() && name.find() && link.find(), body);
    return new Planned(room.group(1), name.group(1), link.group(1));
  }

  private HttpResponse<String> checkLink(String secret) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bridge.config().appservice().port()
            + "/_praatbrug/entry/v1/code")).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("code", secret).encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private long noticesContaining(String text) {
    return counsellor.messageBodies(controlRoom, bridge.config().botUserId(), 50).stream()
        .filter(body -> body.contains(text)).count();
  }

  /** Waits for the first notice containing {@code text}; returns how long that took in ms. */
  private long awaitNotice(String text) {
    long started = System.nanoTime();
    eventually(WAIT, "a notice containing '" + text + "'", () ->
        noticesContaining(text) > 0 ? Optional.of(true) : Optional.empty());
    return (System.nanoTime() - started) / 1_000_000;
  }

  private List<String> ledgerKinds() throws Exception {
    return bridge.verticle().ledger().page(0, 1000).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS).stream().map(LedgerEntry::kind).map(Object::toString).toList();
  }

  @Test
  void linkOpensInItsWindowRemindsOnceAndCancelStopsIt() throws Exception {
    Planned planned = plan("!afspraak dinsdag 14:00 45m");
    assertTrue(ask("!afspraak lijst", "geplande gesprekken")
        .contains("dinsdag 8 december om 14:00–14:45 — '" + planned.roomName() + "'"));

    // Too early: refused, with the appointment for the page to show.
    HttpResponse<String> early = checkLink(planned.linkSecret());
    assertEquals(403, early.statusCode(), early.body());
    JsonObject refused = new JsonObject(early.body());
    assertEquals("BE.PRAATBRUG.APPOINTMENT_NOT_YET", refused.getString("errcode"));
    assertEquals(Instant.parse("2026-12-08T13:00:00Z").toEpochMilli(),
        refused.getJsonObject("appointment").getLong("starts_at"));
    assertEquals(Instant.parse("2026-12-08T12:45:00Z").toEpochMilli(),
        refused.getJsonObject("appointment").getLong("opens_at"));
    clock.set(Instant.parse("2026-12-08T12:44:50Z"));
    assertEquals(403, checkLink(planned.linkSecret()).statusCode());

    // In the window (15 minutes before the start): the link works.
    clock.set(Instant.parse("2026-12-08T12:45:00Z"));
    HttpResponse<String> open = checkLink(planned.linkSecret());
    assertEquals(200, open.statusCode(), open.body());
    assertEquals(planned.roomId(), new JsonObject(open.body()).getString("room_id"));
    assertEquals(0, noticesContaining("⏰"), "no reminder before its time");

    // Ten minutes before: one reminder.
    clock.set(Instant.parse("2026-12-08T12:50:00Z"));
    long reminderMs = awaitNotice("⏰ Je gesprek met een nieuwe cliënt in '" + planned.roomName()
        + "' begint over 10 min");
    System.out.println("[appointments] reminder seen " + reminderMs + " ms after it fell due");
    bridge.awaitJobPasses("reminders", bridge.jobPasses("reminders") + 3);
    assertEquals(1, noticesContaining("⏰"), "the reminder once");

    // The start passes without the client.
    clock.set(Instant.parse("2026-12-08T13:00:00Z"));
    long absentMs = awaitNotice("nog niet aangekomen");
    System.out.println("[appointments] 'not arrived' seen " + absentMs + " ms after the start");
    bridge.awaitJobPasses("reminders", bridge.jobPasses("reminders") + 2);
    assertEquals(1, noticesContaining("nog niet aangekomen"));

    // Cancelled: the link stops and says why.
    ask("!afspraak annuleer " + planned.roomName(), "is geannuleerd");
    HttpResponse<String> cancelled = checkLink(planned.linkSecret());
    assertEquals(410, cancelled.statusCode(), cancelled.body());
    assertEquals("BE.PRAATBRUG.APPOINTMENT_CANCELLED", new JsonObject(cancelled.body()).getString("errcode"));
    assertTrue(ask("!afspraak lijst", "geen geplande gesprekken").contains("Plan er een"));

    List<String> kinds = eventually(WAIT, "the appointment in the ledger", () -> {
      try {
        List<String> all = ledgerKinds();
        return all.contains("APPOINTMENT_CANCELLED") ? Optional.of(all) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    });
    assertTrue(kinds.contains("APPOINTMENT_PLANNED"), kinds.toString());
  }

  @Test
  void aReminderDueWhileTheBridgeWasDownIsSentOnceAfterRestarts() throws Exception {
    Planned planned = plan("!afspraak vandaag 10:30 30m");
    clock.set(Instant.parse("2026-12-08T09:05:00Z"));
    bridge.stop();

    // Down across the reminder's time (10:20).
    clock.set(Instant.parse("2026-12-08T09:25:00Z"));
    long restarting = System.nanoTime();
    bridge.start();
    long startedMs = (System.nanoTime() - restarting) / 1_000_000;
    long caughtUpMs = awaitNotice("⏰ Je gesprek met een nieuwe cliënt in '" + planned.roomName() + "'");
    System.out.println("[appointments] restart took " + startedMs + " ms; the missed reminder came "
        + caughtUpMs + " ms after the bridge was ready");

    // Another restart does not send it again.
    bridge.stop();
    bridge.start();
    bridge.awaitJobPasses("reminders", 3);
    assertEquals(1, noticesContaining("⏰"), "the reminder once across two restarts");
    assertEquals(0, noticesContaining("nog niet aangekomen"), "not before the start");
  }

  @Test
  void aSlotNobodyCameToIsRecordedAsMissedOnceAlsoAcrossARestart() throws Exception {
    plan("!afspraak vandaag 10:30 30m"); // Brussels: 09:30-10:00 UTC
    clock.set(Instant.parse("2026-12-08T09:45:00Z"));
    bridge.awaitJobPasses("reminders", bridge.jobPasses("reminders") + 2);
    assertEquals(0, missed(), "not missed while the slot runs");
    // The bridge is down across the end (11:00 in Brussels); the no-show is recorded after it is back.
    bridge.stop();
    clock.set(Instant.parse("2026-12-08T10:05:00Z"));
    bridge.start();
    long started = System.nanoTime();
    eventually(WAIT, "the no-show in the ledger", () -> {
      try {
        return missed() == 1 ? Optional.of(true) : Optional.empty();
      } catch (Exception e) {
        return Optional.empty();
      }
    });
    System.out.println("[appointments] no-show recorded " + (System.nanoTime() - started) / 1_000_000
        + " ms after the restart");
    bridge.stop();
    bridge.start();
    bridge.awaitJobPasses("reminders", 3);
    assertEquals(1, missed(), "the no-show once across two restarts");
  }

  private long missed() throws Exception {
    return ledgerKinds().stream().filter("APPOINTMENT_MISSED"::equals).count();
  }

  @Test
  void movingShiftsTheWindowAndTheReminder() throws Exception {
    Planned planned = plan("!afspraak dinsdag 11:00 45m");
    ask("!afspraak verzet " + planned.roomName() + " dinsdag 15:00", "is verzet naar dinsdag 8 december om 15:00–15:45");
    // The old window is closed to the link, the new one not yet open.
    clock.set(Instant.parse("2026-12-08T09:50:00Z"));
    HttpResponse<String> oldWindow = checkLink(planned.linkSecret());
    assertEquals(403, oldWindow.statusCode(), oldWindow.body());
    bridge.awaitJobPasses("reminders", bridge.jobPasses("reminders") + 2);
    assertEquals(0, noticesContaining("⏰"), "no reminder for the old time");
    clock.set(Instant.parse("2026-12-08T13:45:00Z"));
    assertEquals(200, checkLink(planned.linkSecret()).statusCode());
    assertEquals(0, noticesContaining("⏰"));
    clock.set(Instant.parse("2026-12-08T13:50:00Z"));
    awaitNotice("⏰ Je gesprek met een nieuwe cliënt in '" + planned.roomName() + "' begint over 10 min");
    assertTrue(ask("!afspraak morgen 25:00", "is geen uur").contains("Plan een gesprek"));
    assertTrue(ask("!afspraak vandaag 9:00", "ligt in het verleden").contains("in the past"));
  }
}
