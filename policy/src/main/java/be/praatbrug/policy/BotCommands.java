package be.praatbrug.policy;

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

  public static final BotCommand HELP =
      new BotCommand(
          "hulp",
          List.of("help"),
          "!hulp",
          "toont deze lijst met commando's",
          "shows this list of commands",
          request -> Decision.act(new Action.SendNotice(request.event().roomId(), helpText())));

  public static final List<BotCommand> ALL = List.of(HELP);

  private BotCommands() {}

  public static Optional<BotCommand> find(String word) {
    return ALL.stream().filter(command -> command.answersTo(word)).findFirst();
  }

  /** The reply to {@code !hulp}: every command, Dutch block first, English block second. */
  public static String helpText() {
    StringBuilder text = new StringBuilder("Praatbrug — commando's:\n");
    for (BotCommand command : ALL) {
      text.append("• ").append(command.usageNl());
      for (String alias : command.aliases()) {
        text.append(" (").append(PREFIX).append(alias).append(')');
      }
      text.append(" — ").append(command.summaryNl()).append('\n');
    }
    text.append("\nPraatbrug — commands:\n");
    for (BotCommand command : ALL) {
      String english = command.aliases().isEmpty() ? command.name() : command.aliases().get(0);
      text.append("• ").append(PREFIX).append(english).append(" — ").append(command.summaryEn());
      text.append('\n');
    }
    return text.toString().stripTrailing();
  }

  /** The reply to a command the bot does not know; it never echoes the rest of the message. */
  public static String unknownCommandText(String word) {
    return "Onbekend commando: " + PREFIX + word + ". Typ " + PREFIX + "hulp voor de lijst.\n"
        + "Unknown command: " + PREFIX + word + ". Type " + PREFIX + "help for the list.";
  }
}
