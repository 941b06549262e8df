package be.praatbrug.policy.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConsentStatusTest {

  @Test
  void consentIsAskedOncePerRecordAndVersionAndAgainAfterAWithdrawal() {
    assertEquals(ConsentStatus.NONE, ConsentStatus.of(null, null, "v1"));
    assertEquals(ConsentStatus.GIVEN, ConsentStatus.of(true, "v1", "v1"));
    assertEquals(ConsentStatus.NEW_VERSION, ConsentStatus.of(true, "v1", "v2"));
    assertEquals(ConsentStatus.WITHDRAWN, ConsentStatus.of(false, "v1", "v1"));
    assertEquals(ConsentStatus.NEW_VERSION, ConsentStatus.of(true, "v1", null),
        "without a current text nothing counts as given");

    assertFalse(ConsentStatus.GIVEN.mustAsk());
    assertTrue(ConsentStatus.NONE.mustAsk() && ConsentStatus.WITHDRAWN.mustAsk()
        && ConsentStatus.NEW_VERSION.mustAsk());
    assertEquals("new_version", ConsentStatus.NEW_VERSION.wireName());
  }
}
