package be.praatbrug.policy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FederationAllowlistTest {

  private static Policy allowing(String... servers) {
    return new Policy("p", "caw", "nl-BE", 2, "knock", true, "joined", "forbidden",
        Policy.PowerLevels.DEFAULT, Duration.ofDays(30), List.of(servers), false, false, false,
        Duration.ofHours(24), true);
  }

  @Test
  void unitesEveryPolicysServersWithoutTheOwnServerAndKeepsPortsExactly() {
    assertEquals(List.of("clb.test:18642", "partner.example"), FederationAllowlist.servers(
        List.of(allowing("caw.test:18641", "clb.test:18642"), allowing("caw.test:18641", "partner.example")),
        "caw.test:18641"));
  }

  @Test
  void rendersTheSynapseSnippet() {
    assertEquals("""
        # From Praatbrug's policies (federation.allowed_servers). Exact
        # server names, port included where a name has one; [] blocks all federation.
        federation_domain_whitelist:
          - clb.test
        """, FederationAllowlist.yaml(List.of(allowing("caw.test", "clb.test")), "caw.test"));
  }

  @Test
  void onlyTheOwnServerMeansNoFederationAtAll() {
    assertEquals(true, FederationAllowlist.yaml(List.of(allowing("caw.test")), "caw.test")
        .endsWith("federation_domain_whitelist: []\n"));
  }

  @Test
  void serverAclsNameEveryServerByHostAndKeepNamesWithPortsForSynapsesOwnCheck() {
    // Remote servers are matched by host; Synapse checks its own name, port included, on sending.
    assertEquals(List.of("caw.test", "caw.test:18641", "clb.test", "clb.test:18642"),
        allowing("caw.test:18641", "clb.test:18642", "clb.test").aclServers());
    assertEquals(List.of("caw.test", "clb.test"), allowing("caw.test", "clb.test").aclServers());
  }
}
