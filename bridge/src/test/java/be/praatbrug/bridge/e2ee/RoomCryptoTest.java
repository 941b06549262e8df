package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Megolm rules of the bot's device: who may use a room key, for which room, how often, and rotation. */
class RoomCryptoTest {

  private static final String ROOM = "!dm:caw.test";
  private static final String ALICE = "@alice:caw.test";

  /** Alice's side: her outbound session for the room and the encrypted event she sends. */
  private static RoomCrypto.Outbound alicesSession(RoomCrypto alice) {
    return alice.outboundFor(ROOM, Set.of(), RoomCrypto.DEFAULT_ROTATION_MS, RoomCrypto.DEFAULT_ROTATION_MSGS, 0);
  }

  private static JsonObject message(String body) {
    return new JsonObject().put("msgtype", "m.text").put("body", body);
  }

  @Test
  void decryptsWhatTheKeyOwnerSentAndRefusesEveryoneElse() {
    RoomCrypto alice = new RoomCrypto();
    RoomCrypto bot = new RoomCrypto();
    RoomCrypto.Outbound session = alicesSession(alice);
    bot.acceptRoomKey(RoomCrypto.roomKeyContent(ROOM, session.session), ALICE, "aliceCurve", "aliceEd");
    JsonObject first = RoomCrypto.encrypt(session, ROOM, "m.room.message", message("!hulp"), "aliceCurve", "ALICEDEVICE");

    DecryptedEvent plain = bot.decrypt(ROOM, ALICE, "$1", 10, first);
    assertEquals("m.room.message", plain.type());
    assertEquals("!hulp", plain.content().getString("body"));
    assertEquals("aliceEd", plain.senderEd25519());
    // The same event again (a resent transaction) is fine; the same index under another event id is a replay.
    assertEquals("!hulp", bot.decrypt(ROOM, ALICE, "$1", 10, first).content().getString("body"));
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class,
        () -> bot.decrypt(ROOM, ALICE, "$2", 11, first)).reason());
    // Mallory reusing Alice's session: refused, the key is bound to Alice.
    JsonObject second = RoomCrypto.encrypt(session, ROOM, "m.room.message", message("x"), "aliceCurve", "ALICEDEVICE");
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> bot.decrypt(ROOM, "@mallory:caw.test", "$3", 12, second)).reason());
    // The same ciphertext presented in another room: no key there.
    assertEquals(Reason.BAD_MESSAGE_KEY_ID, assertThrows(CryptoException.class,
        () -> bot.decrypt("!other:caw.test", ALICE, "$4", 13, second)).reason());
  }

  @Test
  void refusesAKeyWhoseSessionIdDoesNotMatchAndAPayloadForAnotherRoom() {
    RoomCrypto alice = new RoomCrypto();
    RoomCrypto bot = new RoomCrypto();
    RoomCrypto.Outbound session = alicesSession(alice);
    JsonObject wrongId = RoomCrypto.roomKeyContent(ROOM, session.session).put("session_id", "AAAA");
    assertEquals(Reason.BAD_SESSION_KEY, assertThrows(CryptoException.class,
        () -> bot.acceptRoomKey(wrongId, ALICE, "aliceCurve", "aliceEd")).reason());

    // Alice's key claims the room ROOM, but her payload says another room: refused.
    bot.acceptRoomKey(RoomCrypto.roomKeyContent(ROOM, session.session), ALICE, "aliceCurve", "aliceEd");
    JsonObject elsewhere = RoomCrypto.encrypt(session, "!other:caw.test", "m.room.message", message("x"), "aliceCurve", "D");
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> bot.decrypt(ROOM, ALICE, "$5", 1, elsewhere)).reason());
    // The same key twice keeps the first one (no downgrade to a later first index).
    assertTrue(bot.acceptRoomKey(RoomCrypto.roomKeyContent(ROOM, session.session), ALICE, "aliceCurve", "aliceEd").isEmpty());
  }

  @Test
  void rotatesByMessageCountAgeAndDepartedDevices() {
    RoomCrypto bot = new RoomCrypto();
    RoomCrypto.Outbound first = bot.outboundFor(ROOM, Set.of("a", "b"), 1_000, 2, 0);
    first.sharedWith.addAll(Set.of("a", "b"));
    assertSame(first, bot.outboundFor(ROOM, Set.of("a", "b", "c"), 1_000, 2, 10));
    RoomCrypto.encrypt(first, ROOM, "m.room.message", message("1"), "k", "D");
    RoomCrypto.encrypt(first, ROOM, "m.room.message", message("2"), "k", "D");
    RoomCrypto.Outbound byCount = bot.outboundFor(ROOM, Set.of("a", "b"), 1_000, 2, 10);
    assertNotSame(first, byCount);
    byCount.sharedWith.addAll(Set.of("a", "b"));
    RoomCrypto.Outbound byDeparture = bot.outboundFor(ROOM, Set.of("a"), 1_000, 100, 10);
    assertNotSame(byCount, byDeparture);
    long createdAt = byDeparture.session.createdAtMillis();
    assertNotSame(byDeparture, bot.outboundFor(ROOM, Set.of("a"), 1_000, 100, createdAt + 1_000));
  }
}
