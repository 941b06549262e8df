package be.praatbrug.bridge.admin;

import be.praatbrug.bridge.config.BridgeConfig.AdminSection.Floor;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * The deployment's floor for policies saved through the admin API: whatever an admin sends, a
 * counselling room never gets more people, longer retention, no encryption, an open door or no
 * consent when the server's own configuration says otherwise.
 *
 * <p>Pure. The floor comes from the bridge config ({@code admin.floor_*}), which the API cannot
 * change; the schema already rules out the worst (e.g. guest access), this adds what the schema
 * allows but an organisation may forbid.
 */
public final class PolicyFloor {

  private final Floor floor;

  public PolicyFloor(Floor floor) {
    this.floor = floor;
  }

  /** Every way {@code policy} falls below the floor; empty when it does not. */
  public List<PolicyProblem> check(Policy policy) {
    List<PolicyProblem> problems = new ArrayList<>();
    // Overleg rooms hold professionals only, by invitation: the one-to-one, knock and consent
    // floors are about counselling rooms and do not apply to them.
    boolean counselling = !policy.isOverleg();
    if (counselling && policy.maxHumans() > floor.maxHumans()) {
      problems.add(below("members.max_humans", policy.maxHumans() + " is above this server's limit of "
          + floor.maxHumans() + " people per counselling room"));
    }
    if (policy.maxLifetime().compareTo(floor.maxRetention()) > 0) {
      problems.add(below("retention.max_lifetime", policy.maxLifetime().toDays() + " days is longer"
          + " than this server allows (" + describe(floor.maxRetention()) + ")"));
    }
    if (floor.encryptionRequired() && !policy.encryptionRequired()) {
      problems.add(below("room.encryption_required", "this server requires end-to-end encryption"));
    }
    if (counselling && floor.knockRequired() && !"knock".equals(policy.joinRule())) {
      problems.add(below("room.join_rule", "this server requires knock (\"" + policy.joinRule()
          + "\" is not allowed)"));
    }
    if (counselling && floor.consentRequired() && !policy.consentRequired()) {
      problems.add(below("consent.required", "this server requires consent before a client is let in"));
    }
    return problems;
  }

  private static PolicyProblem below(String field, String message) {
    return new PolicyProblem(field, 0, "floor", message);
  }

  private static String describe(java.time.Duration duration) {
    return duration.toDays() > 0 && duration.toHours() % 24 == 0 ? duration.toDays() + " days"
        : duration.toHours() + " hours";
  }
}
