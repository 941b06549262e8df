package be.praatbrug.bridge.entry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GuestRequestTest {

  private static JsonObject good() {
    return new JsonObject().put("code", "KX7P-3MQ9").put("name", "  Bram ").put("agreed", true)
        .put("consent_version", "v1").put("language", "nl");
  }

  private static String fieldOf(JsonObject body) {
    return assertThrows(GuestRequest.Invalid.class, () -> GuestRequest.from(body)).field();
  }

  @Test
  void readsAClientsAgreement() throws Exception {
    GuestRequest request = GuestRequest.from(good());
    assertEquals("Bram", request.name());
    assertNull(request.guardianName());
    assertEquals("nl", request.language());
  }

  @Test
  void aChildUnder12NeedsAParentOrGuardianWhoAgrees() throws Exception {
    assertEquals("guardian_name", fieldOf(good().put("under_12", true)));
    assertEquals("guardian_consents", fieldOf(good().put("under_12", true).put("guardian_name", "An Peeters")));
    GuestRequest child = GuestRequest.from(good().put("under_12", true).put("guardian_name", "An Peeters")
        .put("guardian_consents", true));
    assertEquals("An Peeters", child.guardianName());
  }

  @Test
  void namesEachBadField() {
    assertEquals("name", fieldOf(good().put("name", "<img src=x>")));
    assertEquals("name", fieldOf(good().put("name", "x".repeat(41))));
    assertEquals("name", fieldOf(good().put("name", 42)));
    assertEquals("agreed", fieldOf(good().put("agreed", false)));
    assertEquals("under_12", fieldOf(good().put("under_12", "yes")));
    assertEquals("language", fieldOf(good().put("language", "fr")));
    assertEquals("code", fieldOf(good().put("code", " ")));
  }

  @Test
  void neverPrintsTheName() throws Exception {
    assertFalse(GuestRequest.from(good()).toString().contains("Bram"));
  }

  @Test
  void aReturningClientConfirmsWithoutTheFormAndMayLeaveTheNameOut() throws Exception {
    JsonObject returning = new JsonObject().put("code", "KX7P-3MQ9").put("consent_on_record", true)
        .put("consent_version", "v1").put("language", "nl");

    GuestRequest unnamed = GuestRequest.returning(returning);
    assertEquals("Cliënt", unnamed.name());
    assertNull(unnamed.guardianName());
    assertEquals("Client", GuestRequest.returning(returning.copy().put("language", "en")).name());
    assertEquals("Noor", GuestRequest.returning(returning.copy().put("name", " Noor ")).name());
    assertEquals("name", assertThrows(GuestRequest.Invalid.class,
        () -> GuestRequest.returning(returning.copy().put("name", "<b>x</b>"))).field());
    assertEquals("consent_version", assertThrows(GuestRequest.Invalid.class,
        () -> GuestRequest.returning(returning.copy().put("consent_version", ""))).field());
  }
}
