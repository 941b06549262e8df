package be.praatbrug.policy.rooms;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.clients.ClientCommands;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code !gesprek} commands a counsellor gives the bot, as pure handlers.
 *
 * <p>A room is named by its handle ({@code rustige-groene-boot}) or id; with one open room the name
 * may be left out. Replies go to where the command was typed, Dutch first, English second.
 */
public final class SessionCommands {

  /** Kick reasons with a meaning of their own for records (every other kick enforces policy). */
  public static final String DENIED = "geweigerd door de hulpverlener";
  public static final String ENDED = "gesprek beëindigd";

  private SessionCommands() {}

  /**
   * {@code !gesprek nieuw [beleid] [voor <ref>]}: a room for a new client, or with {@code voor} for
   * an existing client record (a returning client, who then consents no more than once).
   */
  public static Decision create(CommandRequest request) {
    List<String> arguments = new ArrayList<>(request.arguments());
    String clientRef = null;
    int voor = forWordAt(arguments);
    if (voor >= 0) {
      if (voor + 1 >= arguments.size()) {
        return request.reply("Voor welke cliënt? !gesprek nieuw voor C-7K3P-9Q2M\n"
            + "For which client? !session new for C-7K3P-9Q2M");
      }
      String typed = arguments.get(voor + 1);
      Optional<Decision> refused = ClientCommands.refusedRecord(request, typed);
      if (refused.isPresent()) {
        return refused.get();
      }
      clientRef = be.praatbrug.policy.clients.ClientReference.normalise(typed).orElseThrow();
      arguments.remove(voor + 1);
      arguments.remove(voor);
    }
    String policy = arguments.isEmpty() ? request.commands().defaultPolicy() : arguments.get(0);
    if (!request.commands().policyNames().contains(policy)) {
      return request.reply("Onbekend beleid '" + policy + "'. Beschikbaar: " + policies(request)
          + "\nUnknown policy '" + policy + "'. Available: " + policies(request));
    }
    if (request.commands().isOverleg(policy)) {
      return request.reply("'" + policy + "' is een beleid voor overleg tussen professionals: gebruik "
          + "!overleg nieuw " + policy + "\n'" + policy + "' is a policy for professionals' "
          + "consultation: use !consult new " + policy);
    }
    return Decision.act(new Action.CreateCounsellingRoom(request.event().roomId(),
        request.event().sender(), policy, clientRef));
  }

  /** Where "voor" (or "for") stands among the arguments, or -1. */
  private static int forWordAt(List<String> arguments) {
    for (int i = 0; i < arguments.size(); i++) {
      String word = arguments.get(i).toLowerCase(Locale.ROOT);
      if (word.equals("voor") || word.equals("for")) {
        return i;
      }
    }
    return -1;
  }

  /** {@code !gesprek code [kamer] [plaats]}: a fresh code (for one place of a family session). */
  public static Decision code(CommandRequest request) {
    String first = request.argument(0);
    boolean placeFirst = first != null && first.matches("[1-9]") && request.argument(1) == null;
    String roomReference = placeFirst ? null : first;
    String placeWord = placeFirst ? first : request.argument(1);
    return withRoom(request, roomReference, room -> {
      if (request.commands().isOverleg(room.policyName())) {
        return request.reply("Overlegruimtes hebben geen klopcode: nodig collega's rechtstreeks uit.\n"
            + "Consultation rooms have no knock code: invite colleagues directly.");
      }
      return FamilyCommands.placeIn(room, placeWord)
          .map(place -> Decision.act(new Action.IssueKnockCode(room.roomId(), request.event().roomId(), place)))
          .orElseGet(() -> request.reply("'" + room.name() + "' heeft geen plaats " + placeWord
              + ".\n'" + room.name() + "' has no place " + placeWord + "."));
    });
  }

  /** {@code !overleg nieuw [beleid]}: a room for professionals of partner organisations. */
  public static Decision createOverleg(CommandRequest request) {
    String policy = request.argument(0) != null ? request.argument(0)
        : request.commands().policies().values().stream().filter(Policy::isOverleg)
            .map(Policy::name).sorted().findFirst().orElse(null);
    if (policy == null || !request.commands().isOverleg(policy)) {
      String available = String.join(", ", request.commands().policies().values().stream()
          .filter(Policy::isOverleg).map(Policy::name).sorted().toList());
      return request.reply("Geen overlegbeleid '" + (policy == null ? "" : policy) + "'. Beschikbaar: "
          + (available.isEmpty() ? "—" : available) + "\nNo consultation policy '"
          + (policy == null ? "" : policy) + "'. Available: " + (available.isEmpty() ? "—" : available));
    }
    return Decision.act(new Action.CreateOverlegRoom(request.event().roomId(),
        request.event().sender(), policy));
  }

