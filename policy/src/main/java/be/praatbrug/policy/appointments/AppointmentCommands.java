package be.praatbrug.policy.appointments;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.clients.ClientCommands;
import be.praatbrug.policy.clients.ClientReference;
import be.praatbrug.policy.rooms.RoomSnapshot;
import be.praatbrug.policy.rooms.SessionCommands;
import be.praatbrug.policy.rules.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code !afspraak} ({@code !appointment}): plan a session at a time, list, move and cancel.
 *
 * <p>Planning makes the room and the client's link at once; the link works only in the window
 * {@link AppointmentWindow} gives. An appointment is named by its room's handle or its client
 * record, as the counsellor knows it.
 */
public final class AppointmentCommands {

  private AppointmentCommands() {}

  public static Decision handle(CommandRequest request) {
    String first = request.argument(0);
    if (first == null) {
      return request.reply(usage());
    }
    return switch (first.toLowerCase(Locale.ROOT)) {
      case "lijst", "list" -> list(request);
      case "verzet", "move" -> move(request);
      case "annuleer", "cancel" -> cancel(request);
      default -> plan(request);
    };
  }

  static String usage() {
    return "Plan een gesprek: !afspraak <dag> <uur> [duur] [voor C-…], bv. !afspraak dinsdag 14:00 45m "
        + "voor C-7K3P-9Q2M of !afspraak morgen 9u30. Verder: !afspraak lijst, !afspraak verzet "
        + "<kamer|C-…> <dag> <uur> [duur], !afspraak annuleer <kamer|C-…>.\n"
        + "Plan a session: !appointment <day> <time> [length] [for C-…], e.g. !appointment tuesday "
        + "14:00 45m for C-7K3P-9Q2M or !appointment tomorrow 9:30. Also: !appointment list, "
        + "!appointment move <room|C-…> <day> <time> [length], !appointment cancel <room|C-…>.";
  }

  private static Decision plan(CommandRequest request) {
    List<String> words = new ArrayList<>(request.arguments());
    String clientRef = null;
    int voor = forWordAt(words);
    if (voor >= 0) {
      if (voor + 1 >= words.size()) {
        return request.reply("Voor welke cliënt? !afspraak morgen 9u30 voor C-7K3P-9Q2M\n"
            + "For which client? !appointment tomorrow 9:30 for C-7K3P-9Q2M");
      }
      String typed = words.get(voor + 1);
      Optional<Decision> refused = ClientCommands.refusedRecord(request, typed);
      if (refused.isPresent()) {
        return refused.get();
      }
      clientRef = ClientReference.normalise(typed).orElseThrow();
      words.remove(voor + 1);
      words.remove(voor);
    }
    String policy = request.commands().defaultPolicy();
    Policy.Appointments rules = rules(request, policy);
    AppointmentTime.Result result =
        AppointmentTime.parse(words, request.commands().now(), rules.defaultLength());
    if (!result.ok()) {
      return request.reply(result.problem() + "\n\n" + usage());
    }
    Optional<Decision> clash = clash(request, result.slot(), null);
    if (clash.isPresent()) {
      return clash.get();
    }
    return Decision.act(new Action.PlanAppointment(request.event().roomId(), request.event().sender(),
        policy, clientRef, result.slot().start(), result.slot().end()));
  }

  private static Decision list(CommandRequest request) {
    List<PlannedAppointment> planned = request.commands().appointments();
    if (planned.isEmpty()) {
      return request.reply("Je hebt geen geplande gesprekken. Plan er een met !afspraak morgen 9u30.\n"
          + "You have no planned sessions. Plan one with !appointment tomorrow 9:30.");
    }
    String lines = planned.stream()
        .map(appointment -> "• " + appointment.whenNl() + " — '" + appointment.roomName() + "' — "
            + (appointment.clientRef() == null ? "nieuwe cliënt / new client" : appointment.clientRef()))
        .collect(Collectors.joining("\n"));
    return request.reply("Je geplande gesprekken / your planned sessions:\n" + lines);
  }

  private static Decision move(CommandRequest request) {
    List<String> arguments = request.arguments();
    if (arguments.size() < 4) {
      return request.reply("Zeg welke afspraak en wanneer: !afspraak verzet <kamer|C-…> <dag> <uur> [duur]\n"
          + "Say which appointment and when: !appointment move <room|C-…> <day> <time> [length]");
    }
    return withAppointment(request, arguments.get(1), appointment -> {
      Policy.Appointments rules = rules(request, request.commands().defaultPolicy());
      AppointmentTime.Result result = AppointmentTime.parse(arguments.subList(2, arguments.size()),
          request.commands().now(), rules.defaultLength());
      if (!result.ok()) {
        return request.reply(result.problem());
      }
      if (arguments.size() == 4) {
        // Moved without a new length: it keeps its own.
        result = AppointmentTime.Result.of(new AppointmentTime.Slot(result.slot().start(),
            java.time.Duration.between(appointment.start(), appointment.end())));
      }
      Optional<Decision> clash = clash(request, result.slot(), appointment);
      if (clash.isPresent()) {
        return clash.get();
      }
      return Decision.act(new Action.MoveAppointment(request.event().roomId(), appointment.roomId(),
          result.slot().start(), result.slot().end()));
    });
  }

