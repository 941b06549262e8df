package be.praatbrug.policy;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One bot command, declared once: its Dutch name, other aliases (English first), help texts in both
 * languages, and the pure handler that turns a request into a decision.
 *
 * <p>All commands live in one list ({@link BotCommands#ALL}); the dispatcher and the help text are
 * derived from it, so a command cannot exist without being documented.
 */
public record BotCommand(
    String name,
    List<String> aliases,
    String usageNl,
    String summaryNl,
    String summaryEn,
    Function<CommandRequest, Decision> handler) {

  public BotCommand {
    Objects.requireNonNull(name, "name");
    aliases = List.copyOf(aliases);
    Objects.requireNonNull(handler, "handler");
  }

  public boolean answersTo(String word) {
    return name.equalsIgnoreCase(word) || aliases.stream().anyMatch(word::equalsIgnoreCase);
  }

  /**
   * A parsed command invocation.
   *
   * @param arguments the words after the command name, split on whitespace
   */
  public record CommandRequest(BotContext context, MatrixEvent event, List<String> arguments) {
    public CommandRequest {
      arguments = List.copyOf(arguments);
    }
  }
}
