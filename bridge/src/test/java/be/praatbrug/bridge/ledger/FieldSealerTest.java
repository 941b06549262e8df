package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class FieldSealerTest {

  private final FieldSealer sealer = new FieldSealer(new SecureRandom());
  private final byte[] clientKey = sealer.newClientKey();

  @Test
  void opensWhatItSealed() throws Exception {
    String sealed = sealer.sealField(clientKey, "c-1", "guardian_name", "An Peeters");

    assertFalse(sealed.contains("Peeters"));
    assertEquals("An Peeters", sealer.openField(clientKey, "c-1", "guardian_name", sealed));
  }

  @Test
  void sealsTheSameValueDifferentlyEachTime() {
    assertNotEquals(sealer.sealField(clientKey, "c-1", "guardian_name", "An"),
        sealer.sealField(clientKey, "c-1", "guardian_name", "An"));
  }

  @Test
  void refusesACiphertextMovedToAnotherClientOrField() {
    String sealed = sealer.sealField(clientKey, "c-1", "guardian_name", "An Peeters");

    assertThrows(GeneralSecurityException.class,
        () -> sealer.openField(clientKey, "c-2", "guardian_name", sealed));
    assertThrows(GeneralSecurityException.class,
        () -> sealer.openField(clientKey, "c-1", "removed_user", sealed));
  }

  @Test
  void cannotOpenWithAnotherKey() {
    String sealed = sealer.sealField(clientKey, "c-1", "guardian_name", "An Peeters");

    assertThrows(GeneralSecurityException.class,
        () -> sealer.openField(sealer.newClientKey(), "c-1", "guardian_name", sealed));
  }

  @Test
  void wrapsClientKeysUnderTheDataKey() throws Exception {
    byte[] dataKey = sealer.newClientKey();
    String wrapped = sealer.wrapClientKey(dataKey, "c-1", clientKey);

    assertEquals(java.util.HexFormat.of().formatHex(clientKey), java.util.HexFormat.of()
        .formatHex(sealer.unwrapClientKey(dataKey, "c-1", wrapped)));
    assertThrows(GeneralSecurityException.class,
        () -> sealer.unwrapClientKey(dataKey, "c-2", wrapped));
  }
}
