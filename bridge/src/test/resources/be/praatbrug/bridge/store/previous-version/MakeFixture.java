// Made the fixture in this folder (bridge.db, ledger-key.json) with the bridge as it was before
// client records (schema version 6, commit ed13129): every client reference is a keyed hash of a
// Matrix account ("cl-…"), one per guest account. Kept to show how the fixture came about; it only
// compiles against a jar of that version:
//   java -cp praatbrug-bridge.jar MakeFixture.java <output folder> <policy/consent folder>
import be.praatbrug.bridge.config.BridgeConfig.DatabaseSection;
import be.praatbrug.bridge.config.BridgeConfig.LedgerSection;
import be.praatbrug.bridge.ledger.ClientRefs;
import be.praatbrug.bridge.ledger.Entries;
import be.praatbrug.bridge.ledger.Ledger;
import be.praatbrug.bridge.rooms.CounsellingRoom;
import be.praatbrug.bridge.rooms.RoomStore;
import be.praatbrug.bridge.store.Database;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

public class MakeFixture {

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Vertx vertx = Vertx.vertx();
    Database database = await(Database.open(vertx, new DatabaseSection("sqlite",
        out.resolve("bridge.db").toString(), null, null, 1)));
    Instant t0 = Instant.parse("2026-11-24T09:00:00Z");
    Ledger ledger = await(Ledger.open(vertx, database, new LedgerSection(
        out.resolve("ledger-key.json").toString(), null, args[1]), Clock.fixed(t0, ZoneOffset.UTC)));
    byte[] secret = "previous-version room secret".getBytes(StandardCharsets.UTF_8);
    var text = ledger.consentTexts().current("caw", "nl").orElseThrow();
    RoomStore rooms = new RoomStore(database);
    String counsellor = "@counsellor:caw.test";

    // A client with a Matrix account: consent with the bot, knock with a code, one session.
    String matrixClient = ClientRefs.of(secret, "@client:caw.test");
    await(ledger.append(Entries.consentGiven(matrixClient, text, "matrix", null, t0)));
    await(rooms.insertRoom(new CounsellingRoom("!old1:caw.test", "caw", counsellor, "!dm:caw.test",
        "rustige-groene-boot", "open", null, null, t0, null, null)));
    await(ledger.append(Entries.knockAdmitted(matrixClient, "!old1:caw.test", counsellor, "code",
        t0.plusSeconds(60))));
    await(rooms.startSession("!old1:caw.test", counsellor, "@client:caw.test", matrixClient,
        t0.plusSeconds(70)));
    await(ledger.append(Entries.sessionStarted(matrixClient, "s-old-1", "!old1:caw.test", counsellor,
        t0.plusSeconds(70))));
    await(ledger.append(Entries.policyViolationRemoved(matrixClient, "!old1:caw.test",
        "third_member", "member", null, "@stranger:caw.test", t0.plusSeconds(300))));
    await(ledger.append(Entries.sessionEnded(matrixClient, "s-old-1", "!old1:caw.test", counsellor,
        t0.plusSeconds(70), t0.plusSeconds(1870))));
    await(rooms.endSession("!old1:caw.test", t0.plusSeconds(1870)));

    // Two visits through links: two guest accounts, so two unrelated references.
    for (int visit = 1; visit <= 2; visit++) {
      String guest = "@praatbrug_guest_visit" + visit + ":caw.test";
      String ref = ClientRefs.of(secret, guest);
      String room = "!link" + visit + ":caw.test";
      Instant at = t0.plusSeconds(86_400L * visit);
      await(ledger.append(Entries.consentGiven(ref, text, "link", visit == 2 ? "An Peeters" : null,
          at)));
      await(rooms.insertRoom(new CounsellingRoom(room, "caw", counsellor, "!dm:caw.test",
          "zachte-blauwe-vis", "open", null, null, at, null, null)));
      await(rooms.startSession(room, counsellor, guest, ref, at.plusSeconds(30)));
      await(ledger.append(Entries.sessionStarted(ref, "s-link-" + visit, room, counsellor,
          at.plusSeconds(30))));
      await(ledger.append(Entries.sessionEnded(ref, "s-link-" + visit, room, counsellor,
          at.plusSeconds(30), at.plusSeconds(30 + 1200L * visit))));
      await(rooms.endSession(room, at.plusSeconds(30 + 1200L * visit)));
    }
    await(ledger.append(Entries.retentionPurge(null, "!old1:caw.test", t0.plusSeconds(3600),
        "purge-1", t0.plusSeconds(7200))));
    // A data-subject request honoured: the second visit's guardian name is gone for good.
    await(ledger.erase(ClientRefs.of(secret, "@praatbrug_guest_visit2:caw.test"), "cli"));
    if (!await(ledger.verify()).ok()) {
      throw new IllegalStateException("the fixture does not verify");
    }
    await(database.close());
    await(vertx.close());
  }
}
