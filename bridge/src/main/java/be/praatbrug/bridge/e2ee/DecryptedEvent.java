package be.praatbrug.bridge.e2ee;

import io.vertx.core.json.JsonObject;

/**
 * A room event the bot decrypted: its real type and content, and the Ed25519 key of the device
 * whose room key opened it (that device was checked against the sender's device list).
 */
public record DecryptedEvent(String type, JsonObject content, String senderEd25519) {

  @Override
  public String toString() {
    return "DecryptedEvent[type=" + type + "]";
  }
}
