package be.praatbrug.policy;

import java.util.Objects;

/**
 * Who the bot is and which homeserver it serves: the part of every decision that does not change
 * per event.
 *
 * @param botUserId the bot's full Matrix id, e.g. {@code @praatbrug:caw.test}
 * @param serverName the organisation's homeserver name, e.g. {@code caw.test}
 */
public record BotContext(String botUserId, String serverName) {

  public BotContext {
    Objects.requireNonNull(botUserId, "botUserId");
    Objects.requireNonNull(serverName, "serverName");
    if (!botUserId.startsWith("@") || !MatrixEvent.serverOf(botUserId).equals(serverName)) {
      throw new IllegalArgumentException(
          "bot user id must be @localpart:" + serverName + ", got: " + botUserId);
    }
  }

  public boolean isBot(String userId) {
    return botUserId.equals(userId);
  }

  public boolean isLocal(String userId) {
    return MatrixEvent.serverOf(userId).equals(serverName);
  }
}
