package be.praatbrug.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides what the bot does with one event in a room it is in or invited to: accept invites from
 * its own organisation and answer {@code !commands}.
 *
 * <p>Pure and deterministic: same context and event, same decision. No I/O.
 */
public final class BotDecider {

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /** Command words are short and plain; anything else is not treated as a command. */
  private static final Pattern COMMAND_WORD = Pattern.compile("[\\p{L}\\p{N}_-]{1,32}");

  private BotDecider() {}

  /** For events where no command context is needed (invites, {@code !hulp}). */
  public static Decision decide(BotContext context, MatrixEvent event) {
    return decide(context, event, CommandContext.empty());
  }

  public static Decision decide(BotContext context, MatrixEvent event, CommandContext commands) {
    // Nothing the bot itself sent needs a reaction; answering itself would loop.
    if (context.isBot(event.sender())) {
      return Decision.ignore("sent by the bot itself");
    }
    return switch (event.type()) {
      case "m.room.member" -> decideMembership(context, event);
      case "m.room.message" -> decideMessage(context, event, commands);
      case "m.room.encrypted" -> Decision.ignore("encrypted event the bridge did not decrypt (counselling room, or no room key)");
      // Said, not ignored: the sender would otherwise wait for an answer to a command nobody read.
      case MatrixEvent.UNREADABLE_ENCRYPTED -> Decision.act(new Action.SendNotice(event.roomId(), BotCommands.unreadableText()));
      default -> Decision.ignore("event type not handled: " + event.type());
    };
  }

  private static Decision decideMembership(BotContext context, MatrixEvent event) {
    // Only invites addressed to the bot matter here; other members are room business.
    if (!context.isBot(event.stateKey()) || !"invite".equals(event.contentString("membership"))) {
      return Decision.ignore("membership change not addressed to the bot");
    }
    // Federation is for partner organisations' rooms, not for strangers recruiting our bot.
    if (!context.isLocal(event.sender())) {
      return Decision.ignore("invite from another server: " + MatrixEvent.serverOf(event.sender()));
    }
    return Decision.act(new Action.JoinRoom(event.roomId()));
  }

  private static Decision decideMessage(
      BotContext context, MatrixEvent event, CommandContext commands) {
    String msgtype = event.contentString("msgtype");
    String body = event.contentString("body");
    // Notices are bot output by convention; answering them could make two bots talk forever.
    if (!"m.text".equals(msgtype) || body == null) {
      return Decision.ignore("not a text message");
    }
    Optional<List<String>> words = commandWords(body);
    if (words.isEmpty()) {
      return Decision.ignore("not a command");
    }
    List<String> input = words.get();
    Optional<BotCommand> command = BotCommands.find(input);
    if (command.isEmpty()) {
      return Decision.act(
          new Action.SendNotice(event.roomId(), BotCommands.unknownCommandText(input.get(0))));
    }
    // Counsellors are this organisation's own users, never the accounts made for clients.
    boolean counsellor = context.isLocal(event.sender())
        && !event.sender().startsWith("@" + commands.guestLocalpartPrefix());
    if (command.get().counsellorsOnly() && !counsellor) {
      return Decision.act(new Action.SendNotice(event.roomId(), BotCommands.counsellorsOnlyText()));
    }
    List<String> arguments = input.subList(command.get().match(input), input.size());
    return command.get().handler().apply(
        new BotCommand.CommandRequest(context, event, arguments, commands));
  }

  /** {@code "!hulp a b"} → {@code [hulp, a, b]}; empty if the body is not a command. */
  static Optional<List<String>> commandWords(String body) {
    String trimmed = body.strip();
    if (!trimmed.startsWith(BotCommands.PREFIX) || trimmed.length() == 1) {
      return Optional.empty();
    }
    List<String> words = Arrays.asList(WHITESPACE.split(trimmed.substring(1)));
    if (!COMMAND_WORD.matcher(words.get(0)).matches()) {
      return Optional.empty();
    }
    return Optional.of(words);
  }
}
