package be.praatbrug.policy.rooms;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.rules.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Warm referral: {@code !gesprek doorverwijzen @partner:server}, and what the room decider does
 * while one is in progress.
 *
 * <p>The one-to-one rule has exactly one exception, and only when the room's policy has a
 * {@code referral} section: one professional of an allowed server, named by the counsellor, for
 * the policy's handover time. It ends when the referring counsellor leaves (the partner becomes
 * the room's counsellor), when the partner leaves, or when the time is up (the partner is removed).
 * Pure, like the rest of the policy core.
 */
public final class Referrals {

  private Referrals() {}

  /** The command: checks everything, then records the handover, invites and tells both sides. */
  public static Decision refer(CommandRequest request) {
    String partner = request.argument(0);
    if (partner == null || !partner.startsWith("@") || !partner.contains(":")) {
      return request.reply("Zeg naar wie: !gesprek doorverwijzen @hulpverlener:server [kamer]\n"
          + "Say to whom: !session refer @counsellor:server [room]");
    }
    return SessionCommands.withRoom(request, request.argument(1), room -> {
      Policy policy = request.commands().policies().get(room.policyName());
      if (!room.counsellorId().equals(request.event().sender())) {
        return request.reply("'" + room.name() + "' is al doorverwezen naar " + room.counsellorId()
            + ".\n'" + room.name() + "' has already been referred to " + room.counsellorId() + ".");
      }
      if (policy == null || !policy.allowsReferral()) {
        return request.reply("Het beleid " + room.policyName() + " van '" + room.name()
            + "' laat geen doorverwijzing toe: het gesprek blijft één-op-één.\nThe policy "
            + room.policyName() + " of '" + room.name() + "' allows no referral: the session stays "
            + "one-to-one.");
      }
      if (!policy.allowsServerOf(partner)) {
        return request.reply(partner + " is niet van een partnerorganisatie; doorverwijzen kan "
            + "alleen naar " + String.join(", ", policy.partnerHosts()) + ".\n" + partner
            + " is not from a partner organisation; referrals can only go to "
            + String.join(", ", policy.partnerHosts()) + ".");
      }
      if (partner.equals(room.counsellorId()) || partner.equals(room.clientId())
          || request.commands().clients().recognises(partner)) {
        return request.reply("Doorverwijzen kan alleen naar een andere hulpverlener, niet naar "
            + partner + ".\nA referral can only go to another counsellor, not to " + partner + ".");
      }
      if (room.clientId() == null || !room.membership(room.clientId()).equals("join")) {
        return request.reply("Er is nog geen cliënt in '" + room.name() + "': doorverwijzen kan "
            + "alleen tijdens een gesprek.\nThere is no client in '" + room.name()
            + "' yet: a referral needs a running session.");
      }
      if (room.activePartner() != null) {
        return request.reply("In '" + room.name() + "' loopt al een doorverwijzing naar "
            + room.activePartner() + ".\nA referral to " + room.activePartner()
            + " is already in progress in '" + room.name() + "'.");
      }
      Instant until = room.now().plus(policy.referral().handover());
      return Decision.act(
          new Action.StartReferral(room.roomId(), room.counsellorId(), partner, until),
          new Action.Invite(room.roomId(), partner),
          new Action.SendNotice(request.event().roomId(),
              ReferralNotices.started(room.name(), partner, policy.referral().handover())),
          RoomPolicyDecider.notice(room, ReferralNotices.startedForClient(partner)));
    });
  }

  /** The referring counsellor left: with the partner in the room, that is the handover. */
  static Decision referrerLeft(PolicyContext context, RoomSnapshot room) {
    String partner = room.activePartner();
    if (partner == null || !room.handover().referrerId().equals(room.counsellorId())) {
      return Decision.ignore("the counsellor left; no referral in progress");
    }
    if (!room.membership(partner).equals("join")) {
      return Decision.ignore("the counsellor left before the referral partner joined");
    }
    return Decision.act(
        new Action.CompleteReferral(room.roomId(), room.counsellorId(), partner),
        new Action.SetState(room.roomId(), "m.room.power_levels", "",
            ExpectedRoomState.powerLevels(context.policy(), context.bot().botUserId(), partner)),
        RoomPolicyDecider.notice(room, ReferralNotices.completed(room.name(), partner)),
        RoomPolicyDecider.notice(room, ReferralNotices.completedForClient(partner)));
  }

  /** The partner left (or declined) while the window was open: the referral stops. */
  static Decision partnerLeft(RoomSnapshot room) {
    return Decision.act(new Action.EndReferral(room.roomId(), "partner_left"),
        RoomPolicyDecider.notice(room, ReferralNotices.partnerLeft(room.name(), room.activePartner())));
  }

  /** For reconciliation: a handover whose window closed ends, and its partner goes. */
  static List<Action> expire(RoomSnapshot room) {
    Handover handover = room.handover();
    if (handover == null || handover.isActiveAt(room.now())) {
      return List.of();
    }
    List<Action> actions = new ArrayList<>();
    String partner = handover.partnerId();
    String membership = room.membership(partner);
    boolean present = membership.equals("join") || membership.equals("invite");
    if (present && !partner.equals(room.counsellorId())) {
      actions.add(new Action.Kick(room.roomId(), partner, "overdrachtstijd voorbij"));
    }
    actions.add(new Action.EndReferral(room.roomId(), "expired"));
    actions.add(RoomPolicyDecider.notice(room, ReferralNotices.expired(room.name(), partner)));
    return actions;
  }
}
