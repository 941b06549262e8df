package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.CryptoException.Reason;
import be.praatbrug.crypto.megolm.InboundGroupSession;
import io.vertx.core.json.JsonArray;
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

  /**
   * Alice's device sends her session again, from {@code index} on, as an {@code m.forwarded_room_key}
   * (export format); {@code sessionKey} is her session's key from index 0.
   */
  private static JsonObject forwardedBy(String sessionId, String sessionKey, long index) {
    return new JsonObject().put("algorithm", RoomCrypto.MEGOLM).put("room_id", ROOM)
        .put("sender_key", "aliceCurve").put("session_id", sessionId)
        .put("session_key", InboundGroupSession.fromSessionKey(sessionKey).export(index))
        .put("sender_claimed_ed25519_key", "aliceEd").put("forwarding_curve25519_key_chain", new JsonArray());
  }

  @Test
  void aForwardedKeyOpensMessagesFromItsIndexOn() {
    RoomCrypto alice = new RoomCrypto();
    RoomCrypto bot = new RoomCrypto();
    RoomCrypto.Outbound session = alicesSession(alice);
    String id = session.session.sessionId();
    String fromStart = session.session.sessionKey();
    JsonObject first = RoomCrypto.encrypt(session, ROOM, "m.room.message", message("ouder bericht"), "aliceCurve", "D");
    JsonObject second = RoomCrypto.encrypt(session, ROOM, "m.room.message", message("!hulp"), "aliceCurve", "D");

    assertTrue(bot.acceptForwardedKey(forwardedBy(id, fromStart, 1), ALICE, "aliceEd").isPresent());
    assertEquals("!hulp", bot.decrypt(ROOM, ALICE, "$2", 2, second).content().getString("body"));
    assertEquals(Reason.UNKNOWN_MESSAGE_INDEX, assertThrows(CryptoException.class,
        () -> bot.decrypt(ROOM, ALICE, "$1", 1, first)).reason());
    // The key was given to Alice's user: another sender cannot use it.
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> bot.decrypt(ROOM, "@mallory:caw.test", "$3", 3, second)).reason());

    // A later copy of a session already held is not kept; an earlier one replaces it.
    assertTrue(bot.acceptForwardedKey(forwardedBy(id, fromStart, 2), ALICE, "aliceEd").isEmpty());
    assertTrue(bot.acceptForwardedKey(forwardedBy(id, fromStart, 0), ALICE, "aliceEd").isPresent());
    assertEquals("ouder bericht", bot.decrypt(ROOM, ALICE, "$1", 1, first).content().getString("body"));
  }

  @Test
  void aForwardedKeyMustMatchItsSessionAndNameItsRoom() {
    RoomCrypto bot = new RoomCrypto();
    RoomCrypto.Outbound alices = alicesSession(new RoomCrypto());
    JsonObject forwarded = forwardedBy(alices.session.sessionId(), alices.session.sessionKey(), 0);
    assertEquals(Reason.BAD_SESSION_KEY, assertThrows(CryptoException.class,
        () -> bot.acceptForwardedKey(forwarded.copy().put("session_id", "AAAA"), ALICE, "aliceEd")).reason());
    JsonObject withoutRoom = forwarded.copy();
    withoutRoom.remove("room_id");
    assertEquals(Reason.BAD_INPUT, assertThrows(CryptoException.class,
        () -> bot.acceptForwardedKey(withoutRoom, ALICE, "aliceEd")).reason());
  }
}
