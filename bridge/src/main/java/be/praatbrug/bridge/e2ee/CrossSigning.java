package be.praatbrug.bridge.e2ee;

import be.praatbrug.bridge.appservice.JsonBodies;
import be.praatbrug.crypto.Base64s;
import be.praatbrug.crypto.CanonicalJson;
import be.praatbrug.crypto.Ed25519KeyPair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The bot's cross-signing identity: a master key and a self-signing key (Ed25519), and the
 * signature of the self-signing key over the bot's device keys. With it, clients such as Element
 * see the bot's device as verified by its owner instead of warning about an unverified device.
 * No I/O; the seeds are saved sealed by {@link BotDevice}.
 */
final class CrossSigning {

  private final Ed25519KeyPair master;
  private final Ed25519KeyPair selfSigning;

  CrossSigning(Ed25519KeyPair master, Ed25519KeyPair selfSigning) {
    this.master = master;
    this.selfSigning = selfSigning;
  }

  static CrossSigning create() {
    return new CrossSigning(Ed25519KeyPair.generate(), Ed25519KeyPair.generate());
  }

  byte[] toState() {
    byte[] state = new byte[64];
    System.arraycopy(master.seedForStorage(), 0, state, 0, 32);
    System.arraycopy(selfSigning.seedForStorage(), 0, state, 32, 32);
    return state;
  }

  static CrossSigning fromState(byte[] state) {
    if (state.length != 64) {
      throw new IllegalArgumentException("saved cross-signing keys have the wrong size");
    }
    return new CrossSigning(Ed25519KeyPair.fromSeed(java.util.Arrays.copyOfRange(state, 0, 32)),
        Ed25519KeyPair.fromSeed(java.util.Arrays.copyOfRange(state, 32, 64)));
  }

  String masterPublicKey() {
    return master.publicKeyBase64();
  }

  /** The body of {@code POST /keys/device_signing/upload}: the master key, and the self-signing key signed by it. */
  JsonObject uploadBody(String userId) {
    JsonObject masterKey = key(userId, "master", master);
    JsonObject selfSigningKey = key(userId, "self_signing", selfSigning);
    signWith(master, userId, selfSigningKey);
    return new JsonObject().put("master_key", masterKey).put("self_signing_key", selfSigningKey);
  }

  /** The body of {@code POST /keys/signatures/upload}: our device keys with the self-signing key's signature. */
  JsonObject deviceSignatureBody(String userId, String deviceId, JsonObject deviceKeys) {
    JsonObject unsigned = deviceKeys.copy();
    unsigned.remove("signatures");
    unsigned.remove("unsigned");
    signWith(selfSigning, userId, unsigned);
    return new JsonObject().put(userId, new JsonObject().put(deviceId, unsigned));
  }

  private static JsonObject key(String userId, String usage, Ed25519KeyPair pair) {
    return new JsonObject().put("user_id", userId).put("usage", new JsonArray().add(usage))
        .put("keys", new JsonObject().put("ed25519:" + pair.publicKeyBase64(), pair.publicKeyBase64()));
  }

  private static void signWith(Ed25519KeyPair signer, String userId, JsonObject object) {
    String signature = Base64s.encode(signer.sign(CanonicalJson.signingBytes(JsonBodies.plainMap(object))));
    JsonObject signatures = object.getJsonObject("signatures", new JsonObject());
    JsonObject mine = signatures.getJsonObject(userId, new JsonObject());
    signatures.put(userId, mine.put("ed25519:" + signer.publicKeyBase64(), signature));
    object.put("signatures", signatures);
  }

  @Override
  public String toString() {
    return "CrossSigning[master=" + masterPublicKey() + "]";
  }
}
