package be.praatbrug.bridge.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import be.praatbrug.policy.rules.PolicyException;
import be.praatbrug.policy.rules.PolicyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser's problem lines come back as field, line and message for the admin page. */
class PolicyProblemTest {

  private static String shipped() throws Exception {
    return Files.readString(Path.of("../policy/policies/caw.yaml"));
  }

  private static List<PolicyProblem> problems(String yaml) {
    PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("policy", "caw", yaml));
    return e.problems().stream().map(PolicyProblem::fromParser).toList();
  }

  @Test
  void aBadDurationNamesTheRetentionFieldAndItsLine() throws Exception {
    String yaml = shipped().replace("max_lifetime: 30d", "max_lifetime: 7 dagen");
    PolicyProblem problem = problems(yaml).get(0);
    assertEquals("retention.max_lifetime", problem.field());
    assertEquals("schema", problem.kind());
    int line = List.of(yaml.split("\n")).indexOf("  max_lifetime: 7 dagen") + 1;
    assertEquals(line, problem.line());
  }

  @Test
  void aMissingSectionIsAProblemOfThatSection() throws Exception {
    String yaml = shipped().replaceAll("(?s)knock_codes:.*", "");
    PolicyProblem problem = problems(yaml).get(0);
    assertEquals("knock_codes", problem.field());
  }

  @Test
  void brokenYamlIsASyntaxProblemWithItsLine() {
    PolicyProblem problem = problems("organisation: caw\nmembers: [unclosed\n").get(0);
    assertEquals("syntax", problem.kind());
    assertEquals("", problem.field());
    assertEquals(true, problem.line() > 0);
  }
}
