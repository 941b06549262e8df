package be.praatbrug.bridge.e2ee;

import static be.praatbrug.bridge.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.bridge.e2ee.FakeHomeserver.Device;
import be.praatbrug.bridge.e2ee.FakeHomeserver.ToDeviceSend;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.bridge.store.TestDatabases;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmMessage;
import be.praatbrug.crypto.olm.OlmSession;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bot's E2EE device over a real store and real Olm/Megolm, against a homeserver key API that
 * answers as Synapse does ({@link FakeHomeserver}): its device and keys at start and restart,
 * room keys shared with exactly the devices that lack them, room keys received only from listed
 * devices, and one-time keys topped up when a transaction reports them low.
 */
@ExtendWith(VertxExtension.class)
class BotDeviceTest {

  private static final String BOT = "@praatbrug:caw.test";
  private static final String AS_TOKEN = "as-token";
  private static final String AN = "@an:caw.test";
  private static final String ROOM = "!notices:caw.test";
  private static final byte[] STATE_KEY = filled(7);

  @TempDir Path directory;
  private Vertx vertx;
  private Database database;
  private final FakeHomeserver server = new FakeHomeserver(AS_TOKEN, BOT);
  private int txn;

  @BeforeEach
  void openStore(Vertx vertx) throws Exception {
    this.vertx = vertx;
    database = await(Database.open(vertx, TestDatabases.sqlite(directory)));
    server.joinRoom(ROOM);
  }

  @AfterEach
  void closeStore() throws Exception {
    await(database.close());
  }

