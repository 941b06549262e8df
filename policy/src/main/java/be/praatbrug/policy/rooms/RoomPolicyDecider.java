package be.praatbrug.policy.rooms;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides how the bridge reacts to one event in a counselling room so the room keeps obeying its
 * policy.
 *
 * <p>An appservice cannot veto events, only react; power levels prevent most violations and this
 * removes or reverts the rest at once. Removal actions come first in every decision: they are what
 * the latency target is about. Pure and deterministic; the snapshot is the room before the event.
 */
public final class RoomPolicyDecider {

  private RoomPolicyDecider() {}

  public static Decision decide(PolicyContext context, RoomSnapshot room, MatrixEvent event) {
    if (context.policy().isOverleg()) {
      return OverlegDecider.decide(context, room, event);
    }
    if (event.type().equals("m.room.member") && event.isState()) {
      return context.policy().isFamily() ? FamilyDecider.decideMembership(context, room, event)
          : decideMembership(context, room, event);
    }
    if (event.isState()) {
      return decideGovernedState(context, room, event);
    }
    return Decision.ignore("not a membership or governed state event");
  }

  private static Decision decideMembership(PolicyContext context, RoomSnapshot room, MatrixEvent event) {
    String target = event.stateKey();
    String membership = event.contentString("membership");
    // The bot's and the counsellor's own memberships are never the problem.
    if (context.bot().isBot(target)) {
      return Decision.ignore("membership of the bot");
    }
    if (target.equals(room.counsellorId())) {
      // Leaving during a warm referral is the handover itself.
      return "leave".equals(membership) ? Referrals.referrerLeft(context, room)
          : Decision.ignore("membership of the counsellor");
    }
    return switch (membership == null ? "" : membership) {
      case "invite" -> decideInvite(context, room, event, target);
      case "join" -> decideJoin(context, room, target);
      case "knock" -> decideKnock(context, room, event, target);
      case "leave" -> decideLeave(room, target);
      default -> Decision.ignore("membership " + membership);
    };
  }

  private static Decision decideLeave(RoomSnapshot room, String target) {
    if (target.equals(room.activePartner())) {
      return Referrals.partnerLeft(room);
    }
    return target.equals(room.clientId()) && room.open()
        ? Decision.act(notice(room, RoomNotices.clientLeft(room.name())))
        : Decision.ignore("someone left");
  }

  private static Decision decideInvite(
      PolicyContext context, RoomSnapshot room, MatrixEvent event, String target) {
    String inviter = event.sender();
    if (context.bot().isBot(inviter)) {
      return Decision.ignore("invite sent by the bot");
    }
    Optional<InviteRule.Removal> removal = InviteRule.judge(context, room, target, inviter);
    if (removal.isPresent()) {
      return remove(room, target, removal.get().reason(), removal.get().notice());
    }
    // The counsellor let this person in: recorded, so a join the bridge misses is not an intruder's.
    return target.equals(room.clientId()) ? Decision.ignore("invite of the room's client")
        : Decision.act(new Action.AdmitClient(room.roomId(), target, null));
  }

  private static Decision decideJoin(PolicyContext context, RoomSnapshot room, String target) {
    Policy policy = context.policy();
    if (!room.open()) {
      return remove(room, target, "gesprek afgesloten", RoomNotices.closedRoom(room.name(), target));
    }
    if (!policy.allowsServerOf(target)) {
      return remove(room, target, "server niet toegelaten", RoomNotices.serverNotAllowed(room.name(), target));
    }
    // In a knock room the only way in is an invite (admission); a join without one came through a
    // weakened join rule.
    // The referral partner was invited by the bot; a reconciliation that reloaded the room between
    // the join and this event may already show them joined.
    if (!room.membership(target).equals("invite") && !target.equals(room.clientId())
        && !target.equals(room.activePartner()) && !target.equals(room.pendingClient())) {
      return remove(room, target, "niet uitgenodigd", RoomNotices.notInvited(room.name(), target));
    }
    if (room.withMembership(target, "join").countedHumans(context.bot().botUserId()) > policy.maxHumans()) {
      return remove(room, target, "gesprek is vol",
          RoomNotices.removedOverLimit(room.name(), target, policy.maxHumans()));
    }
    if (target.equals(room.activePartner())) {
      return Decision.act(notice(room, ReferralNotices.partnerJoined(room.name(), target)));
    }
    if (room.clientId() == null) {
      return Decision.act(new Action.StartSession(room.roomId(), target),
          new Action.SendNotice(room.roomId(), RoomNotices.welcome()));
    }
    return Decision.ignore("join within policy");
  }

