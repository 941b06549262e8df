package be.praatbrug.policy;

import be.praatbrug.policy.clients.ClientCommands;
import be.praatbrug.policy.rooms.Referrals;
import be.praatbrug.policy.rooms.FamilyCommands;
import be.praatbrug.policy.rooms.SessionCommands;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The bot's command list and the help text derived from it.
 *
 * <p>User-facing text is Dutch (nl-BE) first and English second, because the people using
 * Praatbrug are Flemish counsellors and clients.
 */
public final class BotCommands {

  /** Commands start with this character, as is usual for Matrix bots. */
  public static final String PREFIX = "!";

  public static final BotCommand HELP = new BotCommand(List.of("hulp"), List.of("help"), "", "",
      "toont deze lijst met commando's", "shows this list of commands", false,
      request -> request.reply(helpText()));

  public static final List<BotCommand> ALL = List.of(
      HELP,
      new BotCommand(List.of("toestemming"), List.of("consent"), "[geef [voogd Naam] | intrekken]",
          "[give [guardian Name] | withdraw]",
          "toont de toestemmingstekst; 'geef' stemt toe (onder 12 jaar: ouder of voogd), 'intrekken' trekt in",
          "shows the consent text; 'give' consents (under 12: parent or guardian), 'withdraw' withdraws",
          false, ConsentCommands::handle),
      new BotCommand(List.of("gesprek", "nieuw"), List.of("session", "new"), "[beleid] [voor C-…]",
          "[policy] [for C-…]",
          "maakt een nieuwe, versleutelde gespreksruimte en een klopcode; met 'voor' voor een bestaand cliëntdossier (de cliënt stemt maar één keer toe)",
          "creates a new encrypted counselling room and a knock code; with 'for' for an existing client record (the client consents only once)",
          true, SessionCommands::create),
      new BotCommand(List.of("gesprek", "code"), List.of("session", "code"), "[kamer] [plaats]",
          "[room] [place]",
          "maakt een nieuwe klopcode (in een gezinsgesprek voor één plaats); de vorige werkt niet meer",
          "issues a new knock code (in a family session for one place); the previous one stops working",
          true, SessionCommands::code),
      new BotCommand(List.of("gesprek", "deelnemer"), List.of("session", "participant"),
          "<naam of C-…> [kamer]", "<name or C-…> [room]",
          "geeft in een gezinsgesprek iemand een eigen plaats, met een eigen code, link en toestemming",
          "gives someone a place of their own in a family session, with their own code, link and consent",
          true, FamilyCommands::addParticipant),
      new BotCommand(List.of("gesprek", "ouder"), List.of("session", "parent"),
          "<naam of C-…> [kamer]", "<name or C-…> [room]",
          "geeft in een gezinsgesprek een ouder of voogd een eigen plaats (of maakt een bestaande plaats dat); alleen op zo'n plaats kan een kind onder 12 steunen met 'mijn ouder doet mee'",
          "gives a parent or guardian a place of their own in a family session (or makes an existing place one); only such a place counts when a child under 12 says 'my parent takes part'",
          true, FamilyCommands::addParent),
      new BotCommand(List.of("gesprek", "verwijder"), List.of("session", "remove"),
          "@gebruiker [kamer]", "@user [room]",
          "zet in een gezinsgesprek iemand uit het gesprek en de kamer; terugkomen kan alleen met een nieuwe code",
          "takes someone out of a family session's call and room; coming back takes a new code",
          true, FamilyCommands::remove),
      new BotCommand(List.of("gesprek", "toelaten"), List.of("session", "admit"), "@gebruiker [kamer]",
          "@user [room]", "laat iemand binnen die aanklopt", "lets in someone who is knocking", true,
          SessionCommands::admit),
      new BotCommand(List.of("gesprek", "weigeren"), List.of("session", "deny"), "@gebruiker [kamer]",
          "@user [room]", "weigert iemand die aanklopt", "turns away someone who is knocking", true,
          SessionCommands::deny),
      new BotCommand(List.of("gesprek", "einde"), List.of("session", "end"), "[kamer]", "[room]",
          "beëindigt het gesprek: de cliënt gaat eruit en de kamer sluit",
          "ends the session: the client is removed and the room closes", true, SessionCommands::end),
      new BotCommand(List.of("gesprek", "doorverwijzen"), List.of("session", "refer"),
          "@hulpverlener [kamer]", "@counsellor [room]",
          "warme doorverwijzing: een hulpverlener van een partnerorganisatie komt er even bij en neemt over als jij de kamer verlaat",
          "warm referral: a counsellor of a partner organisation joins for a while and takes over when you leave the room",
          true, Referrals::refer),
      new BotCommand(List.of("gesprek", "lijst"), List.of("session", "list"), "", "",
          "toont je open gesprekken", "lists your open sessions", true, SessionCommands::list),
      new BotCommand(List.of("afspraak"), List.of("appointment"),
          "<dag> <uur> [duur] [voor C-…] | lijst | verzet <kamer|C-…> <dag> <uur> | annuleer <kamer|C-…>",
          "<day> <time> [length] [for C-…] | list | move <room|C-…> <day> <time> | cancel <room|C-…>",
          "plant een gesprek (bv. morgen 9u30, dinsdag 14:00 45m): de link werkt van kort voor het begin tot het einde, en je krijgt een herinnering",
          "plans a session (e.g. tomorrow 9:30, tuesday 14:00 45m): the link works from shortly before the start until the end, and you get a reminder",
          true, be.praatbrug.policy.appointments.AppointmentCommands::handle),
      new BotCommand(List.of("cliënt"), List.of("client"), "C-… | label C-… <tekst>",
          "C-… | label C-… <text>",
          "toont een cliëntdossier (gesprekken, toestemming) of geeft het een label dat alleen hulpverleners zien",
          "shows a client record (sessions, consent) or gives it a label only counsellors see", true,
          ClientCommands::handle),
      new BotCommand(List.of("overleg", "nieuw"), List.of("consult", "new"), "[beleid]", "[policy]",
          "maakt een versleutelde overlegruimte voor professionals van partnerorganisaties (geen cliënten)",
          "creates an encrypted room for professionals of partner organisations (no clients)", true,
          SessionCommands::createOverleg),
      new BotCommand(List.of("deur"), List.of("door"), "dienst aan|uit | lijst | opnemen <nummer>",
          "duty on|off | list | take <number>",
          "de deur op de website (anoniem eerste contact): dienst nemen, de wachtrij zien, iemand opnemen",
          "the door on the website (anonymous first contact): go on duty, see the waiting line, take someone",
          true, be.praatbrug.policy.door.DoorCommands::handle));