  public static Decision admit(CommandRequest request) {
    return withKnocker(request, "toelaten", "admit", (room, userId) -> isFamily(request, room)
        ? request.reply("In gezinsgesprek '" + room.name() + "' komt iedereen binnen met de code van"
            + " een eigen plaats. Stuur de link van de plaats opnieuw: !gesprek code " + room.name()
            + " <plaats>\nIn family session '" + room.name() + "' everyone enters with the code of"
            + " a place of their own. Send the place's link again: !session code " + room.name()
            + " <place>")
        : !request.commands().consentAllows(room, userId)
            ? request.reply(RoomNotices.noConsentYet(room.name(), userId))
            : Decision.act(new Action.AdmitClient(room.roomId(), userId, null),
            new Action.Invite(room.roomId(), userId),
            new Action.SendNotice(request.event().roomId(), "✅ " + userId + " wordt toegelaten in '"
                + room.name() + "'.\n" + userId + " is being let into '" + room.name() + "'.")));
  }

  public static Decision deny(CommandRequest request) {
    return withKnocker(request, "weigeren", "deny", (room, userId) ->
        Decision.act(new Action.Kick(room.roomId(), userId, DENIED),
            new Action.SendNotice(request.event().roomId(), "🚫 " + userId + " is geweigerd voor '"
                + room.name() + "'.\n" + userId + " was turned away from '" + room.name() + "'.")));
  }

  /** Resolves "@user [room]" to someone knocking on one of the counsellor's rooms, or explains why not. */
  private static Decision withKnocker(CommandRequest request, String verbNl, String verbEn,
      java.util.function.BiFunction<RoomSnapshot, String, Decision> action) {
    String userId = request.argument(0);
    if (userId == null || !userId.startsWith("@")) {
      return request.reply("Zeg wie: !gesprek " + verbNl + " @gebruiker:server [kamer]\n"
          + "Say who: !session " + verbEn + " @user:server [room]");
    }
    return withRoom(request, request.argument(1), room -> {
      if (!room.membership(userId).equals("knock")) {
        return request.reply(userId + " klopt niet aan bij '" + room.name() + "'.\n"
            + userId + " is not knocking on '" + room.name() + "'.");
      }
      return action.apply(room, userId);
    });
  }

  public static Decision end(CommandRequest request) {
    return withRoom(request, request.argument(0), room ->
        new Decision.Act(endActions(room, request.context(), request.event().roomId())));
  }

  /**
   * Ending a session, whoever asks (the counsellor's command or an admin): everyone but the
   * counsellor and the bot leaves, the session is recorded as ended, nobody can knock any more, and
   * {@code noticeRoomId} is told.
   */
  public static List<Action> endActions(RoomSnapshot room, BotContext bot, String noticeRoomId) {
    return endActions(room, bot, noticeRoomId, "🔚 Het gesprek in '" + room.name()
        + "' is beëindigd en de kamer is gesloten. Ze wordt verwijderd na de bewaartermijn.\n"
        + "The session in '" + room.name() + "' has ended and the room is closed. It will be "
        + "deleted after the retention period.");
  }

  /**
   * The client withdrew consent (on the client page, or with {@code !toestemming intrekken}): the
   * session ends at once, as when the counsellor ends it, and the counsellor is told why.
   */
  public static List<Action> endAfterWithdrawal(RoomSnapshot room, BotContext bot,
      String noticeRoomId) {
    String ref = room.clientRef() == null ? "" : " (" + room.clientRef() + ")";
    return endActions(room, bot, noticeRoomId, "🔚 De cliënt" + ref + " heeft de toestemming "
        + "ingetrokken. Het gesprek in '" + room.name() + "' is daarom beëindigd en de kamer is "
        + "gesloten; de intrekking staat in het register. Wil de cliënt later verder praten, dan "
        + "vraagt een nieuwe link opnieuw toestemming.\n"
        + "The client" + ref + " withdrew consent. The session in '" + room.name() + "' has "
        + "therefore ended and the room is closed; the withdrawal is in the ledger. Should the "
        + "client want to talk again later, a new link asks for consent again.");
  }

  /**
   * The client left with "Snel weg" (quick exit) on the client page: the counsellor is told, in
   * neutral words, not to call or write back (someone may be with the client). The session stays
   * open and nothing goes into the room itself: its history may later be read on that phone.
   * Nothing for a closed room.
   */
  public static List<Action> clientLeftInAHurry(RoomSnapshot room, String noticeRoomId) {
    return clientLeftInAHurry(room, noticeRoomId, null);
  }

