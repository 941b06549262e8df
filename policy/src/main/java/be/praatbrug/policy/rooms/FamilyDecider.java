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
 * Membership decisions for a family session: a counselling room where the client (place 1) and
 * up to two more people the counsellor named each hold a place, entered with that place's own
 * code, after their own consent.
 *
 * <p>Nobody without a place stays: an invite from anyone but the bot, a join without a place, a
 * second person on a place that is taken. Settings are governed as in any counselling room.
 */
final class FamilyDecider {

  private FamilyDecider() {}

  static Decision decideMembership(PolicyContext context, RoomSnapshot room, MatrixEvent event) {
    String target = event.stateKey();
    String membership = event.contentString("membership");
    if (context.bot().isBot(target) || target.equals(room.counsellorId())) {
      return Decision.ignore("membership of the bot or the counsellor");
    }
    return switch (membership == null ? "" : membership) {
      case "invite" -> decideInvite(context, room, event, target);
      case "join" -> decideJoin(context, room, target);
      case "knock" -> decideKnock(context, room, event, target);
      case "leave" -> decideLeave(room, target);
      default -> Decision.ignore("membership " + membership);
    };
  }

  private static Decision decideInvite(PolicyContext context, RoomSnapshot room, MatrixEvent event,
      String target) {
    if (context.bot().isBot(event.sender()) || (room.open() && room.placeOf(target) > 0)) {
      return Decision.ignore("invite of a place's holder");
    }
    return RoomPolicyDecider.remove(room, target, "alleen met een eigen plaats",
        FamilyNotices.inviteWithoutPlace(room, target));
  }

  private static Decision decideJoin(PolicyContext context, RoomSnapshot room, String target) {
    Policy policy = context.policy();
    if (!room.open()) {
      return RoomPolicyDecider.remove(room, target, "gesprek afgesloten",
          RoomNotices.closedRoom(room.name(), target));
    }
    if (!policy.allowsServerOf(target)) {
      return RoomPolicyDecider.remove(room, target, "server niet toegelaten",
          RoomNotices.serverNotAllowed(room.name(), target));
    }
    int place = room.placeOf(target);
    if (place == 0) {
      return RoomPolicyDecider.remove(room, target, "geen eigen plaats",
          FamilyNotices.notOnTheList(room, target));
    }
    if ("join".equals(room.membership(target))) {
      return Decision.ignore("a new name or picture of someone in the room");
    }
    if (room.withMembership(target, "join").countedHumans(context.bot().botUserId()) > policy.maxHumans()) {
      return RoomPolicyDecider.remove(room, target, "gesprek is vol",
          RoomNotices.removedOverLimit(room.name(), target, policy.maxHumans()));
    }
    if (place == Place.CLIENT) {
      return room.clientId() == null
          ? Decision.act(new Action.StartSession(room.roomId(), target),
              new Action.SendNotice(room.roomId(), RoomNotices.welcome()),
              RoomPolicyDecider.notice(room, FamilyNotices.entered(room, target, place)))
          : Decision.ignore("the client joined again");
    }
    return Decision.act(new Action.PlaceEntered(room.roomId(), place, target, true),
        RoomPolicyDecider.notice(room, FamilyNotices.entered(room, target, place)));
  }

  private static Decision decideKnock(PolicyContext context, RoomSnapshot room, MatrixEvent event,
      String target) {
    if (!room.open()) {
      return RoomPolicyDecider.remove(room, target, "gesprek afgesloten",
          RoomNotices.closedRoom(room.name(), target));
    }
    if (!context.policy().allowsServerOf(target)) {
      return RoomPolicyDecider.remove(room, target, "server niet toegelaten",
          RoomNotices.serverNotAllowed(room.name(), target));
    }
    String already = room.membership(target);
    if (already.equals("join") || already.equals("invite")) {
      return Decision.ignore("knock already answered");
    }
    if (room.placeOf(target) > 0) {
      // Let in before (the code is spent), but the invite never went out, or they left and are
      // back: their place is still theirs, as long as their consent is.
      return context.consentAllows(target) ? Decision.act(new Action.Invite(room.roomId(), target))
          : Decision.act(RoomPolicyDecider.notice(room, RoomNotices.noConsentYet(room.name(), target)));
    }
    return afterConsent(context, room, target, event.contentString("reason"), true);
  }

