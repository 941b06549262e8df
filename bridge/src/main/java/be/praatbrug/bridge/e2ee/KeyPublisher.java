package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.olm.OlmAccount;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the bot device's keys published: device keys once per start, one-time keys topped up to
 * a target, a used fallback key renewed, and the device signed by the bot's cross-signing keys so
 * clients (Element) show it as verified by its owner. Earlier devices of the bot (its state was
 * reset) are deleted, so clients stop sharing keys with them. Key uploads that follow a
 * transaction run in the device's serial order; the start-up steps run before transactions are let in.
 */
final class KeyPublisher {

  static final int ONE_TIME_KEY_TARGET = 50;
  private static final Logger LOG = LoggerFactory.getLogger(KeyPublisher.class);

  private final DeviceHomeserver http;
  private final SealedStateStore store;
  private final OlmChannel olm;
  private final String botUserId;
  private final String deviceId;

  KeyPublisher(DeviceHomeserver http, SealedStateStore store, OlmChannel olm, String botUserId, String deviceId) {
    this.http = http;
    this.store = store;
    this.olm = olm;
    this.botUserId = botUserId;
    this.deviceId = deviceId;
  }

  Future<Void> saveAccount() {
    return store.put("account", "bot", olm.account().toState());
  }

  /**
   * One upload, generating keys first when the server holds fewer than the target
   * ({@code serverCount}, -1 when unknown); when the server then still holds too few, one more
   * round ({@code again}).
   */
  Future<Void> topUp(boolean withDeviceKeys, int serverCount, boolean renewFallback, boolean again) {
    OlmAccount account = olm.account();
    if (renewFallback) {
      account.generateFallbackKey();
    }
    if (serverCount >= 0 && serverCount < ONE_TIME_KEY_TARGET) {
      account.generateOneTimeKeys(ONE_TIME_KEY_TARGET - serverCount);
    }
    JsonObject body = KeyUploads.body(olm, botUserId, deviceId, withDeviceKeys);
    return saveAccount().compose(saved -> http.uploadKeys(body)).compose(response -> {
      account.markKeysAsPublished();
      int count = response.getJsonObject("one_time_key_counts", new JsonObject()).getInteger("signed_curve25519", 0);
      if (count < ONE_TIME_KEY_TARGET && again) {
        return topUp(false, count, false, false);
      }
      return saveAccount();
    });
  }

  /**
   * Makes sure the bot has cross-signing keys on the homeserver and that they sign this device.
   * Not fatal: without it the device works, clients only show it as not verified by its owner.
   */
  Future<Void> crossSign(String asToken) {
    return store.get("cross_signing", "bot").compose(saved -> {
      boolean fresh = saved.isEmpty();
      CrossSigning keys = fresh ? CrossSigning.create() : CrossSigning.fromState(saved.get());
      Future<Void> uploaded = fresh
          ? store.put("cross_signing", "bot", keys.toState())
              .compose(done -> http.uploadSigningKeys(keys.uploadBody(botUserId), asToken)).mapEmpty()
          : Future.succeededFuture();
      JsonObject deviceKeys = KeyUploads.body(olm, botUserId, deviceId, true).getJsonObject("device_keys");
      return uploaded.compose(done -> http.uploadSignatures(keys.deviceSignatureBody(botUserId, deviceId, deviceKeys)))
          .compose(response -> {
            JsonObject failures = response.getJsonObject("failures", new JsonObject());
            return failures.isEmpty() ? Future.<Void>succeededFuture()
                : Future.failedFuture(new IllegalStateException("device signature refused: " + failures.encode()));
          })
          .onSuccess(done -> LOG.info("E2EE device {} is cross-signed (master key {})", deviceId, keys.masterPublicKey()));
    }).recover(failure -> {
      LOG.warn("could not cross-sign the bot's device; clients will show it as unverified: {}", failure.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Deletes the bot's other Praatbrug devices ({@code prefix} and 8 hex digits): they belonged to
   * an earlier state of this bridge that is gone, so nobody can read what is encrypted for them.
   * Devices with other names (a person who logged in as the bot) are left alone. Not fatal.
   */
  Future<Void> retireEarlierDevices(String asToken, String prefix) {
    return http.listDevices(asToken).compose(response -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object item : response.getJsonArray("devices", new JsonArray())) {
        String id = item instanceof JsonObject device ? device.getString("device_id", "") : "";
        if (id.matches(Pattern.quote(prefix) + "_[0-9A-F]{8}") && !id.equals(deviceId)) {
          chain = chain.compose(done -> http.deleteDevice(id, asToken)
              .onSuccess(deleted -> LOG.info("deleted the bot's earlier E2EE device {}", id)));
        }
      }
      return chain;
    }).recover(failure -> {
      LOG.warn("could not delete the bot's earlier devices; clients keep encrypting for them: {}", failure.toString());
      return Future.succeededFuture();
    });
  }
}
