package be.praatbrug.bridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import be.praatbrug.bridge.config.BridgeConfig.AdminSection.Floor;
import be.praatbrug.policy.rules.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** No policy saved through the admin API may weaken what the deployment requires. */
class PolicyFloorTest {

  private static final PolicyFloor FLOOR =
      new PolicyFloor(new Floor(2, Duration.ofDays(365), true, true, true));

  private static List<String> fieldsBelowFloor(String from, String to) throws Exception {
    String yaml = Files.readString(Path.of("../policy/policies/caw.yaml"));
    // Regular expressions, so "required: true" can mean the consent line only.
    String edited = yaml.replaceAll(from, to);
    assertEquals(false, edited.equals(yaml), "the edit applies: " + from);
    return FLOOR.check(PolicyParser.parse("policy", "caw", edited)).stream()
        .map(PolicyProblem::field).toList();
  }

  @Test
  void theShippedPolicyMeetsTheDefaultFloor() throws Exception {
    assertEquals(List.of(), fieldsBelowFloor("max_lifetime: 30d", "max_lifetime: 365d"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "max_humans: 2           | max_humans: 3             | members.max_humans",
      "max_lifetime: 30d       | max_lifetime: 366d        | retention.max_lifetime",
      "encryption_required: true | encryption_required: false | room.encryption_required",
      "join_rule: knock        | join_rule: invite         | room.join_rule",
      "'(?m)^  required: true' | '  required: false'      | consent.required"})
  void refusesEachWayOfWeakeningTheRooms(String from, String to, String field) throws Exception {
    assertEquals(List.of(field), fieldsBelowFloor(from, to));
  }

  @Test
  void theOverlegPolicyMeetsTheFloorButStillNeedsEncryption() throws Exception {
    String yaml = Files.readString(Path.of("../policy/policies/overleg.yaml"));
    assertEquals(List.of(), FLOOR.check(PolicyParser.parse("policy", "overleg", yaml)));
    assertEquals(List.of("room.encryption_required"), FLOOR.check(PolicyParser.parse("policy", "overleg",
        yaml.replace("encryption_required: true", "encryption_required: false"))).stream()
        .map(PolicyProblem::field).toList());
  }

  @Test
  void aLooserFloorAllowsWhatItDoesNotRequire() throws Exception {
    PolicyFloor loose = new PolicyFloor(new Floor(3, Duration.ofDays(400), true, false, true));
    String yaml = Files.readString(Path.of("../policy/policies/caw.yaml"))
        .replace("max_humans: 2", "max_humans: 3").replace("join_rule: knock", "join_rule: invite");
    assertEquals(List.of(), loose.check(PolicyParser.parse("policy", "caw", yaml)));
  }
}