  /** The same for the person on a family session's named place with record {@code placeRef}. */
  public static List<Action> clientLeftInAHurry(RoomSnapshot room, String noticeRoomId,
      String placeRef) {
    if (!room.open()) {
      return List.of();
    }
    String shownRef = placeRef != null ? placeRef : room.clientRef();
    String ref = shownRef == null ? "" : " (" + shownRef + ")";
    return List.of(new Action.SendNotice(noticeRoomId, "🚪 De cliënt" + ref + " in '" + room.name()
        + "' heeft het gesprek plots verlaten met 'Snel weg'. Misschien is de cliënt niet alleen:"
        + " bel of schrijf niet terug en wacht tot de cliënt zelf weer contact opneemt. Het gesprek"
        + " blijft open; op het toestel van de cliënt is het vergrendeld of gewist.\n"
        + "The client" + ref + " in '" + room.name() + "' left suddenly with 'Quick exit'. The"
        + " client may not be alone: do not call or write back, wait until the client gets in touch"
        + " again. The session stays open; on the client's device it is locked or wiped."));
  }

  /** Ending a session with a notice of the caller's own (a cancelled appointment). */
  public static List<Action> endActions(RoomSnapshot room, BotContext bot, String noticeRoomId,
      String notice) {
    List<Action> actions = new ArrayList<>();
    // Remove everyone but the counsellor and the bot; a closed room keeps no visitors.
    room.memberships().forEach((userId, membership) -> {
      boolean present = membership.equals("join") || membership.equals("invite")
          || membership.equals("knock");
      if (present && !userId.equals(room.counsellorId()) && !bot.isBot(userId)) {
        actions.add(new Action.Kick(room.roomId(), userId, ENDED));
      }
    });
    actions.add(new Action.EndSession(room.roomId()));
    actions.add(new Action.SetState(room.roomId(), "m.room.join_rules", "",
        Map.of("join_rule", "invite")));
    actions.add(new Action.SendNotice(noticeRoomId, notice));
    return actions;
  }

  public static Decision list(CommandRequest request) {
    List<RoomSnapshot> rooms = request.commands().senderRooms();
    if (rooms.isEmpty()) {
      return request.reply("Je hebt geen open gesprekken. Begin er een met !gesprek nieuw.\n"
          + "You have no open sessions. Start one with !session new.");
    }
    String lines = rooms.stream()
        .map(room -> "• " + room.name() + " (" + room.policyName() + ") — "
            + (room.clientRef() != null ? room.clientRef() : "nieuwe cliënt / new client") + " — "
            + (room.clientId() != null ? "cliënt aanwezig / client present" : "wacht op cliënt / waiting")
            + (isFamily(request, room) ? FamilyCommands.placesLine(room) : ""))
        .collect(Collectors.joining("\n"));
    return request.reply("Je open gesprekken / your open sessions:\n" + lines);
  }

  private static boolean isFamily(CommandRequest request, RoomSnapshot room) {
    Policy policy = request.commands().policies().get(room.policyName());
    return policy != null && policy.isFamily();
  }

  /** Runs {@code action} on the room the counsellor named, or explains which rooms there are. */
  static Decision withRoom(CommandRequest request, String reference,
      java.util.function.Function<RoomSnapshot, Decision> action) {
    List<RoomSnapshot> rooms = request.commands().senderRooms();
    if (reference == null) {
      if (rooms.size() == 1) {
        return action.apply(rooms.get(0));
      }
      return request.reply((rooms.isEmpty()
          ? "Je hebt geen open gesprekken.\nYou have no open sessions."
          : "Welke kamer? / Which room? " + names(rooms)));
    }
    String wanted = reference.toLowerCase(Locale.ROOT);
    return rooms.stream()
        .filter(room -> room.roomId().equals(reference) || wanted.equals(room.name()))
        .findFirst()
        .map(action)
        .orElseGet(() -> request.reply("Geen open gesprek '" + reference + "' van jou. Jouw kamers: "
            + names(rooms) + "\nNo open session '" + reference + "' of yours. Your rooms: " + names(rooms)));
  }

  private static String names(List<RoomSnapshot> rooms) {
    return rooms.isEmpty() ? "—" : rooms.stream().map(RoomSnapshot::name).collect(Collectors.joining(", "));
  }

  private static String policies(CommandRequest request) {
    return String.join(", ", request.commands().policyNames().stream().sorted().toList());
  }
}