  private BotCommands() {}

  /** The command matching the most leading words of {@code input}, if any. */
  public static Optional<BotCommand> find(List<String> input) {
    return ALL.stream()
        .filter(command -> command.match(input) > 0)
        .max(Comparator.comparingInt(command -> command.match(input)));
  }

  /** The reply to {@code !hulp}: every command, Dutch block first, English block second. */
  public static String helpText() {
    StringBuilder text = new StringBuilder("Praatbrug — commando's:\n");
    for (BotCommand command : ALL) {
      text.append("• ").append(command.usageNl()).append(" — ").append(command.summaryNl()).append('\n');
    }
    text.append("\nPraatbrug — commands:\n");
    for (BotCommand command : ALL) {
      text.append("• ").append(command.usageEn()).append(" — ").append(command.summaryEn()).append('\n');
    }
    return text.toString().stripTrailing();
  }

  /** The reply to a command the bot does not know; it never echoes the rest of the message. */
  public static String unknownCommandText(String word) {
    return "Onbekend commando: " + PREFIX + word + ". Typ " + PREFIX + "hulp voor de lijst.\n"
        + "Unknown command: " + PREFIX + word + ". Type " + PREFIX + "help for the list.";
  }

  /** The reply to an encrypted message whose key never reached the bot. */
  static String unreadableText() {
    return "🔒 Ik kon je versleutelde bericht niet lezen: de sleutel ervan is niet bij mij aangekomen. "
        + "Was het een commando? Stuur het dan opnieuw.\n"
        + "🔒 I could not read your encrypted message: its key never reached me. "
        + "If it was a command, please send it again.";
  }

  static String counsellorsOnlyText() {
    return "Dit commando is alleen voor hulpverleners van deze organisatie.\n"
        + "This command is only for counsellors of this organisation.";
  }
}
