package be.praatbrug.policy.rooms;

import be.praatbrug.policy.rules.Policy;
import java.util.Optional;

/**
 * Who may stay invited to a counselling room: the one rule for an invite, used when the invite
 * event arrives ({@link RoomPolicyDecider#decide}) and when a room is reconciled from the
 * homeserver's view ({@link RoomPolicyDecider#reconcile}), so the two cannot drift apart.
 *
 * <p>Invites the bot sends itself (an admission, a referral partner) are not judged here: the bot
 * only sends those after its own checks.
 */
final class InviteRule {

  /** Why an invite goes, in the kick's reason (to the invitee) and in the counsellor's notice. */
  record Removal(String reason, String notice) {}

  private InviteRule() {}

  /**
   * @param room the room before the invite (the event path) or as it is now (reconcile)
   * @param inviter who sent the invite; {@code null} when unknown, then only the room's own limits
   *     are checked
   */
  static Optional<Removal> judge(PolicyContext context, RoomSnapshot room, String target, String inviter) {
    Policy policy = context.policy();
    if (!room.open()) {
      return Optional.of(new Removal("gesprek afgesloten", RoomNotices.closedRoom(room.name(), target)));
    }
    if (inviter != null && !inviter.equals(room.counsellorId())) {
      return Optional.of(new Removal("alleen de hulpverlener nodigt uit",
          RoomNotices.inviteRescinded(room.name(), target, inviter)));
    }
    if (!policy.allowsServerOf(target)) {
      return Optional.of(new Removal("server niet toegelaten", RoomNotices.serverNotAllowed(room.name(), target)));
    }
    if (room.withMembership(target, "invite").countedHumans(context.bot().botUserId()) > policy.maxHumans()) {
      return Optional.of(new Removal("gesprek is vol",
          RoomNotices.removedOverLimit(room.name(), target, policy.maxHumans())));
    }
    if (!context.consentAllows(target)) {
      return Optional.of(new Removal("nog geen toestemming", RoomNotices.noConsentYet(room.name(), target)));
    }
    return Optional.empty();
  }
}
