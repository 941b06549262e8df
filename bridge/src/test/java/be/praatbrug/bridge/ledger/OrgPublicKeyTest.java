package be.praatbrug.bridge.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class OrgPublicKeyTest {

  private final OrgKeys keys = TestChains.keys();

  @Test
  void theJavaRuntimeVerifiesOurSignaturesFromThePublishedPemAlone() throws Exception {
    byte[] message = "praatbrug".getBytes(StandardCharsets.UTF_8);
    String signature = keys.sign(message);
    String pem = keys.publicKey().pem();

    // An independent Ed25519 implementation (the JDK's, not BouncyCastle) and only the PEM text.
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    PublicKey published = KeyFactory.getInstance("Ed25519")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(published);
    verifier.update(message);

    assertTrue(verifier.verify(Base64.getDecoder().decode(signature)));
  }

  @Test
  void readsBackItsOwnPem() {
    assertEquals(keys.publicKey(), OrgPublicKey.fromPem(keys.publicKey().pem()));
  }

  @Test
  void rejectsAPemThatIsNotAnEd25519Key() {
    assertThrows(IllegalArgumentException.class, () -> OrgPublicKey.fromPem(
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
  }

  @Test
  void rejectsAlteredMessagesAndGarbledSignatures() {
    byte[] message = "one".getBytes(StandardCharsets.UTF_8);
    String signature = keys.sign(message);

    assertTrue(keys.publicKey().verifies(message, signature));
    assertFalse(keys.publicKey().verifies("two".getBytes(StandardCharsets.UTF_8), signature));
    assertFalse(keys.publicKey().verifies(message, "not base64!"));
    assertFalse(keys.publicKey().verifies(message, Base64.getEncoder().encodeToString(new byte[3])));
  }

  @Test
  void neverPrintsItsSecrets() {
    assertFalse(keys.toString().contains(Base64.getEncoder().encodeToString(keys.dataKey())));
    assertTrue(keys.toString().contains(keys.publicKey().fingerprint()));
  }
}
