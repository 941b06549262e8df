package be.praatbrug.bridge.e2ee;

import be.praatbrug.crypto.megolm.InboundGroupSession;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Saved form of a received room key: who sent it and the session. */
final class InboundEntries {
  private InboundEntries() {}

  static byte[] write(RoomCrypto.Inbound entry) {
    JsonObject json = new JsonObject().put("sender", entry.senderUserId()).put("ed25519", entry.senderEd25519())
        .put("session", java.util.Base64.getEncoder().encodeToString(entry.session().toState()));
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }

  static RoomCrypto.Inbound read(byte[] bytes) {
    JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    return new RoomCrypto.Inbound(InboundGroupSession.fromState(java.util.Base64.getDecoder().decode(json.getString("session"))),
        json.getString("sender"), json.getString("ed25519"));
  }
}
