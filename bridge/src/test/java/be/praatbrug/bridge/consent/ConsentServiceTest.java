package be.praatbrug.bridge.consent;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.clients.ClientRecords;
import be.praatbrug.bridge.e2ee.EncryptedNotices;
import be.praatbrug.bridge.ledger.ConsentText;
import be.praatbrug.bridge.ledger.ConsentTexts;
import be.praatbrug.bridge.ledger.EntryKind;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.ledger.OpenedEntry;
import be.praatbrug.bridge.ledger.OrgKeys;
import be.praatbrug.bridge.matrix.MatrixClient;
import be.praatbrug.bridge.matrix.RoomStateStore;
import be.praatbrug.bridge.pipeline.Notices;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.policy.Action;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consent decisions against a real SQLite store and ledger, fired at the same moment the way two
 * tabs of one client, or many clients at once, send them.
 */
class ConsentServiceTest {

  private static final Instant NOW = Instant.parse("2026-12-03T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final int PEOPLE = 20;

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;
  private Ledger ledger;
  private ClientRecords clients;
  private ConsentService consent;
  private final List<String> withdrawnEvents = new ArrayList<>();

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    Path texts = directory.resolve("consent/caw");
    Files.createDirectories(texts);
    Files.writeString(texts.resolve("v1.nl.md"), "# Toestemming v1\n");
    ledger = new Ledger(database, OrgKeys.generate(new SecureRandom()),
        ConsentTexts.load(directory.resolve("consent")), CLOCK);
    clients = new ClientRecords(database, ledger.clientKeys(), CLOCK,
        "legacy".getBytes(StandardCharsets.UTF_8));
    MatrixClient homeserver = homeserver();
    consent = new ConsentService(ledger, new Notices(homeserver, new EncryptedNotices(
        new RoomStateStore(homeserver, CLOCK::millis), () -> null)), clients, user -> false,
        user -> null, "caw", CLOCK);
    consent.setListener(new ConsentService.Listener() {
      @Override
      public void consentGiven(String userId) {}

      @Override
      public void consentWithdrawn(String clientRef) {
        synchronized (withdrawnEvents) {
          withdrawnEvents.add(clientRef);
        }
      }
    });
  }

  @AfterEach
  void close() throws Exception {
    await(database.close());
    await(vertx.close());
  }

  /** A homeserver whose rooms are all unencrypted and that accepts every notice. */
  private static MatrixClient homeserver() {
    return (MatrixClient) Proxy.newProxyInstance(MatrixClient.class.getClassLoader(),
        new Class<?>[] {MatrixClient.class}, (proxy, method, args) -> switch (method.getName()) {
          case "roomState" -> Future.succeededFuture(new JsonArray());
          case "sendEvent" -> Future.succeededFuture("$notice");
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static String person(int i) {
    return "@client" + i + ":caw.test";
  }

  /** Starts every decision on one event loop in the same turn, then waits for all of them. */
  private void atOnce(List<Supplier<Future<?>>> decisions) throws Exception {
    Context loop = vertx.getOrCreateContext();
    Promise<Void> all = Promise.promise();
    loop.runOnContext(ignored -> {
      List<Future<?>> started = new ArrayList<>();
      decisions.forEach(decision -> started.add(decision.get()));
      Future.join(started).<Void>mapEmpty().onComplete(all);
    });
    await(all.future());
  }

  private String recordOf(String userId) throws Exception {
    return await(clients.ofAccount(userId)).orElseThrow().ref();
  }

  /** How many entries of {@code kind} each of the people's records has, by person. */
  private Map<String, Long> entries(EntryKind kind) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (int i = 0; i < PEOPLE; i++) {
      List<OpenedEntry> opened = await(ledger.entriesFor(recordOf(person(i))));
      counts.put(person(i), opened.stream().filter(e -> e.entry().kind() == kind).count());
    }
    return counts;
  }

  private static void exactlyOneEach(Map<String, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(PEOPLE, total, total + " entries for " + PEOPLE + " people: " + counts);
    counts.forEach((person, count) -> assertEquals(1L, count, person + " has " + count));
  }

  @RepeatedTest(20)
  void twoTabsOfTwentyPeopleConsentingAtOnceLeaveOneConsentEach() throws Exception {
    List<Supplier<Future<?>>> decisions = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      Action.RecordConsent give = new Action.RecordConsent("!dm" + i + ":caw.test", person(i), null);
      decisions.add(() -> consent.record(give));
      decisions.add(() -> consent.record(give));
    }

    atOnce(decisions);

    exactlyOneEach(entries(EntryKind.CONSENT_GIVEN));
  }

  @RepeatedTest(20)
  void twoWithdrawalsAtOnceRecordOneWithdrawalAndEndTheSessionOnce() throws Exception {
    List<Supplier<Future<?>>> gives = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      Action.RecordConsent give = new Action.RecordConsent("!dm" + i + ":caw.test", person(i), null);
      gives.add(() -> consent.record(give));
    }
    atOnce(gives);
    List<Supplier<Future<?>>> withdrawals = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      String ref = recordOf(person(i));
      Action.WithdrawConsent withdraw = new Action.WithdrawConsent("!dm" + i + ":caw.test", person(i));
      withdrawals.add(() -> consent.withdraw(withdraw));
      withdrawals.add(() -> consent.withdrawRecord(ref, ConsentService.LINK_CHANNEL));
    }

    atOnce(withdrawals);

    exactlyOneEach(entries(EntryKind.CONSENT_WITHDRAWN));
    synchronized (withdrawnEvents) {
      assertEquals(PEOPLE, withdrawnEvents.size(), "one session end per person: " + withdrawnEvents);
    }
  }

  @RepeatedTest(5)
  void twoTabsOfTheClientPageRecordTheirConsentOnce() throws Exception {
    ConsentText shown = consent.current("nl").orElseThrow();
    List<String> refs = new ArrayList<>();
    for (int i = 0; i < PEOPLE; i++) {
      refs.add(await(clients.ofAccountOrNew(person(i), null)).ref());
    }
    List<Supplier<Future<?>>> decisions = new ArrayList<>();
    for (String ref : refs) {
      decisions.add(() -> consent.recordFromLink(ref, shown, null));
      decisions.add(() -> consent.recordFromLink(ref, shown, null));
    }

    atOnce(decisions);

    exactlyOneEach(entries(EntryKind.CONSENT_GIVEN));
  }

  @Test
  void consentGivenAfterAWithdrawalIsRecordedAgain() throws Exception {
    Action.RecordConsent give = new Action.RecordConsent("!dm:caw.test", person(0), null);
    await(consent.record(give));
    await(consent.withdraw(new Action.WithdrawConsent("!dm:caw.test", person(0))));
    await(consent.record(give));

    List<EntryKind> kinds = await(ledger.entriesFor(recordOf(person(0)))).stream()
        .map(e -> e.entry().kind()).toList();
    assertEquals(List.of(EntryKind.CONSENT_GIVEN, EntryKind.CONSENT_WITHDRAWN,
        EntryKind.CONSENT_GIVEN), kinds);
    assertTrue(await(consent.consentOnRecord(List.of(person(0)))).contains(person(0)));
  }
}
