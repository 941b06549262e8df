package be.praatbrug.crypto.olm;

/**
 * An encrypted Olm message as it travels in {@code m.olm.v1.curve25519-aes-sha2} content:
 * {@code type} 0 (pre-key) or 1 (normal) and the unpadded base64 {@code body}.
 */
public record OlmMessage(int type, String body) {

  public static final int PRE_KEY = 0;
  public static final int NORMAL = 1;

  public OlmMessage {
    if (type != PRE_KEY && type != NORMAL) {
      throw new IllegalArgumentException("Olm message type must be 0 or 1");
    }
  }

  public boolean isPreKey() {
    return type == PRE_KEY;
  }

  @Override
  public String toString() {
    return "OlmMessage[type=" + type + ", " + body.length() + " chars]";
  }
}