  private static Decision decideKnock(
      PolicyContext context, RoomSnapshot room, MatrixEvent event, String target) {
    Policy policy = context.policy();
    if (!room.open()) {
      return remove(room, target, "gesprek afgesloten", RoomNotices.closedRoom(room.name(), target));
    }
    if (!policy.allowsServerOf(target)) {
      return remove(room, target, "server niet toegelaten", RoomNotices.serverNotAllowed(room.name(), target));
    }
    String already = room.membership(target);
    if (already.equals("join") || already.equals("invite")) {
      // Nobody in the room or invited can knock: this is a knock resent after it was answered.
      return Decision.ignore("knock already answered");
    }
    if (target.equals(room.pendingClient())) {
      // Let in before (the code is spent), but the invite never went out: the bridge stopped.
      return Decision.act(new Action.Invite(room.roomId(), target));
    }
    String presented = event.contentString("reason");
    boolean valid = isValidCode(context, room, presented);
    // Informed consent comes first: without it nobody is let in, whatever the code. A client with
    // a Matrix account hears from the bot how to give it (link clients consent on their page).
    List<Action> missingConsent = new ArrayList<>();
    if (!context.consentAllows(target)) {
      missingConsent.add(notice(room, valid ? RoomNotices.noConsentYet(room.name(), target)
          : RoomNotices.knockWithoutValidCodeNorConsent(room.name(), target)));
      if (!context.clients().isGuestAccount(target)) {
        missingConsent.add(new Action.DirectMessage(room.roomId(), target,
            RoomNotices.howToConsent(context.policy().organisation())));
      }
      return new Decision.Act(missingConsent);
    }
    if (!valid) {
      return Decision.act(notice(room, RoomNotices.knockWithoutValidCode(room.name(), target)));
    }
    return admitWithCode(context, room, target, presented);
  }

  /**
   * A knock that was waiting for consent, looked at again now that {@code userId}'s consent is on
   * record: with a code that is (still) valid the client is let in at once, without knocking
   * again (a second knock changes nothing in Matrix); otherwise the counsellor hears that consent
   * is there and can admit. Nothing when {@code userId} no longer knocks or consent still lacks.
   *
   * @param presented the reason of the waiting knock (the code the client typed)
   */
  public static Decision knockAfterConsent(PolicyContext context, RoomSnapshot room, String userId,
      String presented) {
    if (!room.open() || !"knock".equals(room.membership(userId))) {
      return Decision.ignore("not knocking (any more)");
    }
    if (context.policy().isFamily()) {
      return FamilyDecider.afterConsent(context, room, userId, presented, false);
    }
    if (!context.consentAllows(userId)) {
      return Decision.ignore("still no consent on record");
    }
    if (!isValidCode(context, room, presented)) {
      return Decision.act(notice(room, RoomNotices.consentNowGiven(room.name(), userId)));
    }
    return admitWithCode(context, room, userId, presented);
  }

  private static boolean isValidCode(PolicyContext context, RoomSnapshot room, String presented) {
    return validCode(context, room, presented).isPresent();
  }

  /** The room's code {@code presented} matches, if it is one and valid now. */
  static Optional<KnockCode> validCode(PolicyContext context, RoomSnapshot room, String presented) {
    if (KnockCode.normalise(presented).isEmpty()) {
      return Optional.empty();
    }
    String hash = KnockCode.hash(context.knockCodeKey(), presented);
    return room.codes().stream()
        .filter(code -> code.hash().equals(hash) && code.isValidAt(room.now())).findFirst();
  }

  /** Lets {@code target} in with a valid code, unless that would overfill the room. */
  private static Decision admitWithCode(PolicyContext context, RoomSnapshot room, String target,
      String presented) {
    // A valid code never pushes the room over its limit: the knock then waits for the counsellor.
    if (room.withMembership(target, "invite").countedHumans(context.bot().botUserId())
        > context.policy().maxHumans()) {
      return Decision.act(notice(room, RoomNotices.knockWhileFull(room.name(), target)));
    }
    String hash = KnockCode.hash(context.knockCodeKey(), presented);
    boolean singleUse = room.codes().stream()
        .filter(code -> code.hash().equals(hash)).anyMatch(KnockCode::singleUse);
    // Who is let in is on record (and the code spent) before the invite goes out.
    return Decision.act(new Action.AdmitClient(room.roomId(), target, singleUse ? hash : null),
        new Action.Invite(room.roomId(), target),
        notice(room, RoomNotices.admittedWithCode(room.name(), target)));
  }

  static Decision decideGovernedState(PolicyContext context, RoomSnapshot room, MatrixEvent event) {
    Map<String, Object> wanted = context.expectedState(room.counsellorId(), room.open())
        .get(RoomSnapshot.stateKey(event.type(), event.stateKey()));
    if (wanted == null) {
      return Decision.ignore("policy does not govern " + event.type());
    }
    if (ExpectedRoomState.meets(event.type(), wanted, event.content())) {
      return Decision.ignore("state meets policy");
    }
    return Decision.act(
        new Action.SetState(room.roomId(), event.type(), event.stateKey(), wanted),
        notice(room, RoomNotices.settingRestored(room.name(), event.type())));
  }

