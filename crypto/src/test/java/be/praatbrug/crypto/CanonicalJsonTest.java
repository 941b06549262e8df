package be.praatbrug.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Examples from the Matrix spec's canonical JSON appendix, plus the signing rules. */
class CanonicalJsonTest {

  private static String canonical(Object value) {
    return new String(CanonicalJson.encode(value), StandardCharsets.UTF_8);
  }

  @Test
  void sortsKeysAndDropsWhitespace() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("b", "2");
    object.put("a", "1");
    assertEquals("{\"a\":\"1\",\"b\":\"2\"}", canonical(object));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("one", 1);
    nested.put("two", "Two");
    assertEquals("{\"one\":1,\"two\":\"Two\"}", canonical(nested));
  }

  @Test
  void keepsUnicodeAndEscapesControlCharacters() {
    assertEquals("{\"a\":\"日本語\"}", canonical(Map.of("a", "日本語")));
    assertEquals("{\"a\":\"\\u0000\\n\\\"\"}", canonical(Map.of("a", "\u0000\n\"")));
    Map<String, Object> mixed = new LinkedHashMap<>();
    mixed.put("b", List.of(true, false, -1L));
    mixed.put("a", null);
    assertEquals("{\"a\":null,\"b\":[true,false,-1]}", canonical(mixed));
  }

  @Test
  void signingBytesLeaveOutSignaturesAndUnsigned() {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("user_id", "@bot:example.org");
    object.put("signatures", Map.of("@bot:example.org", Map.of("ed25519:X", "sig")));
    object.put("unsigned", Map.of("age", 5));
    assertEquals("{\"user_id\":\"@bot:example.org\"}", new String(CanonicalJson.signingBytes(object), StandardCharsets.UTF_8));
  }

  @Test
  void refusesFloats() {
    assertThrows(CryptoException.class, () -> CanonicalJson.encode(Map.of("a", 1.5)));
  }
}
