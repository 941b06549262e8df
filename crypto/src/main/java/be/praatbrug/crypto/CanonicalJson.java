package be.praatbrug.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Matrix canonical JSON (spec appendix "Canonical JSON"): object keys sorted by code point, no
 * insignificant whitespace, UTF-8, integers only, shortest escapes. Input is plain Java values:
 * {@link Map} with string keys, {@link Collection}, {@link String}, integral {@link Number},
 * {@link Boolean} and {@code null}.
 */
public final class CanonicalJson {

  private CanonicalJson() {}

  public static byte[] encode(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(value, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes Matrix signs: the object without its {@code signatures} and {@code unsigned} members. */
  public static byte[] signingBytes(Map<String, ?> object) {
    java.util.Map<String, Object> copy = new java.util.HashMap<>(object);
    copy.remove("signatures");
    copy.remove("unsigned");
    return encode(copy);
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Number) {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "canonical JSON allows integers only");
    } else if (value instanceof Map<?, ?> map) {
      List<String> keys = new ArrayList<>();
      for (Object key : map.keySet()) {
        if (!(key instanceof String name)) {
          throw new CryptoException(CryptoException.Reason.BAD_INPUT, "JSON object keys must be strings");
        }
        keys.add(name);
      }
      keys.sort(CanonicalJson::compareCodePoints);
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(keys.get(i), out);
        out.append(':');
        write(map.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out);
      }
      out.append(']');
    } else {
      throw new CryptoException(CryptoException.Reason.BAD_INPUT, "not a JSON value: " + value.getClass().getSimpleName());
    }
  }

  private static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
