package be.praatbrug.bridge.appservice;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Takes the device data of a transaction body: to-device messages
 * ({@code de.sorunome.msc2409.to_device}) and one-time key counts
 * ({@code org.matrix.msc3202.device_one_time_keys_count}), for the bot's E2EE device.
 */
@FunctionalInterface
public interface DeviceDataSink {
  Future<Void> accept(JsonObject transactionBody);
}
