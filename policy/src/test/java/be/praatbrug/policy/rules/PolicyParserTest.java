package be.praatbrug.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static String shipped(String name) throws Exception {
    return Files.readString(Path.of("policies", name + ".yaml"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"caw", "clb"})
  void shippedPoliciesAreValid(String name) throws Exception {
    Policy policy = PolicyParser.parse("policies/" + name + ".yaml", name, shipped(name));

    assertEquals(name, policy.organisation());
    assertEquals(2, policy.maxHumans());
    assertEquals("knock", policy.joinRule());
    assertEquals(Duration.ofDays(30), policy.maxLifetime());
    assertEquals(Duration.ofHours(24), policy.knockCodeLifetime());
    assertEquals(List.of("caw.test", "clb.test"), policy.allowedServers());
    assertTrue(policy.encryptionRequired() && policy.knockCodeSingleUse() && policy.consentRequired());
  }

  @Test
  void shippedCounsellingPoliciesNameWhomClientsAskForTheirData() throws Exception {
    Policy policy = PolicyParser.parse("policies/caw.yaml", "caw", shipped("caw"));
    assertEquals(new Policy.Privacy("de verantwoordelijke voor gegevensbescherming van het CAW",
        "privacy@caw.test", null, null), policy.privacy());
    Policy without = PolicyParser.parse("x.yaml", "x", shipped("caw").replaceAll(
        "(?s)privacy:.*?email: privacy@caw.test\n", ""));
    assertEquals(null, without.privacy());
  }

  @Test
  void aPrivacyContactMustBeUsable() {
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse(
        "caw.yaml", "caw", shipped("caw").replace("email: privacy@caw.test",
            "email: privacy at caw\n  phone: call us\n  fax: 123")));
    String all = String.join("\n", problem.problems());
    assertTrue(all.contains("privacy.email") && all.contains("privacy.phone") && all.contains("fax"), all);
  }

  @Test
  void attachmentsComeFromThePolicyWithSafeDefaults() throws Exception {
    Policy shipped = PolicyParser.parse("policies/caw.yaml", "caw", shipped("caw"));
    assertEquals(10_000_000L, shipped.attachments().maxBytes());
    assertTrue(shipped.attachments().types().contains("application/pdf"));
    Policy smaller = PolicyParser.parse("x.yaml", "x", shipped("caw")
        .replace("max_megabytes: 10", "max_megabytes: 2").replace("types: [image/jpeg, image/png, image/webp, image/gif, application/pdf]", "types: [application/pdf]"));
    assertEquals(new Policy.Attachments(2_000_000L, java.util.List.of("application/pdf")), smaller.attachments());
    Policy without = PolicyParser.parse("x.yaml", "x", shipped("caw").replaceAll("(?s)attachments:.*?(?=consent:)", ""));
    assertEquals(Policy.Attachments.DEFAULT, without.attachments());
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse("x.yaml", "x",
        shipped("caw").replace("max_megabytes: 10", "max_megabytes: 500")));
    String all = String.join("\n", problem.problems());
    assertTrue(all.contains("attachments.max_megabytes"), all);
  }

  @Test
  void theCounsellorPageLocksAfterThePolicysIdleTime() throws Exception {
    assertEquals(Duration.ofMinutes(15), PolicyParser.parse("policies/clb.yaml", "clb", shipped("clb")).desk().idleLock());
    Policy shorter = PolicyParser.parse("x.yaml", "x", shipped("caw").replace("idle_lock: 15m", "idle_lock: 5m"));
    assertEquals(Duration.ofMinutes(5), shorter.desk().idleLock());
    Policy without = PolicyParser.parse("x.yaml", "x", shipped("caw").replaceAll("(?s)desk:.*?(?=knock_codes:)", ""));
    assertEquals(Policy.Desk.DEFAULT, without.desk());
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse("caw.yaml", "caw",
        shipped("caw").replace("idle_lock: 15m", "idle_lock: soon")));
    assertTrue(String.join("\n", problem.problems()).contains("desk.idle_lock"), problem.problems().toString());
  }

  @Test
  void shippedCounsellingPoliciesAllowAHalfHourReferral() throws Exception {
    Policy policy = PolicyParser.parse("policies/caw.yaml", "caw", shipped("caw"));
    assertEquals(Policy.COUNSELLING, policy.kind());
    assertEquals(Duration.ofMinutes(30), policy.referral().handover());
  }

  @Test
  void shippedOverlegPolicyIsForProfessionalsOnly() throws Exception {
    Policy policy = PolicyParser.parse("policies/overleg.yaml", "overleg", shipped("overleg"));
    assertTrue(policy.isOverleg() && policy.encryptionRequired() && !policy.allowsReferral());
    assertEquals("invite", policy.joinRule());
    assertEquals(8, policy.maxHumans());
  }

  @Test
  void overlegPoliciesTakeNoKnocksOrReferrals() {
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse(
        "overleg.yaml", "overleg", shipped("overleg").replace("join_rule: invite", "join_rule: knock")
            + "referral:\n  handover: 10m\n"));
    String all = String.join("\n", problem.problems());
    assertTrue(all.contains("room.join_rule") && all.contains("referral"), all);
  }

  @Test
  void shippedFamilyPolicyHasTwoNamedPlacesBesideTheClients() throws Exception {
    Policy policy = PolicyParser.parse("policies/gezin.yaml", "gezin", shipped("gezin"));

    assertTrue(policy.isFamily() && !policy.isOverleg(), policy.kind());
    assertEquals(Policy.FAMILY, policy.kind());
    assertEquals(4, policy.maxHumans());
    assertEquals(2, policy.extraPlaces());
    assertEquals("knock", policy.joinRule());
    assertTrue(policy.consentRequired() && policy.encryptionRequired() && policy.knockCodeSingleUse());
    assertTrue(!policy.allowsReferral() && policy.door() == null);
    // Three people (counsellor, client, one more) is the smallest family session.
    assertEquals(1, PolicyParser.parse("x.yaml", "x", shipped("gezin")
        .replace("max_humans: 4", "max_humans: 3")).extraPlaces());
    assertEquals(0, PolicyParser.parse("policies/caw.yaml", "caw", shipped("caw")).extraPlaces());
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 5, 10})
  void aFamilyPolicyHoldsTheCounsellorAndTwoOrThreeNamedPeople(int humans) throws Exception {
    String text = shipped("gezin").replace("max_humans: 4", "max_humans: " + humans);

    PolicyException problem = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("policy/policies/gezin.yaml", "gezin", text));

    assertEquals(1, problem.problems().size(), problem.problems().toString());
    assertTrue(problem.problems().get(0).startsWith("policy/policies/gezin.yaml:"
        + lineOf(text, "max_humans:") + " members.max_humans: "), problem.problems().get(0));
    assertTrue(problem.problems().get(0).contains("(not " + humans + ")"), problem.problems().get(0));
  }

  @Test
  void aFamilyPolicyLetsInOnlyNamedPeopleWithTheirOwnCodeAndConsent() throws Exception {
    String text = shipped("gezin")
        .replace("join_rule: knock", "join_rule: invite")
        .replace("\n  required: true", "\n  required: false")
        + "referral:\n  handover: 30m\n"
        + shipped("caw").substring(shipped("caw").indexOf("\ndoor:") + 1);

    PolicyException problem = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("policy/policies/gezin.yaml", "gezin", text));

    List<String> problems = problem.problems();
    assertEquals(4, problems.size(), problems.toString());
    String file = "policy/policies/gezin.yaml:";
    assertTrue(problems.contains(file + lineOf(text, "join_rule:") + " room.join_rule: a gezin room is"
        + " entered by knocking with a place's code, so knock"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + lineOf(text, "  required: false")
        + " consent.required: ")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + lineOf(text, "referral:")
        + " referral: not available in a gezin room")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(file + lineOf(text, "door:")
        + " door: not available in a gezin room")), problems.toString());
    // Leaving consent out altogether is no way around it either.
    PolicyException without = assertThrows(PolicyException.class, () -> PolicyParser.parse("x.yaml",
        "x", shipped("gezin").replace("consent:\n  required: true\n", "")));
    assertTrue(String.join("\n", without.problems()).contains("consent.required"),
        without.problems().toString());
  }

  @Test
  void familyRulesDoNotApplyToOtherKinds() throws Exception {
    // A counselling policy may have three people, an invite-only room, a referral and a door.
    Policy three = PolicyParser.parse("x.yaml", "x", shipped("caw").replace("max_humans: 2", "max_humans: 3"));
    assertEquals(3, three.maxHumans());
    assertTrue(three.allowsReferral() && three.door() != null && !three.isFamily());
  }

  @Test
  void counsellingPoliciesStillNeedKnockCodes() {
    PolicyException problem = assertThrows(PolicyException.class, () -> PolicyParser.parse(
        "caw.yaml", "caw", shipped("caw").replaceAll("(?s)knock_codes:.*", "")));
    assertTrue(String.join("\n", problem.problems()).contains("knock_codes"), problem.problems().toString());
  }

  @Test
  void namesFileLineAndFieldForEachProblem() throws Exception {
    String broken = shipped("caw")
        .replace("max_lifetime: 30d", "max_lifetime: 30 dagen")
        .replace("join_rule: knock", "join_rule: public")
        .replace("  max_humans: 2", "  max_humans: 2\n  colour: blue");

    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("policy/policies/caw.yaml", "caw", broken));

    String all = String.join("\n", e.problems());
    assertEquals(3, e.problems().size(), all);
    assertTrue(all.matches("(?s).*policy/policies/caw\\.yaml:\\d+ members\\.colour: .*"), all);
    assertTrue(all.matches("(?s).*policy/policies/caw\\.yaml:\\d+ room\\.join_rule: .*"), all);
    assertTrue(all.matches("(?s).*policy/policies/caw\\.yaml:\\d+ retention\\.max_lifetime: .*"), all);
    int line = lineOf(broken, "max_lifetime");
    assertTrue(all.contains("caw.yaml:" + line + " retention.max_lifetime"), all);
  }

  @Test
  void reportsAMissingRequiredSection() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("x.yaml", "x", "organisation: caw\n"));

    assertTrue(e.problems().stream().anyMatch(p -> p.startsWith("x.yaml") && p.contains("members")),
        e.problems().toString());
  }

  @Test
  void pointsAtTheLineOfAYamlSyntaxError() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> PolicyParser.parse("x.yaml", "x", "organisation: caw\nmembers: [\n"));
    assertTrue(e.problems().get(0).startsWith("x.yaml:"), e.problems().get(0));
  }

  @ParameterizedTest
  @CsvSource({"45s,PT45S", "90m,PT1H30M", "24h,PT24H", "30d,PT720H"})
  void parsesDurations(String text, String expected) {
    assertEquals(Duration.parse(expected), PolicyParser.duration(text));
  }

  private static int lineOf(String text, String needle) {
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(needle)) {
        return i + 1;
      }
    }
    return -1;
  }
}
