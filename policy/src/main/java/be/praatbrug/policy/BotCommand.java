package be.praatbrug.policy;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One bot command, declared once: its Dutch words, English words, argument hints and help texts in
 * both languages, who may use it, and the pure handler that turns a request into a decision.
 *
 * <p>All commands live in one list ({@link BotCommands#ALL}); the dispatcher and the help text are
 * derived from it, so a command cannot exist without being documented.
 *
 * @param words e.g. {@code [gesprek, nieuw]}
 * @param englishWords e.g. {@code [session, new]}
 * @param counsellorsOnly only local, non-guest users may run it
 */
public record BotCommand(
    List<String> words,
    List<String> englishWords,
    String argumentsNl,
    String argumentsEn,
    String summaryNl,
    String summaryEn,
    boolean counsellorsOnly,
    Function<CommandRequest, Decision> handler) {

  public BotCommand {
    words = List.copyOf(words);
    englishWords = List.copyOf(englishWords);
    Objects.requireNonNull(handler, "handler");
  }

  /** How many leading words of {@code input} this command consumes, or 0 if it does not match. */
  public int match(List<String> input) {
    return startsWith(input, words) || startsWith(input, englishWords) ? words.size() : 0;
  }

  private static boolean startsWith(List<String> input, List<String> prefix) {
    if (input.size() < prefix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!input.get(i).toLowerCase(Locale.ROOT).equals(prefix.get(i))) {
        return false;
      }
    }
    return true;
  }

  public String usageNl() {
    return BotCommands.PREFIX + String.join(" ", words) + (argumentsNl.isEmpty() ? "" : " " + argumentsNl);
  }

  public String usageEn() {
    return BotCommands.PREFIX + String.join(" ", englishWords)
        + (argumentsEn.isEmpty() ? "" : " " + argumentsEn);
  }

  /**
   * A parsed command invocation.
   *
   * @param arguments the words after the command's own words
   */
  public record CommandRequest(
      BotContext context, MatrixEvent event, List<String> arguments, CommandContext commands) {
    public CommandRequest {
      arguments = List.copyOf(arguments);
    }

    public String argument(int index) {
      return index < arguments.size() ? arguments.get(index) : null;
    }

    public Decision reply(String text) {
      return Decision.act(new Action.SendNotice(event.roomId(), text));
    }
  }
}
