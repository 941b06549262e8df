package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The bot's own room key requests: one per session at a time, answered only for what it asked. */
class KeyRequestsTest {

  private static final String ROOM = "!dm:caw.test";
  private static final String ALICE = "@alice:caw.test";

  private static JsonObject forwarded(String room, String senderKey, String sessionId) {
    return new JsonObject().put("room_id", room).put("sender_key", senderKey).put("session_id", sessionId);
  }

  @Test
  void asksEveryDeviceOfTheSenderOncePerSession() {
    KeyRequests requests = new KeyRequests("PRAATBRUG_0A1B2C3D");
    JsonObject messages = requests.ask(ALICE, ROOM, "aliceCurve", "session1").orElseThrow();
    JsonObject request = messages.getJsonObject(ALICE).getJsonObject("*");
    assertEquals("request", request.getString("action"));
    assertEquals("PRAATBRUG_0A1B2C3D", request.getString("requesting_device_id"));
    assertEquals(new JsonObject().put("algorithm", "m.megolm.v1.aes-sha2").put("room_id", ROOM)
        .put("sender_key", "aliceCurve").put("session_id", "session1"), request.getJsonObject("body"));
    assertTrue(requests.ask(ALICE, ROOM, "aliceCurve", "session1").isEmpty(), "a second request while one is in flight");
    assertTrue(requests.ask(ALICE, ROOM, "aliceCurve", "session2").isPresent());
    assertEquals(2, requests.inFlight());
  }

  @Test
  void takesOnlyKeysItAskedForFromTheUserItAsked() {
    KeyRequests requests = new KeyRequests("BOT");
    String requestId = requests.ask(ALICE, ROOM, "aliceCurve", "session1").orElseThrow()
        .getJsonObject(ALICE).getJsonObject("*").getString("request_id");
    assertEquals(requestId, requests.pendingFor(ALICE, forwarded(ROOM, "aliceCurve", "session1")).orElseThrow().requestId());
    assertTrue(requests.pendingFor("@mallory:caw.test", forwarded(ROOM, "aliceCurve", "session1")).isEmpty());
    assertTrue(requests.pendingFor(ALICE, forwarded(ROOM, "aliceCurve", "session9")).isEmpty());
    assertTrue(requests.pendingFor(ALICE, forwarded("!other:caw.test", "aliceCurve", "session1")).isEmpty());
    assertTrue(requests.pendingFor(ALICE, forwarded(ROOM, "otherCurve", "session1")).isEmpty());
  }

  @Test
  void finishingCancelsTheRequestAtTheOtherDevices() {
    KeyRequests requests = new KeyRequests("BOT");
    String requestId = requests.ask(ALICE, ROOM, "aliceCurve", "session1").orElseThrow()
        .getJsonObject(ALICE).getJsonObject("*").getString("request_id");
    JsonObject cancellation = requests.finish(RoomCrypto.inboundKey(ROOM, "aliceCurve", "session1")).orElseThrow()
        .getJsonObject(ALICE).getJsonObject("*");
    assertEquals("request_cancellation", cancellation.getString("action"));
    assertEquals(requestId, cancellation.getString("request_id"));
    assertEquals("BOT", cancellation.getString("requesting_device_id"));
    assertTrue(requests.pendingFor(ALICE, forwarded(ROOM, "aliceCurve", "session1")).isEmpty(), "answered after finishing");
    assertTrue(requests.finish(RoomCrypto.inboundKey(ROOM, "aliceCurve", "session1")).isEmpty());
    assertTrue(requests.ask(ALICE, ROOM, "aliceCurve", "session1").isPresent(), "may ask again later");
  }

  /** The Olm payload of an {@code m.forwarded_room_key} sent by a device whose signing key is {@code olmEd25519}. */
  private static JsonObject forwardedPayload(String sessionId, String senderKey, String claimedEd25519, String olmEd25519) {
    return new JsonObject().put("type", "m.forwarded_room_key")
        .put("keys", new JsonObject().put("ed25519", olmEd25519))
        .put("content", forwarded(ROOM, senderKey, sessionId).put("sender_claimed_ed25519_key", claimedEd25519));
  }

  @Test
  void refusesForwardedKeysThatDoNotComeFromTheSessionsOwnDevice() {
    KeyRequests requests = new KeyRequests("BOT");
    requests.ask(ALICE, ROOM, "aliceCurve", "session1");

    assertTrue(requests.refusal(ALICE, "aliceCurve", forwardedPayload("session1", "aliceCurve", "aliceEd", "aliceEd")).isEmpty());
    assertEquals("the bot did not ask this user for this session",
        requests.refusal("@mallory:caw.test", "aliceCurve", forwardedPayload("session1", "aliceCurve", "aliceEd", "aliceEd")).orElseThrow());
    assertEquals("the bot did not ask this user for this session",
        requests.refusal(ALICE, "aliceCurve", forwardedPayload("session2", "aliceCurve", "aliceEd", "aliceEd")).orElseThrow());
    // Alice's other device forwarding the session: not the session's own device.
    assertEquals("sent by another device than the session's own",
        requests.refusal(ALICE, "aliceOtherCurve", forwardedPayload("session1", "aliceCurve", "aliceEd", "aliceOtherEd")).orElseThrow());
    assertEquals("the session claims another signing key than its sender's",
        requests.refusal(ALICE, "aliceCurve", forwardedPayload("session1", "aliceCurve", "forgedEd", "aliceEd")).orElseThrow());
    assertTrue(requests.refusal(ALICE, "aliceCurve", new JsonObject().put("content",
        forwarded(ROOM, "aliceCurve", "session1")).put("keys", new JsonObject().put("ed25519", "aliceEd"))).isPresent(),
        "no claimed signing key at all");
  }
}
