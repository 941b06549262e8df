package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ToDeviceQuotaTest {

  private static JsonObject from(String sender) {
    return new JsonObject().put("sender", sender).put("type", "m.room.encrypted");
  }

  @Test
  void oneSenderFloodingDoesNotTakeAnotherSendersMessages() {
    ToDeviceQuota quota = new ToDeviceQuota(100, 60_000);
    JsonArray flood = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      flood.add(from("@flood:caw.test"));
      if (i % 100 == 0) {
        flood.add(from("@counsellor:caw.test"));
      }
    }

    JsonArray taken = quota.filter(flood);

    assertEquals(110, taken.size());
    assertEquals(10, taken.stream().filter(e -> ((JsonObject) e).getString("sender").equals("@counsellor:caw.test")).count());
    assertEquals(900, quota.dropped("@flood:caw.test"));
  }

  @Test
  void theQuotaComesBackInTheNextWindow() throws Exception {
    ToDeviceQuota quota = new ToDeviceQuota(1, 50);
    assertEquals(1, quota.filter(new JsonArray().add(from("@a:x")).add(from("@a:x"))).size());
    Thread.sleep(60);
    assertEquals(1, quota.filter(new JsonArray().add(from("@a:x"))).size());
  }
}
