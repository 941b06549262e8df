package be.praatbrug.bridge.e2ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmSession;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** To-device Olm between two devices, and the payload checks the spec asks of a receiver. */
class OlmChannelTest {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String ALICE = "@alice:caw.test";

  private record Setup(OlmChannel bot, OlmChannel alice, DeviceInfo botDevice, DeviceInfo aliceDevice) {}

  private static Setup setup() {
    OlmChannel bot = new OlmChannel(OlmAccount.create(), BOT, "PRAATBRUG");
    OlmChannel alice = new OlmChannel(OlmAccount.create(), ALICE, "ALICEDEVICE");
    DeviceInfo botDevice = new DeviceInfo(BOT, "PRAATBRUG", bot.curve25519(), bot.ed25519());
    DeviceInfo aliceDevice = new DeviceInfo(ALICE, "ALICEDEVICE", alice.curve25519(), alice.ed25519());
    return new Setup(bot, alice, botDevice, aliceDevice);
  }

  private static String oneTimeKey(OlmChannel channel) {
    channel.account().generateOneTimeKeys(1);
    String key = channel.account().unpublishedOneTimeKeys().values().iterator().next();
    channel.account().markKeysAsPublished();
    return key;
  }

  @Test
  void roomKeyTravelsBothWaysAndSpendsTheOneTimeKey() {
    Setup s = setup();
    String key = oneTimeKey(s.bot());
    OlmSession session = s.alice().startSession(s.botDevice(), key);
    JsonObject content = s.alice().encrypt(s.botDevice(), session, "m.room_key", new JsonObject().put("room_id", "!r:caw.test"));
    OlmChannel.Opened opened = s.bot().decrypt(ALICE, content);
    assertTrue(opened.accountChanged());
    assertEquals(0, s.bot().account().oneTimeKeyCount());
    assertEquals("m.room_key", opened.payload().getString("type"));
    assertEquals(s.alice().ed25519(), opened.payload().getJsonObject("keys").getString("ed25519"));

    // The bot answers on the same session; Alice reads it.
    Optional<OlmSession> back = s.bot().sessionFor(s.alice().curve25519());
    JsonObject reply = s.bot().encrypt(s.aliceDevice(), back.orElseThrow(), "m.dummy", new JsonObject());
    assertEquals("m.dummy", s.alice().decrypt(BOT, reply).payload().getString("type"));
    assertFalse(s.alice().decrypt(BOT, s.bot().encrypt(s.aliceDevice(), back.get(), "m.dummy", new JsonObject())).accountChanged());
  }

  @Test
  void refusesPayloadsForSomeoneElseOrFromAnotherSender() {
    Setup s = setup();
    OlmSession session = s.alice().startSession(s.botDevice(), oneTimeKey(s.bot()));
    // Alice addresses a payload to another user, though it is encrypted for the bot's device.
    DeviceInfo wrongRecipient = new DeviceInfo("@eve:caw.test", "PRAATBRUG", s.bot().curve25519(), s.bot().ed25519());
    JsonObject misaddressed = s.alice().encrypt(wrongRecipient, session, "m.room_key", new JsonObject());
    assertEquals(CryptoException.Reason.BAD_INPUT, assertThrows(CryptoException.class, () -> s.bot().decrypt(ALICE, misaddressed)).reason());
    // The event claims another sender than the one inside the payload.
    JsonObject genuine = s.alice().encrypt(s.botDevice(), session, "m.room_key", new JsonObject());
    assertEquals(CryptoException.Reason.BAD_INPUT, assertThrows(CryptoException.class, () -> s.bot().decrypt("@mallory:caw.test", genuine)).reason());
    // A message not encrypted for this device.
    JsonObject forOthers = genuine.copy().put("ciphertext", new JsonObject());
    assertEquals(CryptoException.Reason.BAD_INPUT, assertThrows(CryptoException.class, () -> s.bot().decrypt(ALICE, forOthers)).reason());
  }

  @Test
  void deviceKeysCountOnlyWithTheDevicesOwnSignature() {
    Setup s = setup();
    JsonObject keys = KeyUploads.body(s.alice(), ALICE, "ALICEDEVICE", true).getJsonObject("device_keys");
    assertEquals(Optional.of(s.aliceDevice()), DeviceInfo.fromQuery(ALICE, "ALICEDEVICE", keys));
    assertEquals(Optional.empty(), DeviceInfo.fromQuery(ALICE, "OTHER", keys));
    JsonObject swapped = keys.copy();
    swapped.getJsonObject("keys").put("curve25519:ALICEDEVICE", s.bot().curve25519());
    assertEquals(Optional.empty(), DeviceInfo.fromQuery(ALICE, "ALICEDEVICE", swapped), "a changed key breaks the signature");
    JsonObject oneTime = KeyUploads.body(s.alice(), ALICE, "ALICEDEVICE", false).getJsonObject("one_time_keys");
    assertTrue(oneTime.isEmpty() || oneTime.fieldNames().stream().allMatch(id -> id.startsWith("signed_curve25519:")));
  }

  @Test
  void keepsTheNewestSessionsPerDeviceAndNamesTheDroppedOnesForDeletion() {
    Setup s = setup();
    int made = OlmChannel.MAX_SESSIONS_PER_DEVICE + 3;
    OlmSession last = null;
    for (int i = 0; i < made; i++) {
      // Each pre-key message from a fresh session makes one more inbound session at the bot.
      OlmSession session = s.alice().startSession(s.botDevice(), oneTimeKey(s.bot()));
      last = s.bot().decrypt(ALICE, s.alice().encrypt(s.botDevice(), session, "m.dummy", new JsonObject())).session();
    }

    java.util.List<String> dropped = s.bot().drainEvicted();
    assertEquals(3, dropped.size());
    assertTrue(dropped.stream().allMatch(key -> key.startsWith(s.alice().curve25519() + "|")), dropped.toString());
    assertEquals(Optional.of(last), s.bot().sessionFor(s.alice().curve25519()));
    assertTrue(s.bot().drainEvicted().isEmpty(), "drained once");
  }

  @Test
  void forgetsASessionItMustNotKeep() {
    Setup s = setup();
    OlmSession session = s.alice().startSession(s.botDevice(), oneTimeKey(s.bot()));
    OlmChannel.Opened opened = s.bot().decrypt(ALICE, s.alice().encrypt(s.botDevice(), session, "m.dummy", new JsonObject()));

    s.bot().forget(opened.senderKey(), opened.session());

    assertEquals(Optional.empty(), s.bot().sessionFor(s.alice().curve25519()));
  }
}