  private static byte[] filled(int value) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) value);
    return key;
  }

  private BotDevice started(byte[] stateKey) throws Exception {
    BotDevice device = new BotDevice(vertx, database, stateKey, List.of(), server.client(), AS_TOKEN, BOT,
        BotDevice.DEVICE_PREFIX);
    await(device.start());
    return device;
  }

  @Test
  void startCreatesAndPublishesADeviceThatARestartOnTheSameStoreKeeps() throws Exception {
    BotDevice bot = started(STATE_KEY);
    assertTrue(bot.deviceId().matches("PRAATBRUG_[0-9A-F]{8}"), bot.deviceId());
    assertEquals(List.of(bot.deviceId()), server.logins());
    DeviceInfo published = server.deviceInfo(BOT, bot.deviceId()).orElseThrow(() -> new AssertionError("no self-signed device keys"));
    assertEquals(bot.curve25519(), published.curve25519());
    assertEquals(KeyPublisher.ONE_TIME_KEY_TARGET, server.oneTimeKeyCount(BOT, bot.deviceId()));
    assertTrue(server.uploads().stream().anyMatch(upload -> upload.containsKey("fallback_keys")), "a fallback key is published");

    BotDevice restarted = started(STATE_KEY);
    assertEquals(bot.deviceId(), restarted.deviceId());
    assertEquals(bot.curve25519(), restarted.curve25519());
    assertEquals(1, server.logins().size(), "the saved token still works: no second log-in");
    assertEquals(KeyPublisher.ONE_TIME_KEY_TARGET, server.oneTimeKeyCount(BOT, bot.deviceId()), "no keys beyond the target");
    assertEquals(List.of(), server.deletedDevices());
  }

  @Test
  void stateThatTheKeyDoesNotOpenStartsANewDeviceAndRetiresTheOldOne() throws Exception {
    BotDevice before = started(STATE_KEY);
    BotDevice after = started(filled(8));
    assertNotEquals(before.deviceId(), after.deviceId());
    assertEquals(List.of(before.deviceId(), after.deviceId()), server.logins());
    assertEquals(List.of(before.deviceId()), server.deletedDevices(), "nobody can read what is encrypted for the old device");
  }

  @Test
  void aNoticeSharesTheRoomKeyWithEveryDeviceInOneSendAndTheNextNoticeReusesIt() throws Exception {
    BotDevice bot = started(STATE_KEY);
    Device phone = server.addDevice(AN, "PHONE");
    Device laptop = server.addDevice(AN, "LAPTOP");

    notice(bot, "first");
    List<ToDeviceSend> sends = server.toDeviceSends();
    assertEquals(1, sends.size(), "one to-device send for both devices");
    assertEquals("m.room.encrypted", sends.get(0).type());
    assertEquals(Set.of(AN), sends.get(0).messages().fieldNames());
    assertEquals(Set.of("PHONE", "LAPTOP"), sends.get(0).messages().getJsonObject(AN).fieldNames());
    FakeHomeserver.RoomSend first = server.roomSends().get(0);
    assertEquals(ROOM, first.roomId());
    assertEquals("m.room.encrypted", first.type());
    assertEquals(RoomCrypto.MEGOLM, first.content().getString("algorithm"));
    assertFalse(first.content().encode().contains("first"), "no plaintext in the room");
    RoomCrypto phoneReads = readerOf(phone, sends.get(0));
    RoomCrypto laptopReads = readerOf(laptop, sends.get(0));
    assertEquals("first", phoneReads.decrypt(ROOM, BOT, "$1", 1, first.content()).content().getString("body"));
    assertEquals("first", laptopReads.decrypt(ROOM, BOT, "$1", 1, first.content()).content().getString("body"));

    notice(bot, "second");
    assertEquals(1, server.toDeviceSends().size(), "the Megolm session is reused: no new to-device send");
    FakeHomeserver.RoomSend second = server.roomSends().get(1);
    assertEquals(first.content().getString("session_id"), second.content().getString("session_id"));
    assertEquals("second", phoneReads.decrypt(ROOM, BOT, "$2", 2, second.content()).content().getString("body"));
  }

  @Test
  void aReportedDeviceListChangeSharesTheKeyWithTheNewDeviceOnly() throws Exception {
    BotDevice bot = started(STATE_KEY);
    server.addDevice(AN, "PHONE");
    server.addDevice(AN, "LAPTOP");
    notice(bot, "first");
    Device tablet = server.addDevice(AN, "TABLET");
    await(bot.acceptTransaction(new JsonObject().put("org.matrix.msc3202.device_lists",
        new JsonObject().put("changed", new JsonArray().add(AN)).put("left", new JsonArray()))));

    notice(bot, "second");
    List<ToDeviceSend> sends = server.toDeviceSends();
    assertEquals(2, sends.size());
    assertEquals(Set.of("TABLET"), sends.get(1).messages().getJsonObject(AN).fieldNames(), "the new device only");
    FakeHomeserver.RoomSend second = server.roomSends().get(1);
    assertEquals(server.roomSends().get(0).content().getString("session_id"), second.content().getString("session_id"),
        "a device added is no reason to rotate");
    assertEquals("second", readerOf(tablet, sends.get(1)).decrypt(ROOM, BOT, "$2", 2, second.content())
        .content().getString("body"));
  }

  @Test
  void aRoomKeyFromAListedDeviceIsKeptAndItsEventsDecryptAlsoAfterARestart() throws Exception {
    BotDevice bot = started(STATE_KEY);
    Device phone = server.addDevice(AN, "PHONE");
    RoomCrypto.Outbound phoneSession = outboundSession();
    await(bot.acceptTransaction(toDevice(bot, AN, roomKeyFrom(phone, bot, phoneSession, phone.olm().ed25519()))));

    JsonObject event = roomEvent(phone, phoneSession, "$1", "!hulp");
    assertEquals("!hulp", await(bot.decryptIfKnown(event)).orElseThrow().content().getString("body"));
    assertEquals(phone.olm().ed25519(), await(bot.decryptIfKnown(event)).orElseThrow().senderEd25519());
    BotDevice restarted = started(STATE_KEY);
    assertEquals("later", await(restarted.decryptIfKnown(roomEvent(phone, phoneSession, "$2", "later")))
        .orElseThrow().content().getString("body"), "the room key was kept in the store");
  }

  @Test
  void aRoomKeyFromADeviceTheSendersListDoesNotNameIsRefused() throws Exception {
    BotDevice bot = started(STATE_KEY);
    server.addDevice(AN, "PHONE");
    // Someone with an's user id (or the homeserver) on a device an's device list does not name.
    Device ghost = new Device(AN, "GHOST", new OlmChannel(OlmAccount.create(), AN, "GHOST"));
    RoomCrypto.Outbound ghostSession = outboundSession();
    await(bot.acceptTransaction(toDevice(bot, AN, roomKeyFrom(ghost, bot, ghostSession, ghost.olm().ed25519()))));

    assertTrue(await(bot.decryptIfKnown(roomEvent(ghost, ghostSession, "$1", "x"))).isEmpty(), "room key not kept");
    SealedStateStore store = new SealedStateStore(database, STATE_KEY);
    assertTrue(await(store.all("olm")).keySet().stream().noneMatch(key -> key.startsWith(ghost.olm().curve25519() + "|")),
        "its Olm session is not kept either");
    assertTrue(await(store.all("megolm_in")).isEmpty());
  }

  @Test
  void aRoomKeyClaimingAnotherDevicesSigningKeyIsRefused() throws Exception {
    BotDevice bot = started(STATE_KEY);
    Device phone = server.addDevice(AN, "PHONE");
    Device laptop = server.addDevice(AN, "LAPTOP");
    // The phone's Olm identity, but the laptop's signing key claimed: no listed device has both.
    RoomCrypto.Outbound phoneSession = outboundSession();
    await(bot.acceptTransaction(toDevice(bot, AN, roomKeyFrom(phone, bot, phoneSession, laptop.olm().ed25519()))));

    assertTrue(await(bot.decryptIfKnown(roomEvent(phone, phoneSession, "$1", "x"))).isEmpty(), "room key not kept");
  }

  @Test
  void aLowOneTimeKeyCountInATransactionTopsTheKeysUp() throws Exception {
    BotDevice bot = started(STATE_KEY);
    int uploads = server.uploads().size();
    // Half the target is still enough: nothing is uploaded.
    await(bot.acceptTransaction(keyCount(bot, KeyPublisher.ONE_TIME_KEY_TARGET / 2)));
    assertEquals(uploads, server.uploads().size());

    int left = server.spendOneTimeKeys(BOT, bot.deviceId(), KeyPublisher.ONE_TIME_KEY_TARGET - 5);
    assertEquals(5, left);
    await(bot.acceptTransaction(keyCount(bot, left)));
    List<JsonObject> after = server.uploads();
    assertEquals(uploads + 1, after.size());
    JsonObject upload = after.get(after.size() - 1);
    assertEquals(KeyPublisher.ONE_TIME_KEY_TARGET - 5, upload.getJsonObject("one_time_keys").size());
    assertFalse(upload.containsKey("device_keys"), "device keys go up once per start");
    assertEquals(KeyPublisher.ONE_TIME_KEY_TARGET, server.oneTimeKeyCount(BOT, bot.deviceId()));
  }

  private void notice(BotDevice bot, String body) throws Exception {
    await(bot.sendEncrypted(ROOM, Set.of(BOT, AN), "m.room.message",
        new JsonObject().put("msgtype", "m.notice").put("body", body), "txn" + ++txn,
        RoomCrypto.DEFAULT_ROTATION_MS, RoomCrypto.DEFAULT_ROTATION_MSGS));
  }

  /** What {@code device} makes of its part of a to-device send: the bot's room key, ready to read the room. */
  private static RoomCrypto readerOf(Device device, ToDeviceSend send) {
    JsonObject content = send.messages().getJsonObject(device.userId()).getJsonObject(device.deviceId());
    OlmChannel.Opened opened = device.olm().decrypt(BOT, content);
    assertEquals("m.room_key", opened.payload().getString("type"));
    JsonObject roomKey = opened.payload().getJsonObject("content");
    assertEquals(ROOM, roomKey.getString("room_id"));
    RoomCrypto reader = new RoomCrypto();
    reader.acceptRoomKey(roomKey, BOT, opened.senderKey(), opened.payload().getJsonObject("keys").getString("ed25519"));
    return reader;
  }

  private static RoomCrypto.Outbound outboundSession() {
    return new RoomCrypto().outboundFor(ROOM, Set.of(), RoomCrypto.DEFAULT_ROTATION_MS, RoomCrypto.DEFAULT_ROTATION_MSGS,
        System.currentTimeMillis());
  }

  /**
   * An {@code m.room_key} from {@code device} to the bot, claiming {@code claimedEd25519} as its
   * signing key: a real Olm pre-key message on a one-time key claimed from the homeserver.
   */
  private JsonObject roomKeyFrom(Device device, BotDevice bot, RoomCrypto.Outbound session, String claimedEd25519) {
    DeviceInfo botDevice = server.deviceInfo(BOT, bot.deviceId()).orElseThrow();
    OlmSession olm = device.olm().startSession(botDevice, server.claimOneTimeKey(BOT, bot.deviceId()));
    JsonObject payload = new JsonObject().put("type", "m.room_key").put("content", RoomCrypto.roomKeyContent(ROOM, session.session))
        .put("sender", device.userId()).put("sender_device", device.deviceId())
        .put("keys", new JsonObject().put("ed25519", claimedEd25519))
        .put("recipient", BOT).put("recipient_keys", new JsonObject().put("ed25519", botDevice.ed25519()));
    OlmMessage message = olm.encrypt(payload.encode());
    assertTrue(message.isPreKey());
    return new JsonObject().put("algorithm", OlmChannel.OLM).put("sender_key", device.olm().curve25519())
        .put("ciphertext", new JsonObject().put(botDevice.curve25519(),
            new JsonObject().put("type", message.type()).put("body", message.body())));
  }

  /** An appservice transaction carrying one to-device event for the bot's device (MSC2409). */
  private static JsonObject toDevice(BotDevice bot, String sender, JsonObject content) {
    JsonObject event = new JsonObject().put("type", "m.room.encrypted").put("sender", sender)
        .put("to_user_id", BOT).put("to_device_id", bot.deviceId()).put("content", content);
    return new JsonObject().put("de.sorunome.msc2409.to_device", new JsonArray().add(event));
  }

  /** An appservice transaction reporting the device's one-time key count (MSC3202). */
  private static JsonObject keyCount(BotDevice bot, int count) {
    return new JsonObject().put("org.matrix.msc3202.device_one_time_keys_count", new JsonObject().put(BOT,
        new JsonObject().put(bot.deviceId(), new JsonObject().put("signed_curve25519", count))));
  }

  private static JsonObject roomEvent(Device device, RoomCrypto.Outbound session, String eventId, String body) {
    JsonObject content = RoomCrypto.encrypt(session, ROOM, "m.room.message", new JsonObject().put("msgtype", "m.text")
        .put("body", body), device.olm().curve25519(), device.deviceId());
    return new JsonObject().put("type", "m.room.encrypted").put("room_id", ROOM).put("sender", device.userId())
        .put("event_id", eventId).put("origin_server_ts", 1_000L).put("content", content);
  }
}
