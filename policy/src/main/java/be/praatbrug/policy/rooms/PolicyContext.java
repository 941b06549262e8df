package be.praatbrug.policy.rooms;

import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.rules.Policy;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything fixed for decisions about one room: who the bot is, the room's policy, the key knock
 * codes are hashed with, and which of the people the event concerns have consent on record.
 *
 * @param consentOnRecord users (among those the event is about) whose consent to the current text is
 *     in the ledger; the bridge looks this up before deciding, so the decision itself stays pure
 * @param callWidgetState the call widget's state events, keyed by {@link RoomSnapshot#stateKey}; the
 *     bridge builds them from its config. Governed like any setting when the policy allows calls
 * @param clients who counts as a client (overleg rooms keep them out)
 */
public record PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey,
    Set<String> consentOnRecord, Map<String, Map<String, Object>> callWidgetState, Clients clients) {

  public PolicyContext {
    Objects.requireNonNull(bot, "bot");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(knockCodeKey, "knockCodeKey");
    consentOnRecord = Set.copyOf(consentOnRecord);
    callWidgetState = Map.copyOf(callWidgetState);
    Objects.requireNonNull(clients, "clients");
  }

  public PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey,
      Set<String> consentOnRecord, Map<String, Map<String, Object>> callWidgetState) {
    this(bot, policy, knockCodeKey, consentOnRecord, callWidgetState, Clients.NONE);
  }

  public PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey, Set<String> consentOnRecord) {
    this(bot, policy, knockCodeKey, consentOnRecord, Map.of());
  }

  /** For decisions where consent does not come into play (or nobody has it). */
  public PolicyContext(BotContext bot, Policy policy, byte[] knockCodeKey) {
    this(bot, policy, knockCodeKey, Set.of(), Map.of());
  }

  /**
   * Every governed state event's content keyed by {@link RoomSnapshot#stateKey}: the policy's
   * settings, plus the call widget when the policy allows calls.
   */
  public Map<String, Map<String, Object>> expectedState(String counsellorId, boolean open) {
    Map<String, Map<String, Object>> expected = new java.util.LinkedHashMap<>();
    ExpectedRoomState.of(policy, bot.botUserId(), counsellorId, open)
        .forEach((type, content) -> expected.put(RoomSnapshot.stateKey(type, ""), content));
    if (policy.callWidget() && open) {
      expected.putAll(callWidgetFor(policy, callWidgetState, counsellorId));
    }
    return expected;
  }

  /**
   * The call widget's state for a room under {@code policy}: a family session's widget URL says
   * how many people its call holds ({@code people}), so the widget makes a group call of them,
   * and who the counsellor is (the one who may take someone out of it); every other room's call
   * stays one-to-one.
   */
  public static Map<String, Map<String, Object>> callWidgetFor(Policy policy,
      Map<String, Map<String, Object>> callWidgetState, String counsellorId) {
    if (!policy.isFamily()) {
      return callWidgetState;
    }
    Map<String, Map<String, Object>> family = new java.util.LinkedHashMap<>();
    callWidgetState.forEach((key, content) -> {
      if (content.get("url") instanceof String url && !url.contains("&people=")) {
        Map<String, Object> changed = new java.util.LinkedHashMap<>(content);
        changed.put("url", url + "&people=" + policy.maxHumans() + "&counsellor="
            + java.net.URLEncoder.encode(counsellorId, java.nio.charset.StandardCharsets.UTF_8));
        family.put(key, changed);
      } else {
        family.put(key, content);
      }
    });
    return family;
  }

  /** Whether {@code userId} may be let in as a client as far as consent goes. */
  public boolean consentAllows(String userId) {
    return !policy.consentRequired() || consentOnRecord.contains(userId);
  }
}
