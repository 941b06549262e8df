package be.praatbrug.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

/** Published test vectors: RFC 7748 (X25519), RFC 5869 (HKDF-SHA-256), RFC 8032 (Ed25519). */
class KnownVectorsTest {

  private static final HexFormat HEX = HexFormat.of();

  private static byte[] hex(String text) {
    return HEX.parseHex(text);
  }

  private static byte[] x25519(byte[] scalar, byte[] u) {
    byte[] out = new byte[32];
    X25519.scalarMult(scalar, 0, u, 0, out, 0);
    return out;
  }

  @Test
  void rfc7748Section52ScalarMultiplication() {
    assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", HEX.formatHex(x25519(
        hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
        hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
    assertEquals("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957", HEX.formatHex(x25519(
        hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d"),
        hex("e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))));
  }

  @Test
  void rfc7748Section52IteratedThousandTimes() {
    byte[] k = hex("0900000000000000000000000000000000000000000000000000000000000000");
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] next = x25519(k, u);
      u = k;
      k = next;
      if (i == 1) {
        assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", HEX.formatHex(k));
      }
    }
    assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", HEX.formatHex(k));
  }

  @Test
  void rfc7748Section61DiffieHellmanThroughOurKeyPairs() {
    Curve25519KeyPair alice = Curve25519KeyPair.fromSecret(hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    Curve25519KeyPair bob = Curve25519KeyPair.fromSecret(hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", HEX.formatHex(alice.publicKey()));
    assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", HEX.formatHex(bob.publicKey()));
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertEquals(shared, HEX.formatHex(alice.agree(bob.publicKey())));
    assertEquals(shared, HEX.formatHex(bob.agree(alice.publicKey())));
  }

  @Test
  void rfc5869Case1Basic() {
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(Primitives.hkdfSha256(hex("000102030405060708090a0b0c"),
            hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), hex("f0f1f2f3f4f5f6f7f8f9"), 42)));
  }

  @Test
  void rfc5869Case2LongInputs() {
    byte[] ikm = new byte[80];
    byte[] salt = new byte[80];
    byte[] info = new byte[80];
    for (int i = 0; i < 80; i++) {
      ikm[i] = (byte) i;
      salt[i] = (byte) (0x60 + i);
      info[i] = (byte) (0xb0 + i);
    }
    assertEquals("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
        + "cc30c58179ec3e87c14c01d5c1f3434f1d87", HEX.formatHex(Primitives.hkdfSha256(salt, ikm, info, 82)));
  }

  @Test
  void rfc5869Case3EmptySaltAndInfo() {
    assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        HEX.formatHex(Primitives.hkdfSha256(new byte[0], hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), new byte[0], 42)));
  }

  @Test
  void rfc8032Test1EmptyMessage() {
    Ed25519KeyPair key = Ed25519KeyPair.fromSeed(hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", HEX.formatHex(key.publicKey()));
    byte[] signature = key.sign(new byte[0]);
    assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b", HEX.formatHex(signature));
    assertTrue(Ed25519Verifier.verify(key.publicKey(), new byte[0], signature));
    signature[0] ^= 1;
    assertFalse(Ed25519Verifier.verify(key.publicKey(), new byte[0], signature));
  }

  @Test
  void constantTimeEqualsComparesBytesAndBounds() {
    assertTrue(Primitives.constantTimeEquals(hex("0102"), hex("0102")));
    assertFalse(Primitives.constantTimeEquals(hex("0102"), hex("0103")));
    assertFalse(Primitives.constantTimeEquals(hex("0102"), hex("010203")));
    assertFalse(Primitives.constantTimeEquals(hex("0102"), 1, hex("0102"), 0, 2));
    assertArrayEquals(new byte[0], Base64s.decode("", "empty"));
  }
}
