package be.praatbrug.policy.guests;

/**
 * The guest accounts Praatbrug makes for clients without an app: {@code @<prefix>…:<domain>}, in
 * the appservice's exclusive namespace on the organisation's own homeserver.
 */
public record GuestNamespace(String localpartPrefix, String domain) {

  public boolean contains(String userId) {
    return userId != null && userId.startsWith("@" + localpartPrefix)
        && userId.endsWith(":" + domain);
  }

  public String userId(String localpartSuffix) {
    return "@" + localpartPrefix + localpartSuffix + ":" + domain;
  }
}
