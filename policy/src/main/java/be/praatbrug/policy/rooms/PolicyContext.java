package be.praatbrug.policy.rooms;

import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rules.Policy;
import java.util.Objects;
import java.util.Set;

/**
 * Everything fixed for decisions about one room: who the bot is, the room's policy, the key knock
 * codes are hashed with, and which of the people the event concerns have consent on record.
 *
 * @param consentOnRecord users (among those the event is about) whose consent to the current text is
 *     in the ledger; the bridge looks this up before deciding, so the decision itself stays pure
 */
public record PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey,
    Set<String> consentOnRecord) {

  public PolicyContext {
    Objects.requireNonNull(bot, "bot");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(knockCodeKey, "knockCodeKey");
    consentOnRecord = Set.copyOf(consentOnRecord);
  }

  /** For decisions where consent does not come into play (or nobody has it). */
  public PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey) {
    this(bot, policy, knockCodeKey, Set.of());
  }

  /** Whether {@code userId} may be let in as a client as far as consent goes. */
  public boolean consentAllows(String userId) {
    return !policy.consentRequired() || consentOnRecord.contains(userId);
  }
}