  private static Decision cancel(CommandRequest request) {
    if (request.argument(1) == null) {
      return request.reply("Welke afspraak? !afspraak annuleer <kamer|C-…>\n"
          + "Which appointment? !appointment cancel <room|C-…>");
    }
    return withAppointment(request, request.argument(1), appointment -> {
      Optional<RoomSnapshot> room = request.commands().senderRooms().stream()
          .filter(snapshot -> snapshot.roomId().equals(appointment.roomId())).findFirst();
      if (room.isPresent() && room.get().clientId() != null) {
        return request.reply("Het gesprek in '" + appointment.roomName() + "' loopt al; beëindig het "
            + "met !gesprek einde " + appointment.roomName() + ".\nThe session in '"
            + appointment.roomName() + "' is already running; end it with !session end "
            + appointment.roomName() + ".");
      }
      List<Action> actions = new ArrayList<>();
      actions.add(new Action.CancelAppointment(request.event().roomId(), appointment.roomId()));
      String notice = "🗓️ De afspraak van " + appointment.whenNl() + " in '" + appointment.roomName()
          + "' is geannuleerd. De link werkt niet meer; de cliënt ziet dat de afspraak niet doorgaat.\n"
          + "🗓️ The appointment of " + appointment.whenEn() + " in '" + appointment.roomName()
          + "' is cancelled. The link no longer works; the client sees the appointment is off.";
      if (room.isPresent()) {
        actions.addAll(SessionCommands.endActions(room.get(), request.context(),
            request.event().roomId(), notice));
      } else {
        actions.add(new Action.SendNotice(request.event().roomId(), notice));
      }
      return new Decision.Act(actions);
    });
  }

  /** The counsellor's appointment named by room handle, room id or client record. */
  private static Decision withAppointment(CommandRequest request, String typed,
      java.util.function.Function<PlannedAppointment, Decision> action) {
    String wanted = typed.toLowerCase(Locale.ROOT);
    Optional<String> ref = ClientReference.normalise(typed);
    List<PlannedAppointment> matching = request.commands().appointments().stream()
        .filter(appointment -> appointment.roomId().equals(typed) || wanted.equals(appointment.roomName())
            || (ref.isPresent() && ref.get().equals(appointment.clientRef())))
        .toList();
    if (matching.size() == 1) {
      return action.apply(matching.get(0));
    }
    String names = request.commands().appointments().stream()
        .map(appointment -> appointment.roomName() + " (" + appointment.whenNl() + ")")
        .collect(Collectors.joining(", "));
    if (matching.isEmpty()) {
      return request.reply("Geen geplande afspraak '" + clip(typed) + "' van jou. Jouw afspraken: "
          + (names.isEmpty() ? "—" : names) + "\nNo planned appointment '" + clip(typed)
          + "' of yours. Your appointments: " + (names.isEmpty() ? "—" : names));
    }
    return request.reply("Die cliënt heeft meer dan één afspraak; noem de kamer: " + names
        + "\nThat client has more than one appointment; name the room: " + names);
  }

  /** A counsellor cannot be in two planned sessions at once. */
  private static Optional<Decision> clash(CommandRequest request, AppointmentTime.Slot slot,
      PlannedAppointment moving) {
    return request.commands().appointments().stream()
        .filter(other -> moving == null || !other.appointmentId().equals(moving.appointmentId()))
        .filter(other -> other.start().isBefore(slot.end()) && slot.start().isBefore(other.end()))
        .findFirst()
        .map(other -> request.reply("Dat valt samen met je afspraak van " + other.whenNl() + " in '"
            + other.roomName() + "'. Kies een ander uur, of verzet of annuleer die eerst.\n"
            + "That overlaps your appointment of " + other.whenEn() + " in '" + other.roomName()
            + "'. Pick another time, or move or cancel that one first."));
  }

  private static Policy.Appointments rules(CommandRequest request, String policy) {
    Policy found = request.commands().policies().get(policy);
    return found == null ? Policy.Appointments.DEFAULT : found.appointments();
  }

  private static int forWordAt(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String word = words.get(i).toLowerCase(Locale.ROOT);
      if (word.equals("voor") || word.equals("for")) {
        return i;
      }
    }
    return -1;
  }

  private static String clip(String typed) {
    return typed.length() <= 24 ? typed : typed.substring(0, 24) + "…";
  }
}
