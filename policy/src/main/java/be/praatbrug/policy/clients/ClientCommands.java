package be.praatbrug.policy.clients;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code !cliënt} commands: a counsellor looks up a client record or gives it a label of her
 * own ("Sara, 3B"), so she knows whom a reference stands for without the bridge knowing it in
 * clear: the label is stored sealed under the client's own key and erased with the client.
 *
 * <p>Records belong to the organisation: any of its counsellors may use them, as a colleague takes
 * over a client.
 */
public final class ClientCommands {

  /** A label is a reminder, not a file: one short line. */
  public static final int MAX_LABEL = 60;
  private static final Pattern LABEL = Pattern.compile("[^\\p{Cntrl}]{1," + MAX_LABEL + "}");

  private ClientCommands() {}

  /** {@code !cliënt <ref>}, {@code !cliënt label <ref> <tekst>}, {@code !cliënt label <ref> -}. */
  public static Decision handle(CommandRequest request) {
    String first = request.argument(0);
    if (first == null) {
      return request.reply(usage());
    }
    if (!first.toLowerCase(Locale.ROOT).equals("label")) {
      return refusedRecord(request, first).orElseGet(() -> Decision.act(new Action.ShowClientRecord(
          request.event().roomId(), ClientReference.normalise(first).orElseThrow())));
    }
    String typed = request.argument(1);
    if (typed == null) {
      return request.reply(usage());
    }
    Optional<Decision> refused = refusedRecord(request, typed);
    if (refused.isPresent()) {
      return refused.get();
    }
    String ref = ClientReference.normalise(typed).orElseThrow();
    List<String> words = request.arguments().subList(2, request.arguments().size());
    String label = String.join(" ", words).strip();
    if (label.isEmpty()) {
      return request.reply("Welk label? !cliënt label " + ref + " Sara 3B (of - om het te wissen)\n"
          + "Which label? !client label " + ref + " Sara 3B (or - to remove it)");
    }
    if (label.equals("-")) {
      return Decision.act(new Action.SetClientLabel(request.event().roomId(), ref, null));
    }
    if (!LABEL.matcher(label).matches()) {
      return request.reply("Een label is één regel van hoogstens " + MAX_LABEL + " tekens.\n"
          + "A label is one line of at most " + MAX_LABEL + " characters.");
    }
    return Decision.act(new Action.SetClientLabel(request.event().roomId(), ref, label));
  }

  /**
   * Why {@code typed} names no record a new session or label can go to: not a reference, no such
   * record, or its data was erased. Empty when it names a usable record.
   */
  public static Optional<Decision> refusedRecord(CommandRequest request, String typed) {
    Optional<String> ref = ClientReference.normalise(typed);
    if (ref.isEmpty()) {
      return Optional.of(request.reply("'" + shown(typed) + "' is geen cliëntreferentie (zoals "
          + "C-7K3P-9Q2M).\n'" + shown(typed) + "' is not a client reference (like C-7K3P-9Q2M)."));
    }
    KnownClient known = request.commands().clientRecords().get(ref.get());
    if (known == null) {
      return Optional.of(request.reply("Er is geen cliëntdossier " + ref.get() + ".\n"
          + "There is no client record " + ref.get() + "."));
    }
    if (known.erased()) {
      return Optional.of(request.reply("De gegevens van cliëntdossier " + ref.get() + " zijn gewist; "
          + "het neemt geen nieuwe gesprekken meer. Begin met !gesprek nieuw (een nieuw dossier).\n"
          + "The data of client record " + ref.get() + " was erased; it takes no new sessions. Start "
          + "with !session new (a new record)."));
    }
    return Optional.empty();
  }

  /** What was typed, cut short: replies never echo much of a message. */
  private static String shown(String typed) {
    return typed.length() > 20 ? typed.substring(0, 20) + "…" : typed;
  }

  private static String usage() {
    return "Gebruik: !cliënt C-7K3P-9Q2M (dossier bekijken), !cliënt label C-7K3P-9Q2M <tekst> "
        + "(label dat alleen hulpverleners zien; - wist het)\n"
        + "Use: !client C-7K3P-9Q2M (show the record), !client label C-7K3P-9Q2M <text> (a label "
        + "only counsellors see; - removes it)";
  }
}
