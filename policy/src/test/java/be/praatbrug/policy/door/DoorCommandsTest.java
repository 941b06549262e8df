package be.praatbrug.policy.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.Action;
import be.praatbrug.policy.BotCommand.CommandRequest;
import be.praatbrug.policy.BotCommands;
import be.praatbrug.policy.BotContext;
import be.praatbrug.policy.CommandContext;
import be.praatbrug.policy.Decision;
import be.praatbrug.policy.MatrixEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** !deur in Dutch and English: what the counsellor asked becomes one action, or a usage line. */
class DoorCommandsTest {

  private static final String CHAT = "!dm:caw.test";
  private static final String ME = "@sara:caw.test";

  private static Decision run(String typed) {
    List<String> words = Arrays.asList(typed.trim().substring(1).split("\\s+"));
    var command = BotCommands.find(words).orElseThrow();
    MatrixEvent event = new MatrixEvent(CHAT, "$1", ME, "m.room.message", null,
        Map.of("msgtype", "m.text", "body", typed));
    return command.handler().apply(new CommandRequest(new BotContext("@praatbrug:caw.test", "caw.test"),
        event, words.subList(command.match(words), words.size()), CommandContext.empty()));
  }

  private static Action only(Decision decision) {
    List<Action> actions = assertInstanceOf(Decision.Act.class, decision).actions();
    assertEquals(1, actions.size());
    return actions.get(0);
  }

  @ParameterizedTest
  @CsvSource({"!deur dienst aan, true", "!door duty on, true", "!deur dienst uit, false", "!DOOR Duty OFF, false"})
  void dutyOnAndOff(String typed, boolean on) {
    assertEquals(new Action.SetDoorDuty(CHAT, ME, on), only(run(typed)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"!deur", "!deur lijst", "!door list"})
  void theLine(String typed) {
    assertEquals(new Action.ShowDoorLine(CHAT, ME), only(run(typed)));
  }

  @ParameterizedTest
  @CsvSource({"!deur opnemen 7, 7", "!door take #12, 12", "!deur opnemen 123456789, 123456789"})
  void takingANumber(String typed, int number) {
    assertEquals(new Action.TakeFromDoor(CHAT, ME, number), only(run(typed)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"!deur opnemen", "!deur opnemen zeven", "!deur opnemen 0", "!deur opnemen -3",
      "!deur opnemen 99999999999", "!deur dienst", "!deur dienst misschien", "!deur open"})
  void anythingElseGetsAUsageLineAndNoAction(String typed) {
    Action.SendNotice reply = assertInstanceOf(Action.SendNotice.class, only(run(typed)));
    assertTrue(reply.plainText().contains("!deur") || reply.plainText().contains("nummer"), reply.plainText());
  }
}
