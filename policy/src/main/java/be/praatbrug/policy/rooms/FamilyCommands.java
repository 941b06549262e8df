package be.praatbrug.policy.rooms;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.clients.ClientCommands;
import be.praatbrug.policy.clients.ClientReference;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code !gesprek} commands for family sessions: naming the people who get a place, and a
 * fresh code for one place.
 */
public final class FamilyCommands {

  /** A name for a place: one line, as for a client record's label. */
  private static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}@#]{1," + ClientCommands.MAX_LABEL + "}");

  /** Kick reason when a participant withdrew consent. */
  public static final String WITHDRAWN = "toestemming ingetrokken";

  private FamilyCommands() {}

  /**
   * {@code !gesprek deelnemer <naam of C-…> [kamer]}: one more named place in a family session,
   * for an existing client record or a new one labelled with the name.
   */
  public static Decision addParticipant(CommandRequest request) {
    return addPlace(request, false);
  }

  /**
   * {@code !gesprek ouder <naam of C-…> [kamer]}: the same for a parent or guardian, whose place is
   * the only kind that can agree for a child under 12 in the session (an interpreter or a
   * partner on a {@code deelnemer} place cannot).
   */
  public static Decision addParent(CommandRequest request) {
    return addPlace(request, true);
  }

  private static Decision addPlace(CommandRequest request, boolean parent) {
    List<String> words = new ArrayList<>(request.arguments());
    String roomReference = null;
    if (words.size() > 1 && namesRoom(request, words.get(words.size() - 1))) {
      roomReference = words.remove(words.size() - 1);
    }
    String who = String.join(" ", words).strip();
    if (who.isEmpty()) {
      return request.reply(parent
          ? "Voor wie? !gesprek ouder <naam of C-…> [kamer], bv. !gesprek ouder mama van Sara\nFor"
              + " whom? !session parent <name or C-…> [room], e.g. !session parent Sara's mother"
          : "Voor wie? !gesprek deelnemer <naam of C-…> [kamer], bv. !gesprek deelnemer tolk\nFor"
              + " whom? !session participant <name or C-…> [room], e.g. !session participant interpreter");
    }
    String typedName = who;
    return SessionCommands.withRoom(request, roomReference, room -> {
      Policy policy = request.commands().policies().get(room.policyName());
      if (policy == null || !policy.isFamily()) {
        return request.reply("'" + room.name() + "' is een één-op-één-gesprek. Een gesprek met meer"
            + " mensen begin je met !gesprek nieuw <gezinsbeleid>.\n'" + room.name() + "' is a"
            + " one-to-one session. Start a session with more people with !session new <family policy>.");
      }
      // Shaped like a reference and either one or mistyped (a digit or dash); a first name such
      // as "Christine" has the shape too, but no reference holds an I, L or O: it is a name.
      if (typedName.matches("(?i)c-?[0-9a-z]{4}-?[0-9a-z]{4}|cl-[0-9a-f]{16}")
          && (ClientReference.normalise(typedName).isPresent() || typedName.matches(".*[0-9-].*"))) {
        Optional<Decision> refused = ClientCommands.refusedRecord(request, typedName);
        if (refused.isPresent()) {
          return refused.get();
        }
        String ref = ClientReference.normalise(typedName).orElseThrow();
        Optional<Place> placed = room.places().stream().filter(p -> p.clientRef().equals(ref)).findFirst();
        if (placed.isPresent() && placed.get().parent() != parent) {
          // Named the other way first: the counsellor corrects it without ending the session.
          return Decision.act(new Action.SetParentPlace(room.roomId(), request.event().roomId(),
              placed.get().number(), parent));
        }
        if (placed.isPresent()) {
          return request.reply(ref + " heeft al een plaats in '" + room.name() + "'"
              + (parent ? ", als ouder of voogd" : "") + ".\n" + ref + " already has a place in '"
              + room.name() + "'" + (parent ? ", as a parent or guardian" : "") + ".");
        }
        if (ref.equals(room.clientRef())) {
          return request.reply(ref + " heeft plaats 1 in '" + room.name() + "', die van de cliënt van de"
              + " kamer" + (parent ? "; die kan geen ouderplaats worden (een kind op een andere plaats"
              + " noemt dan zelf een voogd)" : "") + ".\n" + ref + " holds place 1 in '" + room.name()
              + "', the room's own client" + (parent ? "; it cannot become a parent's place (a child on"
              + " another place then names a guardian)" : "") + ".");
        }
        return full(request, room, policy).orElseGet(() -> Decision.act(
            new Action.AddPlace(room.roomId(), request.event().roomId(), ref, null, parent)));
      }
      Optional<Decision> full = full(request, room, policy);
      if (full.isPresent()) {
        return full.get();
      }
      if (!NAME.matcher(typedName).matches()) {
        return request.reply("Een naam is één regel van hoogstens " + ClientCommands.MAX_LABEL
            + " tekens, zonder @ of #.\nA name is one line of at most " + ClientCommands.MAX_LABEL
            + " characters, without @ or #.");
      }
      return Decision.act(new Action.AddPlace(room.roomId(), request.event().roomId(), null, typedName, parent));
    });
  }

  /** The answer when every place the policy allows is named already (marking one still works). */
  private static Optional<Decision> full(CommandRequest request, RoomSnapshot room, Policy policy) {
    if (room.places().size() < policy.extraPlaces()) {
      return Optional.empty();
    }
    return Optional.of(request.reply("'" + room.name() + "' heeft al " + (room.places().size() + 1)
        + " plaatsen, het meeste dat het beleid toelaat. Een bestaande plaats wordt die van een ouder"
        + " met !gesprek ouder <C-…>.\n'" + room.name() + "' already has " + (room.places().size() + 1)
        + " places, the most its policy allows. An existing place becomes a parent's with !session"
        + " parent <C-…>."));
  }

  /** Kick reason when the counsellor takes a participant out of a family session. */
  public static final String REMOVED = "verwijderd door de hulpverlener";

  /**
   * {@code !gesprek verwijder @gebruiker [kamer]}: the counsellor takes a participant on a named
   * place out of the family session, out of the call and the room; they come back only with a new
   * code for their place.
   */
  public static Decision remove(CommandRequest request) {
    String userId = request.argument(0);
    if (userId == null || !userId.startsWith("@")) {
      return request.reply("Zeg wie: !gesprek verwijder @gebruiker:server [kamer]\n"
          + "Say who: !session remove @user:server [room]");
    }
    return SessionCommands.withRoom(request, request.argument(1), room -> {
      int place = room.placeOf(userId);
      if (place <= Place.CLIENT) {
        return request.reply(place == Place.CLIENT
            ? "'" + room.name() + "' is het gesprek van " + userId + ": beëindig het met !gesprek einde "
                + room.name() + "\n'" + room.name() + "' is " + userId + "'s session: end it with"
                + " !session end " + room.name()
            : userId + " heeft geen plaats in '" + room.name() + "'.\n" + userId + " has no place in '"
                + room.name() + "'.");
      }
      List<Action> actions = new ArrayList<>();
      String membership = room.membership(userId);
      if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
        actions.add(new Action.Kick(room.roomId(), userId, REMOVED));
      }
      actions.add(new Action.FreePlace(room.roomId(), place));
      String who = FamilyNotices.placeName(room, place);
      actions.add(new Action.SendNotice(request.event().roomId(), "🚪 " + userId + " (" + who
          + ") is uit '" + room.name() + "' gezet; de plaats is vrij en de oude code werkt niet"
          + " meer. Terugkomen kan alleen met een nieuwe code: !gesprek code " + room.name() + " " + place
          + "\n" + userId + " (" + who.replace("plaats", "place") + ") was taken out of '" + room.name()
          + "'; the place is free and the old code no longer works. Coming back takes a new code:"
          + " !session code " + room.name() + " " + place));
      return new Decision.Act(actions);
    });
  }

  /**
   * The place a {@code !gesprek code} names after the room, or {@link Place#CLIENT}; empty when
   * the word is not a place of the room.
   */
  static Optional<Integer> placeIn(RoomSnapshot room, String word) {
    if (word == null) {
      return Optional.of(Place.CLIENT);
    }
    if (!word.matches("[1-9]")) {
      return Optional.empty();
    }
    int number = Integer.parseInt(word);
    return number == Place.CLIENT || room.place(number).isPresent() ? Optional.of(number)
        : Optional.empty();
  }

  /** The places of a family room for {@code !gesprek lijst}: who is in, who is expected. */
  static String placesLine(RoomSnapshot room) {
    StringBuilder line = new StringBuilder();
    line.append("\n    plaats/place 1: ").append(room.clientRef() == null ? "—" : room.clientRef())
        .append(room.holderOf(Place.CLIENT) == null ? " (vrij/free)" : " (binnen/in)");
    for (Place place : room.places()) {
      line.append("\n    plaats/place ").append(place.number()).append(": ").append(place.clientRef())
          .append(place.parent() ? " ouder/parent" : "").append(place.isFree() ? " (vrij/free)" : " (binnen/in)");
    }
    return line.toString();
  }

  /**
   * The participant on a named place withdrew consent: they leave the session (which goes on for
   * the others) and the counsellor hears it; without new consent they cannot come back in.
   */
  public static List<Action> participantWithdrew(RoomSnapshot room, String userId,
      String noticeRoomId) {
    int place = room.placeOf(userId);
    if (!room.open() || place <= Place.CLIENT) {
      return List.of();
    }
    List<Action> actions = new ArrayList<>();
    String membership = room.membership(userId);
    if (membership.equals("join") || membership.equals("invite") || membership.equals("knock")) {
      actions.add(new Action.Kick(room.roomId(), userId, WITHDRAWN));
    }
    // The place is free and its code spent: coming back takes a new code and new consent.
    actions.add(new Action.FreePlace(room.roomId(), place));
    String who = FamilyNotices.placeName(room, place);
    actions.add(new Action.SendNotice(noticeRoomId, "🔚 De persoon op " + who + " in '" + room.name()
        + "' heeft de toestemming ingetrokken en is uit het gesprek gegaan; de intrekking staat in"
        + " het register. Het gesprek gaat verder met de anderen; terugkomen kan alleen met een nieuwe"
        + " code en opnieuw toestemming.\nThe person on " + who.replace("plaats", "place") + " in '"
        + room.name() + "' withdrew consent and left the session; the withdrawal is in the ledger."
        + " The session goes on with the others; coming back takes a new code and new consent."));
    return actions;
  }

  private static boolean namesRoom(CommandRequest request, String word) {
    String wanted = word.toLowerCase(Locale.ROOT);
    return request.commands().senderRooms().stream()
        .anyMatch(room -> room.roomId().equals(word) || room.name().equals(wanted));
  }
}
