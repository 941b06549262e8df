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
}