  /**
   * What it takes to bring a room back in line with its policy from scratch: used at startup, on a
   * timer, and after a policy reload, to repair what happened while the bridge was not looking.
   */
  public static List<Action> reconcile(PolicyContext context, RoomSnapshot room) {
    if (context.policy().isOverleg()) {
      List<Action> actions = OverlegDecider.reconcileMembers(context, room);
      actions.addAll(stateRepairs(context, room));
      return actions;
    }
    if (context.policy().isFamily()) {
      return FamilyDecider.reconcile(context, room);
    }
    String bot = context.bot().botUserId();
    // A handover whose window closed ends first: its partner is then an ordinary extra member.
    List<Action> actions = new ArrayList<>(Referrals.expire(room));
    RoomSnapshot remaining = actions.isEmpty() ? room
        : room.withMembership(room.handover().partnerId(), "leave");
    String partner = room.activePartner();
    String pending = room.open() ? room.pendingClient() : null;
    // People first: an unwanted member is the most urgent thing to fix.
    for (Map.Entry<String, String> member : room.memberships().entrySet()) {
      String userId = member.getKey();
      String membership = member.getValue();
      boolean present = membership.equals("join") || membership.equals("invite");
      if (!present || userId.equals(bot) || userId.equals(room.counsellorId())
          || !remaining.membership(userId).equals(membership)) {
        continue;
      }
      // The person let in before the bridge stopped is the client, not an intruder.
      boolean isClient = userId.equals(room.clientId()) || userId.equals(pending);
      boolean isPartner = userId.equals(partner);
      String inviter = room.inviter(userId);
      if (membership.equals("invite") && !isClient && !isPartner
          && (inviter == null || !context.bot().isBot(inviter))) {
        // The same rule as when the invite event arrives: an invite the bridge did not see (or
        // judged under another policy) is judged now, inviter and consent included.
        Optional<InviteRule.Removal> removal = InviteRule.judge(context, remaining, userId, inviter);
        if (removal.isPresent()) {
          actions.add(new Action.Kick(room.roomId(), userId, removal.get().reason()));
          actions.add(notice(room, removal.get().notice()));
          remaining = remaining.withMembership(userId, "leave");
        }
        continue;
      }
      // Someone in the room who is not the recorded client got in without the bridge seeing an
      // admission (e.g. through a join rule opened while it was down).
      boolean unadmitted = membership.equals("join") && !isClient && !isPartner;
      boolean unwanted = !room.open() || !context.policy().allowsServerOf(userId) || unadmitted
          || (!isClient && !isPartner && remaining.countedHumans(bot) > context.policy().maxHumans());
      if (unwanted) {
        actions.add(new Action.Kick(room.roomId(), userId, "beleid van de organisatie"));
        remaining = remaining.withMembership(userId, "leave");
      }
    }
    actions.addAll(admissionRepairs(room, pending));
    actions.addAll(stateRepairs(context, room));
    return actions;
  }

  /**
   * Finishes an admission the bridge did not see to the end: the person it let in joined while it
   * was down (the session starts), or the invite never went out (it goes now).
   */
  private static List<Action> admissionRepairs(RoomSnapshot room, String pending) {
    if (pending == null) {
      return List.of();
    }
    return switch (room.membership(pending)) {
      case "join" -> List.of(new Action.StartSession(room.roomId(), pending),
          new Action.SendNotice(room.roomId(), RoomNotices.welcome()));
      case "knock" -> List.of(new Action.Invite(room.roomId(), pending));
      default -> List.of();
    };
  }

  /** Settings that drifted from the policy, put back. */
  static List<Action> stateRepairs(PolicyContext context, RoomSnapshot room) {
    List<Action> actions = new ArrayList<>();
    context.expectedState(room.counsellorId(), room.open()).forEach((key, content) -> {
      String type = key.substring(0, key.indexOf('|'));
      String stateKey = key.substring(key.indexOf('|') + 1);
      if (!ExpectedRoomState.meets(type, content, room.state().get(key))) {
        actions.add(new Action.SetState(room.roomId(), type, stateKey, content));
      }
    });
    return actions;
  }

  static Decision remove(RoomSnapshot room, String userId, String reason, String noticeText) {
    return Decision.act(new Action.Kick(room.roomId(), userId, reason), notice(room, noticeText));
  }

  static Action notice(RoomSnapshot room, String text) {
    // Notices go to the counsellor's direct chat with the bot: the counselling room is end-to-end
    // encrypted and the bot cannot post there encrypted yet.
    String target = room.controlRoomId() != null ? room.controlRoomId() : room.roomId();
    return new Action.SendNotice(target, text);
  }
}
