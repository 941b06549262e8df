package be.praatbrug.policy.rooms;

import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rules.Policy;
import java.util.Objects;

/**
 * Everything fixed for decisions about one room: who the bot is, the room's policy, and the key knock
 * codes are hashed with.
 */
public record PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey) {

  public PolicyContext {
    Objects.requireNonNull(bot, "bot");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(knockCodeKey, "knockCodeKey");
  }
}
