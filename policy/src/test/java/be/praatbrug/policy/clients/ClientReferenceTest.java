package be.praatbrug.policy.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClientReferenceTest {

  @Test
  void madeReferencesAreShortReadableAndVary() {
    SplittableRandom random = new SplittableRandom(7);
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String ref = ClientReference.make(random);
      assertTrue(ref.matches("C-[A-HJ-KMNP-Z2-9]{4}-[A-HJ-KMNP-Z2-9]{4}"), ref);
      assertTrue(ClientReference.isBridgeMade(ref), ref);
      made.add(ref);
    }
    assertEquals(10_000, made.size(), "no repeats in ten thousand");
  }

  @Test
  void whatPeopleTypeIsForgivenButNotGuessed() {
    for (String typed : List.of("C-7K3P-9Q2M", "c7k3p9q2m", "c-7k3p-9q2m", " C 7K3P 9Q2M ")) {
      assertEquals(Optional.of("C-7K3P-9Q2M"), ClientReference.normalise(typed), typed);
    }
    for (String typed : List.of("C-7K3P-9Q2", "C-7K3P-9Q2MX", "D-7K3P-9Q2M", "C-7K1P-9Q2M",
        "C-OK3P-9Q2M", "@client:caw.test", "", "Sara")) {
      assertEquals(Optional.empty(), ClientReference.normalise(typed), typed);
    }
    assertEquals(Optional.empty(), ClientReference.normalise(null));
  }

  @Test
  void referencesFromBeforeRecordsStayAsTheyWere() {
    assertEquals(Optional.of("cl-1aa7568ae3a65af7"), ClientReference.normalise("CL-1AA7568AE3A65AF7"));
    assertTrue(ClientReference.isLegacy("cl-1aa7568ae3a65af7"));
    assertFalse(ClientReference.isBridgeMade("cl-1aa7568ae3a65af7"));
  }

  @Test
  void referencesNamedInACommandAreFound() {
    assertEquals(Set.of("C-7K3P-9Q2M"), ClientReference.namedIn("!gesprek nieuw voor c7k3p9q2m"));
    assertEquals(Set.of("C-7K3P-9Q2M", "cl-1aa7568ae3a65af7"),
        ClientReference.namedIn("!cliënt C-7K3P-9Q2M cl-1aa7568ae3a65af7"));
    assertEquals(Set.of(), ClientReference.namedIn("!gesprek nieuw caw"));
    assertEquals(Set.of(), ClientReference.namedIn(null));
  }
}
