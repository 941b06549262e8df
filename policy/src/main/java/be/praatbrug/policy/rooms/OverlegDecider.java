package be.praatbrug.policy.rooms;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decisions for overleg rooms: encrypted rooms where professionals of partner organisations
 * consult each other, up to the policy's member limit, and where clients never come in.
 *
 * <p>The room's {@code counsellorId} is its convenor, who alone (besides the bot) invites; there
 * are no knocks, codes, sessions or consent. Who counts as a client: {@link Clients}.
 */
final class OverlegDecider {

  private OverlegDecider() {}

  static Decision decide(PolicyContext context, RoomSnapshot room, MatrixEvent event) {
    if (!event.isState()) {
      return Decision.ignore("not a membership or governed state event");
    }
    if (!event.type().equals("m.room.member")) {
      return RoomPolicyDecider.decideGovernedState(context, room, event);
    }
    String target = event.stateKey();
    String membership = event.contentString("membership");
    if (context.bot().isBot(target) || target.equals(room.counsellorId())) {
      return Decision.ignore("membership of the bot or the convenor");
    }
    return switch (membership == null ? "" : membership) {
      case "invite" -> context.bot().isBot(event.sender())
          ? Decision.ignore("invite sent by the bot")
          : !event.sender().equals(room.counsellorId())
              ? RoomPolicyDecider.remove(room, target, "alleen de gespreksleider nodigt uit",
                  RoomNotices.inviteRescinded(room.name(), target, event.sender()))
              : admit(context, room, target, "invite");
      case "join" -> joined(context, room, target);
      // Overleg rooms are invite-only: a knock means the join rule was weakened; refuse it.
      case "knock" -> Decision.act(new Action.Kick(room.roomId(), target, "overleg: enkel op uitnodiging"));
      default -> Decision.ignore("membership " + membership);
    };
  }

  private static Decision joined(PolicyContext context, RoomSnapshot room, String target) {
    Decision removal = unwanted(context, room, target, "join");
    if (removal != null) {
      return removal;
    }
    // Invite-only: a join without an invite came through a weakened join rule.
    return room.membership(target).equals("invite") ? Decision.ignore("join of an invited professional")
        : RoomPolicyDecider.remove(room, target, "niet uitgenodigd", RoomNotices.notInvited(room.name(), target));
  }

  private static Decision admit(PolicyContext context, RoomSnapshot room, String target, String membership) {
    Decision removal = unwanted(context, room, target, membership);
    return removal != null ? removal : Decision.ignore(membership + " of a professional within policy");
  }

  /** The removal for someone who may not be in this overleg room, or {@code null} if they may. */
  private static Decision unwanted(PolicyContext context, RoomSnapshot room, String target, String membership) {
    Policy policy = context.policy();
    if (!room.open()) {
      return RoomPolicyDecider.remove(room, target, "overleg afgesloten", RoomNotices.closedRoom(room.name(), target));
    }
    if (!policy.allowsServerOf(target)) {
      return RoomPolicyDecider.remove(room, target, "server niet toegelaten",
          RoomNotices.serverNotAllowed(room.name(), target));
    }
    if (context.clients().recognises(target)) {
      return RoomPolicyDecider.remove(room, target, "overleg is enkel voor professionals",
          clientRemoved(room.name(), target));
    }
    if (room.withMembership(target, membership).humans(context.bot().botUserId()) > policy.maxHumans()) {
      return RoomPolicyDecider.remove(room, target, "overleg is vol",
          RoomNotices.removedOverLimit(room.name(), target, policy.maxHumans()));
    }
    return null;
  }

  /**
   * Everyone present who may not be: outsiders, clients, everyone in a closed room; then, if still
   * over the limit, the latest names in sort order (deterministic, since the snapshot has no times).
   */
  static List<Action> reconcileMembers(PolicyContext context, RoomSnapshot room) {
    List<Action> actions = new ArrayList<>();
    String bot = context.bot().botUserId();
    List<String> present = room.memberships().entrySet().stream()
        .filter(member -> member.getValue().equals("join") || member.getValue().equals("invite"))
        .map(Map.Entry::getKey)
        .filter(userId -> !userId.equals(bot) && !userId.equals(room.counsellorId()))
        .sorted().toList();
    RoomSnapshot remaining = room;
    for (String userId : present) {
      if (!room.open() || !context.policy().allowsServerOf(userId) || context.clients().recognises(userId)) {
        actions.add(new Action.Kick(room.roomId(), userId, "beleid van de organisatie"));
        remaining = remaining.withMembership(userId, "leave");
      }
    }
    List<String> latestFirst = new ArrayList<>(present);
    java.util.Collections.reverse(latestFirst);
    for (String userId : latestFirst) {
      if (remaining.humans(bot) <= context.policy().maxHumans()) {
        break;
      }
      if (!remaining.membership(userId).equals("leave")) {
        actions.add(new Action.Kick(room.roomId(), userId, "beleid van de organisatie"));
        remaining = remaining.withMembership(userId, "leave");
      }
    }
    return actions;
  }

  private static String clientRemoved(String room, String userId) {
    return "🔒 " + userId + " is uit overleg '" + room + "' geweerd: overleg is enkel voor "
        + "professionals, niet voor cliënten.\n" + userId + " was kept out of consultation room '"
        + room + "': it is for professionals only, not for clients.";
  }
}