  /**
   * A knock with consent on record: let in on the place its code opens, if that place is free.
   *
   * @param fresh whether this is the knock itself (then a missing consent is explained)
   */
  static Decision afterConsent(PolicyContext context, RoomSnapshot room, String target,
      String presented, boolean fresh) {
    Optional<KnockCode> code = RoomPolicyDecider.validCode(context, room, presented);
    if (!context.consentAllows(target)) {
      if (!fresh) {
        return Decision.ignore("still no consent on record");
      }
      List<Action> missing = new ArrayList<>();
      missing.add(RoomPolicyDecider.notice(room, code.isPresent()
          ? RoomNotices.noConsentYet(room.name(), target)
          : RoomNotices.knockWithoutValidCodeNorConsent(room.name(), target)));
      if (!context.clients().isGuestAccount(target)) {
        missing.add(new Action.DirectMessage(room.roomId(), target,
            RoomNotices.howToConsent(context.policy().organisation())));
      }
      return new Decision.Act(missing);
    }
    if (code.isEmpty() || (code.get().place() != Place.CLIENT
        && room.place(code.get().place()).isEmpty())) {
      if (!fresh) {
        // Looked at again (someone consented or came in): the counsellor heard of it at the knock.
        return Decision.ignore("no valid code of a place");
      }
      return Decision.act(RoomPolicyDecider.notice(room, FamilyNotices.knockWithoutValidCode(room, target)));
    }
    int place = code.get().place();
    String holder = room.holderOf(place);
    if (holder != null) {
      // A place is one person's: whoever comes second with its code stays out.
      return RoomPolicyDecider.remove(room, target, "plaats al ingenomen",
          FamilyNotices.placeTaken(room, target, place));
    }
    return Decision.act(new Action.AdmitClient(room.roomId(), target,
            code.get().singleUse() ? code.get().hash() : null, place),
        new Action.Invite(room.roomId(), target),
        RoomPolicyDecider.notice(room, FamilyNotices.admitted(room, target, place)));
  }

  private static Decision decideLeave(RoomSnapshot room, String target) {
    int place = room.placeOf(target);
    return place > 0 && room.open() && "join".equals(room.membership(target))
        ? Decision.act(RoomPolicyDecider.notice(room, FamilyNotices.left(room, target, place)))
        : Decision.ignore("someone left");
  }

  /**
   * Back in line from scratch: everyone present without a place goes (all of them once the room
   * is closed), and admissions the bridge did not see to the end are finished.
   */
  static List<Action> reconcile(PolicyContext context, RoomSnapshot room) {
    List<Action> actions = new ArrayList<>();
    String bot = context.bot().botUserId();
    for (Map.Entry<String, String> member : room.memberships().entrySet()) {
      String userId = member.getKey();
      boolean present = member.getValue().equals("join") || member.getValue().equals("invite");
      if (!present || userId.equals(bot) || userId.equals(room.counsellorId())) {
        continue;
      }
      if (!room.open() || room.placeOf(userId) == 0 || !context.policy().allowsServerOf(userId)) {
        actions.add(new Action.Kick(room.roomId(), userId, "beleid van de organisatie"));
      }
    }
    if (room.open()) {
      actions.addAll(admissionRepairs(room));
    }
    actions.addAll(RoomPolicyDecider.stateRepairs(context, room));
    return actions;
  }

  private static List<Action> admissionRepairs(RoomSnapshot room) {
    List<Action> actions = new ArrayList<>();
    String client = room.pendingClient();
    if (client != null && room.membership(client).equals("join")) {
      actions.add(new Action.StartSession(room.roomId(), client));
      actions.add(new Action.SendNotice(room.roomId(), RoomNotices.welcome()));
    } else if (client != null && room.membership(client).equals("knock")) {
      actions.add(new Action.Invite(room.roomId(), client));
    }
    for (Place place : room.places()) {
      if (place.isFree()) {
        continue;
      }
      switch (room.membership(place.userId())) {
        case "join" -> actions.add(new Action.PlaceEntered(room.roomId(), place.number(), place.userId()));
        case "knock" -> actions.add(new Action.Invite(room.roomId(), place.userId()));
        default -> { }
      }
    }
    return actions;
  }
}
