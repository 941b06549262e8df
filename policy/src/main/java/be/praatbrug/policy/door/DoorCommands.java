package be.praatbrug.policy.door;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import java.util.Locale;

/**
 * {@code !deur}: a counsellor goes on or off duty at the door, sees the waiting line, or takes the
 * person with a number from it. Which numbers exist and who took them first is the bridge's to
 * know; this only reads what she asked.
 */
public final class DoorCommands {

  private static final String USAGE = "Gebruik: !deur dienst aan | !deur dienst uit | !deur lijst | "
      + "!deur opnemen <nummer>\nUsage: !door duty on | !door duty off | !door list | !door take <number>";

  private DoorCommands() {}

  public static Decision handle(CommandRequest request) {
    String room = request.event().roomId();
    String counsellor = request.event().sender();
    String first = word(request, 0);
    return switch (first) {
      case "", "lijst", "list" -> Decision.act(new Action.ShowDoorLine(room, counsellor));
      case "dienst", "duty" -> switch (word(request, 1)) {
        case "aan", "on" -> Decision.act(new Action.SetDoorDuty(room, counsellor, true));
        case "uit", "off" -> Decision.act(new Action.SetDoorDuty(room, counsellor, false));
        default -> request.reply(USAGE);
      };
      case "opnemen", "take" -> number(word(request, 1))
          .map(number -> Decision.act(new Action.TakeFromDoor(room, counsellor, number)))
          .orElseGet(() -> request.reply("Welk nummer? Bv. !deur opnemen 7\nWhich number? E.g. !door take 7"));
      default -> request.reply(USAGE);
    };
  }

  private static String word(CommandRequest request, int index) {
    String word = request.argument(index);
    return word == null ? "" : word.toLowerCase(Locale.ROOT);
  }

  /** A line number as the door shows it ({@code 7}, or {@code nr. 7}'s {@code 7}, {@code #7}). */
  static java.util.Optional<Integer> number(String typed) {
    String digits = typed.startsWith("#") ? typed.substring(1) : typed;
    if (!digits.matches("[1-9][0-9]{0,8}")) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(Integer.parseInt(digits));
  }
}
