package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.matrix.HomeserverHttp;
import be.praatbrug.bridge.store.Database;
import be.praatbrug.crypto.CryptoException;
import be.praatbrug.crypto.olm.OlmAccount;
import be.praatbrug.crypto.olm.OlmSession;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot as an end-to-end encryption device: a stable device id (logged in through the
 * appservice), its Olm account and sessions kept sealed in the store, keys published on the
 * homeserver, to-device messages (room keys) and key counts taken from appservice transactions
 * (Synapse refuses {@code /sync} to an appservice's own user), room keys lost while the bridge
 * was down asked for again ({@link KeyRequests}), and encrypted sending and decrypting of room
 * events. Every state change runs one at a time ({@link #serial}); crypto work runs on worker
 * threads, never on the event loop. Logs name counts and ids of keys, never keys or content.
 */
public final class BotDevice {

  /** Device ids are this prefix and 8 hex digits of the account's fingerprint key: a new account is a new device. */
  public static final String DEVICE_PREFIX = "PRAATBRUG";
  private static final Logger LOG = LoggerFactory.getLogger(BotDevice.class);
  private static final long KEY_WAIT_MS = 20_000;
  /** A room key usually comes in the same or the next transaction; only after this long does the bot ask for it. */
  private static final long KEY_REQUEST_DELAY_MS = 2_000;
  /** To-device messages worked on per sender per minute (see {@link ToDeviceQuota}). */
  static final int TO_DEVICE_PER_SENDER_PER_MINUTE = 100;

  private final Vertx vertx;
  private final DeviceHomeserver http;
  private final SealedStateStore store;
  private final List<byte[]> olderStateKeys;
  private final String asToken;
  private final String botUserId;
  private final String botLocalpart;
  private final String devicePrefix;
  private String deviceId;
  private final RoomCrypto rooms = new RoomCrypto();
  private final DeviceDirectory directory;
  private final MissingKeys missingKeys;
  private final BotRooms botRooms;
  private final ToDeviceQuota quota = new ToDeviceQuota(TO_DEVICE_PER_SENDER_PER_MINUTE, 60_000);
  private OlmChannel olm;
  private KeyRequests keyRequests;
  private KeyPublisher keys;
  private volatile java.util.function.Predicate<String> refuseRoomKeys = roomId -> false;
  private Future<?> tail = Future.succeededFuture();

  /**
   * @param olderStateKeys keys the state may still be sealed under (before a rotation of the
   *     bridge secret), newest first: the state is re-sealed once with {@code stateKey}
   */
  public BotDevice(Vertx vertx, Database database, byte[] stateKey, List<byte[]> olderStateKeys,
      HomeserverHttp homeserver, String asToken, String botUserId, String devicePrefix) {
    this(vertx, database, stateKey, olderStateKeys, new DeviceClient(homeserver), asToken, botUserId, devicePrefix);
  }

  /** The same over any homeserver key API (tests give it a fake homeserver). */
  BotDevice(Vertx vertx, Database database, byte[] stateKey, List<byte[]> olderStateKeys,
      DeviceHomeserver http, String asToken, String botUserId, String devicePrefix) {
    this.vertx = vertx;
    this.http = http;
    this.store = new SealedStateStore(database, stateKey);
    this.olderStateKeys = List.copyOf(olderStateKeys);
    this.asToken = asToken;
    this.botUserId = botUserId;
    this.botLocalpart = botUserId.substring(1, botUserId.indexOf(':'));
    this.devicePrefix = devicePrefix;
    this.directory = new DeviceDirectory(http, botUserId, System::currentTimeMillis);
    this.botRooms = new BotRooms(botUserId);
    this.missingKeys = new MissingKeys(vertx, KEY_REQUEST_DELAY_MS, KEY_WAIT_MS, this::askForKey, this::finishKeyRequest);
  }

  /** Rooms whose room keys the device must not keep (counselling rooms: the bot does not read them). */
  public void refuseRoomKeysFor(java.util.function.Predicate<String> rooms) {
    this.refuseRoomKeys = rooms;
  }

  public String userId() {
    return botUserId;
  }

  public String deviceId() {
    return deviceId;
  }

  public String curve25519() {
    return olm.curve25519();
  }

  /**
   * Loads or creates the account, makes sure the device is logged in and its keys are published.
   * State sealed under an older key (the bridge secret was rotated) is re-sealed first and kept;
   * state that no known key opens is dropped: a new device starts.
   */
  public Future<Void> start() {
    return store.get("account", "bot")
        .recover(failure -> failure instanceof java.security.GeneralSecurityException
            ? store.resealFromAny(olderStateKeys).compose(resealed -> resealed
                ? store.get("account", "bot") : Future.failedFuture(failure))
            : Future.failedFuture(failure))
        .compose(saved -> saved.isPresent() ? restore(saved.get()) : create())
        .recover(failure -> {
          if (!(failure instanceof java.security.GeneralSecurityException)) {
            return Future.failedFuture(failure);
          }
          LOG.warn("E2EE state does not open with the current key ({}); starting a new device", failure.getMessage());
          return store.clear().compose(cleared -> create());
        })
        // Device keys once per start, and one-time keys up to the target.
        .compose(done -> serial(() -> keys.topUp(true, -1, false, true)))
        .compose(done -> keys.crossSign(asToken))
        .compose(done -> keys.retireEarlierDevices(asToken, devicePrefix))
        .compose(done -> http.joinedRooms())
        .map(joined -> {
          botRooms.addAll(joined.getJsonArray("joined_rooms", new io.vertx.core.json.JsonArray()));
          return (Void) null;
        })
        .onSuccess(done -> LOG.info("E2EE device {} ready (curve25519 {})", deviceId, olm.curve25519()));
  }

  private Future<Void> create() {
    OlmAccount account = OlmAccount.create();
    useAccount(account);
    olm.account().generateFallbackKey();
    return keys.saveAccount().compose(saved -> login());
  }

  private Future<Void> restore(byte[] accountState) {
    return blocking(() -> OlmAccount.fromState(accountState)).compose(account -> {
      useAccount(account);
      return store.all("olm");
    }).compose(sessions -> {
      sessions.forEach((key, state) -> olm.restore(key.substring(0, key.indexOf('|')), OlmSession.fromState(state)));
      return store.all("megolm_in");
    }).compose(inbound -> {
      inbound.forEach((key, state) -> rooms.restoreInbound(key, InboundEntries.read(state)));
      return store.get("device", "access_token");
    }).compose(token -> {
      if (token.isEmpty()) {
        return login();
      }
      http.useAccessToken(new String(token.get(), StandardCharsets.UTF_8));
      return http.tokenWorksFor(deviceId).compose(works -> works ? Future.succeededFuture() : login());
    });
  }

  private void useAccount(OlmAccount account) {
    deviceId = deviceIdFor(account);
    olm = new OlmChannel(account, botUserId, deviceId);
    keyRequests = new KeyRequests(deviceId);
    keys = new KeyPublisher(http, store, olm, botUserId, deviceId);
  }

  private String deviceIdFor(OlmAccount account) {
    byte[] fingerprint = be.praatbrug.crypto.Primitives.sha256(
        be.praatbrug.crypto.Base64s.decodeKey(account.identityKeys().ed25519(), "ed25519"));
    return devicePrefix + "_" + java.util.HexFormat.of().withUpperCase().formatHex(fingerprint, 0, 4);
  }

  private Future<Void> login() {
    return http.loginAsAppService(asToken, botLocalpart, deviceId).compose(token -> {
      http.useAccessToken(token);
      return store.put("device", "access_token", token.getBytes(StandardCharsets.UTF_8));
    });
  }

  /**
   * Takes the device data of one appservice transaction: to-device messages addressed to this
   * device (MSC2409) and its one-time key count and unused fallback key types (MSC3202).
   */
  public Future<Void> acceptTransaction(JsonObject body) {
    // The bot's own joins and invites first: a room key in this transaction may be for that room.
    botRooms.observe(body);
    // Changed device lists before anything is sent: a new device of a member must get the room key.
    directory.changed(TransactionDeviceData.deviceListChanges(body));
    TransactionDeviceData data = TransactionDeviceData.parse(body, botUserId, deviceId);
    if (data.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonArray taken = quota.filter(data.toDevice());
    return serial(() -> handleDeviceData(taken, data.oneTimeKeys(), data.renewFallback()));
  }

  private Future<Void> handleDeviceData(JsonArray events, int oneTimeKeys, boolean renewFallback) {
    Future<Void> chain = Future.succeededFuture();
    for (Object item : events) {
      JsonObject event = (JsonObject) item;
      if ("m.room.encrypted".equals(event.getString("type"))) {
        chain = chain.compose(done -> receiveToDevice(event).recover(failure -> {
          LOG.warn("to-device message refused: {}", failure.getMessage());
          return Future.succeededFuture();
        }));
      }
    }
    if ((oneTimeKeys >= 0 && oneTimeKeys < KeyPublisher.ONE_TIME_KEY_TARGET / 2) || renewFallback) {
      chain = chain.compose(done -> keys.topUp(false, Math.max(oneTimeKeys, 0), renewFallback, false));
    }
    return chain;
  }

  private Future<Void> receiveToDevice(JsonObject event) {
    String sender = event.getString("sender");
    JsonObject content = event.getJsonObject("content", new JsonObject());
    return blocking(() -> olm.decrypt(sender, content)).compose(opened -> !opened.accountChanged()
        ? Future.succeededFuture(opened) : keepNewSession(sender, opened)).compose(opened -> {
      Future<Void> saved = store.put("olm", OlmChannel.sessionKey(opened.senderKey(), opened.session()), opened.session().toState())
          .compose(done -> deleteEvicted());
      String type = opened.payload().getString("type", "");
      if ("m.forwarded_room_key".equals(type)) {
        return saved.compose(done -> acceptForwardedKey(opened, sender));
      }
      if (!"m.room_key".equals(type)) {
        return saved;
      }
      JsonObject roomKey = opened.payload().getJsonObject("content", new JsonObject());
      if (!readsRoom(roomKey.getString("room_id", ""))) {
        LOG.debug("room key for a room the bot does not read: not kept");
        return saved;
      }
      String claimedEd25519 = opened.payload().getJsonObject("keys", new JsonObject()).getString("ed25519");
      return saved.compose(done -> keepFromListedDevice(sender, opened.senderKey(), claimedEd25519,
          () -> rooms.acceptRoomKey(roomKey, sender, opened.senderKey(), claimedEd25519)));
    });
  }

  /** The bot keeps room keys only for rooms it is in, and never for counselling rooms. */
  private boolean readsRoom(String roomId) {
    return botRooms.contains(roomId) && !refuseRoomKeys.test(roomId);
  }

  /**
   * A pre-key message made a new Olm session (and spent a one-time key, so the account is saved
   * either way): it is kept only when the sender's device list names its identity key, so made-up
   * identities cannot pile sessions up. Anything else is refused.
   */
  private Future<OlmChannel.Opened> keepNewSession(String sender, OlmChannel.Opened opened) {
    return keys.saveAccount().compose(saved -> directory.lists(sender, opened.senderKey())).compose(listed -> {
      if (listed) {
        return Future.succeededFuture(opened);
      }
      olm.forget(opened.senderKey(), opened.session());
      return Future.failedFuture(new CryptoException(CryptoException.Reason.BAD_INPUT,
          "new Olm session from a device the sender does not list: not kept"));
    });
  }

  /** Deletes the Olm sessions dropped to stay within the per-device cap. */
  private Future<Void> deleteEvicted() {
    Future<Void> deleted = Future.succeededFuture();
    for (String key : olm.drainEvicted()) {
      deleted = deleted.compose(done -> store.delete("olm", key));
    }
    return deleted;
  }

  /**
   * Keeps a room key ({@code accept}, on a worker thread) only when the sender's device list names
   * a device with these keys: an Olm payload only claims the sender's signing key.
   */
  private Future<Void> keepFromListedDevice(String sender, String curve25519, String ed25519, Callable<Optional<String>> accept) {
    return directory.deviceWithKeys(sender, curve25519, ed25519).compose(device -> device.isEmpty()
        ? Future.failedFuture(new CryptoException(CryptoException.Reason.BAD_INPUT, "room key from a device the sender does not list"))
        : blocking(accept).compose(kept -> kept.map(this::storeInbound).orElse(Future.succeededFuture())));
  }

  /**
   * Takes a room key the bot asked for ({@link KeyRequests}) and that the session's own creator sent
   * again: its Olm identity is the session's sender key, and the sender's device list names that
   * device with the claimed signing key. Anything else is not kept.
   */
  private Future<Void> acceptForwardedKey(OlmChannel.Opened opened, String sender) {
    JsonObject forwarded = opened.payload().getJsonObject("content", new JsonObject());
    String claimedEd25519 = forwarded.getString("sender_claimed_ed25519_key", "");
    Optional<String> refusal = keyRequests.refusal(sender, opened.senderKey(), opened.payload());
    if (refusal.isPresent() || !readsRoom(forwarded.getString("room_id", ""))) {
      LOG.info("forwarded room key not kept: {}", refusal.orElse("a room the bot does not read"));
      return Future.succeededFuture();
    }
    return keepFromListedDevice(sender, opened.senderKey(), claimedEd25519, () -> {
      Optional<String> kept = rooms.acceptForwardedKey(forwarded, sender, claimedEd25519);
      kept.ifPresent(key -> LOG.info("forwarded room key of session {} accepted", forwarded.getString("session_id")));
      return kept;
    });
  }

  private Future<Void> storeInbound(String key) {
    RoomCrypto.Inbound entry = rooms.inbound(key).orElseThrow();
    LOG.debug("room key received for session {}", entry.session().sessionId());
    return store.put("megolm_in", key, InboundEntries.write(entry)).map(done -> {
      missingKeys.arrived(key);
      return done;
    });
  }

  /**
   * Encrypts one event for a room and sends it as the bot device: the room's Megolm session is
   * shared first over Olm with every device of {@code members} that does not have it yet.
   */
  public Future<String> sendEncrypted(String roomId, Set<String> members, String type, JsonObject content, String txnId,
      long rotationMs, int rotationMsgs) {
    return serial(() -> directory.devicesOf(members).compose(devices -> {
      Set<String> curves = new java.util.HashSet<>();
      devices.forEach(device -> curves.add(device.curve25519()));
      RoomCrypto.Outbound room = rooms.outboundFor(roomId, curves, rotationMs, rotationMsgs, System.currentTimeMillis());
      List<DeviceInfo> missing = devices.stream().filter(device -> !room.sharedWith.contains(device.curve25519())).toList();
      return shareRoomKey(roomId, room, missing)
          .compose(shared -> blocking(() -> RoomCrypto.encrypt(room, roomId, type, content, olm.curve25519(), deviceId)))
          .compose(encrypted -> http.sendRoomEvent(roomId, "m.room.encrypted", txnId, encrypted));
    }));
  }

  private Future<Void> shareRoomKey(String roomId, RoomCrypto.Outbound room, List<DeviceInfo> devices) {
    if (devices.isEmpty()) {
      return Future.succeededFuture();
    }
    return sendOverOlm(devices, "m.room_key", RoomCrypto.roomKeyContent(roomId, room.session)).map(sent -> {
      devices.forEach(device -> room.sharedWith.add(device.curve25519()));
      return sent;
    });
  }

  /** Sends one payload to each device over Olm, starting sessions (claiming one-time keys) where needed. */
  private Future<Void> sendOverOlm(List<DeviceInfo> devices, String type, JsonObject payload) {
    List<DeviceInfo> withoutSession = devices.stream().filter(device -> olm.sessionFor(device.curve25519()).isEmpty()).toList();
    return directory.claimOneTimeKeys(withoutSession).compose(claimed -> blocking(() -> {
      JsonObject messages = new JsonObject();
      List<Map.Entry<String, byte[]>> sessionsToSave = new ArrayList<>();
      for (DeviceInfo device : devices) {
        Optional<OlmSession> session = olm.sessionFor(device.curve25519());
        if (session.isEmpty() && claimed.containsKey(device.curve25519())) {
          session = Optional.of(olm.startSession(device, claimed.get(device.curve25519())));
        }
        if (session.isEmpty()) {
          LOG.warn("device {} of a room member has no one-time key left; it cannot read the bot's messages", device.deviceId());
          continue;
        }
        JsonObject encrypted = olm.encrypt(device, session.get(), type, payload);
        JsonObject byUser = messages.getJsonObject(device.userId(), new JsonObject());
        messages.put(device.userId(), byUser.put(device.deviceId(), encrypted));
        sessionsToSave.add(Map.entry(OlmChannel.sessionKey(device.curve25519(), session.get()), session.get().toState()));
      }
      return Map.entry(messages, sessionsToSave);
    })).compose(prepared -> {
      Future<Void> saved = Future.succeededFuture();
      for (Map.Entry<String, byte[]> session : prepared.getValue()) {
        saved = saved.compose(done -> store.put("olm", session.getKey(), session.getValue()));
      }
      return saved.compose(done -> deleteEvicted()).compose(done -> prepared.getKey().isEmpty() ? Future.succeededFuture()
          : http.sendToDevice("m.room.encrypted", UUID.randomUUID().toString(), prepared.getKey()));
    });
  }

  /**
   * Decrypts a room event ({@code m.room.encrypted}, Megolm) whose room key was not there when
   * {@link #decryptIfKnown} tried: waits up to 20 s for the key ({@link MissingKeys}); from 2 s on
   * it also asks the sender's devices for it, since a key sent while the bridge was down never
   * comes again.
   */
  public Future<DecryptedEvent> decryptOnceKeyArrives(JsonObject event) {
    String key = inboundKeyOf(event);
    return rooms.inbound(key).isPresent() ? decryptNow(event)
        : missingKeys.awaitKey(key, event).compose(ready -> decryptNow(event));
  }

  private void askForKey(JsonObject event, String key) {
    JsonObject content = event.getJsonObject("content", new JsonObject());
    if (rooms.inbound(key).isPresent()) {
      return;
    }
    keyRequests.ask(event.getString("sender"), event.getString("room_id"), content.getString("sender_key", ""),
        content.getString("session_id", "")).ifPresent(messages ->
        http.sendToDevice("m.room_key_request", UUID.randomUUID().toString(), messages)
            .onSuccess(sent -> LOG.info("asked the sender's devices for the missing key of session {}", content.getString("session_id")))
            .onFailure(failure -> LOG.warn("could not ask for a missing room key: {}", failure.getMessage())));
  }

  private void finishKeyRequest(String key) {
    keyRequests.finish(key).ifPresent(messages ->
        http.sendToDevice("m.room_key_request", UUID.randomUUID().toString(), messages)
            .onFailure(failure -> LOG.debug("key request cancellation not sent: {}", failure.getMessage())));
  }

  /** Decrypts at once if the room key is here; empty when it is not (yet). */
  public Future<Optional<DecryptedEvent>> decryptIfKnown(JsonObject event) {
    return decryptNow(event).map(Optional::of).recover(failure ->
        failure instanceof CryptoException crypto && crypto.reason() == CryptoException.Reason.BAD_MESSAGE_KEY_ID
            && rooms.inbound(inboundKeyOf(event)).isEmpty()
            ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(failure));
  }

  private static String inboundKeyOf(JsonObject event) {
    JsonObject content = event.getJsonObject("content", new JsonObject());
    return RoomCrypto.inboundKey(event.getString("room_id"), content.getString("sender_key", ""), content.getString("session_id", ""));
  }

  /**
   * Not queued behind the device's state changes: a room event must not wait for a backlog of
   * to-device messages. A key still in that backlog makes the event wait for it instead
   * ({@link #decryptOnceKeyArrives}).
   */
  private Future<DecryptedEvent> decryptNow(JsonObject event) {
    return vertx.executeBlocking(() -> rooms.decrypt(event.getString("room_id"), event.getString("sender"),
        event.getString("event_id"), event.getLong("origin_server_ts", 0L), event.getJsonObject("content", new JsonObject())), false);
  }

  /** Runs state-changing work strictly one after another, in call order. */
  private synchronized <T> Future<T> serial(Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    tail = tail.transform(previous -> {
      Future<T> running;
      try {
        running = work.get();
      } catch (RuntimeException e) {
        running = Future.failedFuture(e);
      }
      running.onComplete(result);
      return running.transform(done -> Future.succeededFuture());
    });
    return result.future();
  }

  private <T> Future<T> blocking(Callable<T> work) {
    return vertx.executeBlocking(work);
  }
}
