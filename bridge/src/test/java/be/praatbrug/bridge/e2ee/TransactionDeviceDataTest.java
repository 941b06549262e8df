package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Reading the bot device's share of a transaction body as Synapse 1.160 sends it (MSC2409, MSC3202). */
class TransactionDeviceDataTest {

  private static final String BOT = "@praatbrug:caw.test";

  @Test
  void takesOnlyWhatIsAddressedToThisDevice() {
    JsonObject body = new JsonObject()
        .put("events", new JsonArray())
        .put("de.sorunome.msc2409.to_device", new JsonArray()
            .add(new JsonObject().put("type", "m.room.encrypted").put("to_user_id", BOT).put("to_device_id", "PRAATBRUG_1"))
            .add(new JsonObject().put("type", "m.room.encrypted").put("to_user_id", BOT).put("to_device_id", "OLDDEVICE"))
            .add(new JsonObject().put("type", "m.room.encrypted").put("to_user_id", "@other:caw.test").put("to_device_id", "PRAATBRUG_1")))
        .put("org.matrix.msc3202.device_one_time_keys_count", new JsonObject()
            .put(BOT, new JsonObject().put("PRAATBRUG_1", new JsonObject().put("signed_curve25519", 12))))
        .put("org.matrix.msc3202.device_unused_fallback_key_types", new JsonObject()
            .put(BOT, new JsonObject().put("PRAATBRUG_1", new JsonArray())));
    TransactionDeviceData data = TransactionDeviceData.parse(body, BOT, "PRAATBRUG_1");
    assertEquals(1, data.toDevice().size());
    assertEquals(12, data.oneTimeKeys());
    assertTrue(data.renewFallback(), "the fallback key was used: make a new one");
  }

  @Test
  void aTransactionWithoutDeviceDataIsEmpty() {
    TransactionDeviceData data = TransactionDeviceData.parse(new JsonObject().put("events", new JsonArray()), BOT, "D");
    assertTrue(data.isEmpty());
    assertEquals(-1, data.oneTimeKeys());
    JsonObject unusedFallback = new JsonObject().put("org.matrix.msc3202.device_unused_fallback_key_types",
        new JsonObject().put(BOT, new JsonObject().put("D", new JsonArray().add("signed_curve25519"))));
    assertFalse(TransactionDeviceData.parse(unusedFallback, BOT, "D").renewFallback());
  }

  @Test
  void deviceListChangesNameChangedAndLeftUsersAndIgnoreJunk() {
    JsonObject body = new JsonObject().put("org.matrix.msc3202.device_lists", new JsonObject()
        .put("changed", new JsonArray().add("@an:caw.test").add(42).add("@bo:clb.test"))
        .put("left", new JsonArray().add("@cas:caw.test")));
    assertEquals(java.util.Set.of("@an:caw.test", "@bo:clb.test", "@cas:caw.test"),
        TransactionDeviceData.deviceListChanges(body));
    assertTrue(TransactionDeviceData.deviceListChanges(new JsonObject()
        .put("org.matrix.msc3202.device_lists", "not an object")).isEmpty());
  }
}
