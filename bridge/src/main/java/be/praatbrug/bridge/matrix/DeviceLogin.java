package be.praatbrug.bridge.matrix;

/** A fresh device of a namespace user. The access token is a secret: never in logs. */
public record DeviceLogin(String userId, String deviceId, String accessToken) {

  @Override
  public String toString() {
    return "DeviceLogin[userId=" + userId + ", deviceId=" + deviceId + ", accessToken=<redacted>]";
  }
}
