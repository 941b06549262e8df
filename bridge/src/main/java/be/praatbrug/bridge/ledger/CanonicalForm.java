package be.praatbrug.bridge.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The exact bytes of an entry that are hashed and signed.
 *
 * <p>A compact JSON object, UTF-8, keys in alphabetical order, no whitespace, every value a string
 * except {@code position} (an integer) and the two field maps (objects of strings, keys sorted):
 *
 * <pre>{"at":"2026-11-24T10:00:00.000Z","client_ref":"c-17","fields":{...},
 * "format":"praatbrug-ledger/1","kind":"consent_given","position":1,
 * "previous":"000…000","sealed":{...}}</pre>
 *
 * <p>Why hand-written rather than a JSON library: the bytes must never change with a library
 * upgrade or setting, or every stored signature would stop verifying. Why JSON at all: an inspector
 * holding an export can read what was signed with any tool, and check it with {@code sha256sum} and
 * {@code openssl} (see the ledger README). Strings are escaped as JSON requires ({@code "},
 * {@code \}, control characters as {@code \}{@code u00XX}); everything else, including non-ASCII, is
 * written as is.
 */
public final class CanonicalForm {

  /** Stands in for the hash before the first entry. */
  public static final String GENESIS = "0".repeat(64);
  public static final String FORMAT = "praatbrug-ledger/1";

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private CanonicalForm() {}

  public static byte[] bytes(LedgerEntry entry) {
    return text(entry).getBytes(StandardCharsets.UTF_8);
  }

  public static String text(LedgerEntry entry) {
    return text(entry.position(), entry.kind(), entry.at(), entry.clientRef(), entry.fields(),
        entry.sealedFields(), entry.previousHash());
  }

  /** The canonical text of an entry with these contents at {@code position}. */
  public static String text(long position, EntryKind kind, Instant at, String clientRef,
      Map<String, String> fields, Map<String, String> sealed, String previousHash) {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"at\":");
    string(json, time(at));
    json.append(",\"client_ref\":");
    string(json, clientRef == null ? "" : clientRef);
    json.append(",\"fields\":");
    object(json, fields);
    json.append(",\"format\":");
    string(json, FORMAT);
    json.append(",\"kind\":");
    string(json, kind.wireName());
    json.append(",\"position\":").append(position);
    json.append(",\"previous\":");
    string(json, previousHash);
    json.append(",\"sealed\":");
    object(json, sealed);
    return json.append('}').toString();
  }

  /** Times as signed: UTC, millisecond precision, always three decimals. */
  public static String time(Instant at) {
    return TIME.format(at);
  }

  private static void object(StringBuilder json, Map<String, String> map) {
    json.append('{');
    boolean first = true;
    // Callers pass sorted maps; sort again so an unsorted map cannot change the bytes.
    for (Map.Entry<String, String> field : new java.util.TreeMap<>(map).entrySet()) {
      if (!first) {
        json.append(',');
      }
      first = false;
      string(json, field.getKey());
      json.append(':');
      string(json, field.getValue());
    }
    json.append('}');
  }

  private static void string(StringBuilder json, String value) {
    json.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
