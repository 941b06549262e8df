package be.praatbrug.policy;

import be.praatbrug.policy.BotCommand.CommandRequest;
import java.util.List;
import java.util.Locale;

/**
 * The {@code !toestemming} commands a client gives the bot: read the consent text, consent (for a
 * child under 12: a parent or guardian, by name), or withdraw.
 *
 * <p>Only the person concerned can consent for themselves: the sender is who the consent is about.
 */
public final class ConsentCommands {

  private ConsentCommands() {}

  public static Decision handle(CommandRequest request) {
    String verb = request.argument(0) == null ? "" : request.argument(0).toLowerCase(Locale.ROOT);
    String roomId = request.event().roomId();
    String sender = request.event().sender();
    return switch (verb) {
      case "" -> Decision.act(new Action.ShowConsentText(roomId));
      case "geef", "give", "akkoord", "agree" -> {
        List<String> rest = request.arguments().subList(1, request.arguments().size());
        if (!rest.isEmpty() && List.of("voogd", "guardian", "ouder", "parent")
            .contains(rest.get(0).toLowerCase(Locale.ROOT))) {
          String guardian = String.join(" ", rest.subList(1, rest.size())).strip();
          if (guardian.isEmpty()) {
            yield request.reply("Geef de naam van de ouder of voogd: !toestemming geef voogd Voornaam Naam\n"
                + "Give the parent's or guardian's name: !consent give guardian First Last");
          }
          yield Decision.act(new Action.RecordConsent(roomId, sender, guardian));
        }
        yield Decision.act(new Action.RecordConsent(roomId, sender, null));
      }
      case "intrekken", "withdraw" -> Decision.act(new Action.WithdrawConsent(roomId, sender));
      default -> request.reply("Gebruik: !toestemming, !toestemming geef [voogd Naam], !toestemming intrekken\n"
          + "Use: !consent, !consent give [guardian Name], !consent withdraw");
    };
  }
}
