package be.praatbrug.policy.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import be.praatbrug.policy.rules.Policy;
import be.praatbrug.policy.rules.PolicyException;
import be.praatbrug.policy.rules.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The door section of a policy: read from the shipped CAW policy, and bad input pointed at. */
class DoorPolicyTest {

  private static String caw() throws Exception {
    return Files.readString(Path.of("policies", "caw.yaml"));
  }

  private static String withDoor(String door) throws Exception {
    return caw().replaceAll("(?s)\ndoor:.*", "\n") + door;
  }

  @Test
  void theShippedCawPolicyHasADoorWithCrisisNumbers() throws Exception {
    Policy policy = PolicyParser.parse("policies/caw.yaml", "caw", caw());
    assertTrue(policy.hasDoor());
    assertEquals(10, policy.door().places());
    assertEquals(ZoneId.of("Europe/Brussels"), policy.door().zone());
    assertTrue(policy.door().crisis().stream().anyMatch(line -> line.number().equals("1813")));
    assertEquals(7, policy.door().hours().size());
    assertFalse(PolicyParser.parse("policies/clb.yaml", "clb",
        Files.readString(Path.of("policies", "clb.yaml"))).hasDoor());
  }

  @Test
  void aSpanThatEndsBeforeItStartsIsNamedWithItsLine() throws Exception {
    String text = withDoor("door:\n  places: 3\n  hours:\n    mon: [\"17:00-09:00\"]\n"
        + "  crisis: [{name: x, number: \"112\"}]\n");
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse("caw.yaml", "caw", text));
    assertTrue(problem.problems().get(0).matches("caw\\.yaml:\\d+ door\\.hours\\.mon: 17:00-09:00 ends before it starts"),
        problem.problems().toString());
  }

  @Test
  void anUnknownTimeZoneOrAMalformedHourIsRefused() throws Exception {
    PolicyException zone = assertThrows(PolicyException.class, () -> PolicyParser.parse("caw.yaml", "caw",
        withDoor("door:\n  places: 3\n  time_zone: Europe/Gent\n  hours: {}\n  crisis: [{name: x, number: \"112\"}]\n")));
    assertTrue(zone.problems().get(0).contains("door.time_zone: unknown time zone Europe/Gent"), zone.problems().toString());
    PolicyException hour = assertThrows(PolicyException.class, () -> PolicyParser.parse("caw.yaml", "caw",
        withDoor("door:\n  places: 3\n  hours: {mon: [\"9-17\"]}\n  crisis: [{name: x, number: \"112\"}]\n")));
    assertTrue(hour.problems().get(0).contains("door.hours.mon"), hour.problems().toString());
    PolicyException noCrisis = assertThrows(PolicyException.class, () -> PolicyParser.parse("caw.yaml", "caw",
        withDoor("door:\n  places: 3\n  hours: {}\n  crisis: []\n")));
    assertTrue(noCrisis.problems().get(0).contains("door.crisis"), noCrisis.problems().toString());
  }

  @Test
  void anOverlegPolicyCannotHaveADoor() throws Exception {
    String overleg = Files.readString(Path.of("policies", "overleg.yaml"))
        + "\ndoor:\n  places: 3\n  hours: {}\n  crisis: [{name: x, number: \"112\"}]\n";
    assertThrows(PolicyException.class, () -> PolicyParser.parse("overleg.yaml", "overleg", overleg));
  }
}
