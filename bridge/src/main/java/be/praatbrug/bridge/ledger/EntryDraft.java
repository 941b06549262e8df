package be.praatbrug.bridge.ledger;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An event to record, before it has a position, a link or a signature: what callers hand to
 * {@link Ledger#append}.
 *
 * <p>Construction validates the fields against the {@link EntryKind}, so a mistake in the calling
 * code fails at once and loudly rather than producing an entry an inspector cannot use. Times are
 * cut to milliseconds because that is what the store keeps and what gets signed.
 *
 * @param clientRef the pseudonymous client reference, or {@code null} for kinds that need none
 * @param fields public fields (see {@link EntryKind})
 * @param personalFields fields stored only encrypted under the client's key
 */
public record EntryDraft(EntryKind kind, Instant at, String clientRef,
    SortedMap<String, String> fields, SortedMap<String, String> personalFields) {

  public EntryDraft {
    if (kind == null || at == null) {
      throw new IllegalArgumentException("a ledger entry needs a kind and a time");
    }
    at = at.truncatedTo(ChronoUnit.MILLIS);
    fields = new TreeMap<>(fields);
    personalFields = new TreeMap<>(personalFields);
    List<String> problems = problems(kind, clientRef, fields, personalFields);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(kind.wireName() + ": " + String.join("; ", problems));
    }
    fields = java.util.Collections.unmodifiableSortedMap(fields);
    personalFields = java.util.Collections.unmodifiableSortedMap(personalFields);
  }

  public static EntryDraft of(EntryKind kind, Instant at, String clientRef,
      Map<String, String> fields, Map<String, String> personalFields) {
    return new EntryDraft(kind, at, clientRef, new TreeMap<>(fields), new TreeMap<>(personalFields));
  }

  private static List<String> problems(EntryKind kind, String clientRef,
      Map<String, String> fields, Map<String, String> personal) {
    List<String> problems = new ArrayList<>();
    if (kind.needsClient() && (clientRef == null || clientRef.isBlank())) {
      problems.add("needs a client reference");
    }
    if (clientRef != null && !ClientRefs.isValid(clientRef)) {
      problems.add("client reference \"" + clientRef + "\" is not 1-128 characters of "
          + "letters, digits and ._:=-");
    }
    for (String key : kind.required()) {
      if (fields.get(key) == null || fields.get(key).isBlank()) {
        problems.add("missing field " + key);
      }
    }
    for (String key : fields.keySet()) {
      if (!kind.required().contains(key) && !kind.optional().contains(key)) {
        problems.add("unknown field " + key + (kind.personal().contains(key)
            ? " (it is personal: pass it as a personal field)" : ""));
      }
    }
    if (!personal.isEmpty() && clientRef == null) {
      problems.add("personal fields need a client reference: they are encrypted under its key");
    }
    for (String key : personal.keySet()) {
      if (!kind.personal().contains(key)) {
        problems.add("unknown personal field " + key);
      }
    }
    // Under 12: a guardian named here, or a parent who agrees on their own place in the session.
    if (kind == EntryKind.CONSENT_GIVEN && "true".equals(fields.get("under_12"))
        && !personal.containsKey("guardian_name") && !"true".equals(fields.get("guardian_in_session"))) {
      problems.add("a client under 12 needs the consenting parent's or guardian's name");
    }
    if (fields.containsKey("guardian_in_session") && !("true".equals(fields.get("guardian_in_session"))
        && "true".equals(fields.get("under_12")) && !personal.containsKey("guardian_name"))) {
      problems.add("guardian_in_session is only for a child under 12 with no guardian named here");
    }
    if (fields.containsKey("under_12") && !List.of("true", "false").contains(fields.get("under_12"))) {
      problems.add("under_12 must be true or false");
    }
    fields.forEach((key, value) -> {
      if (value == null) {
        problems.add("field " + key + " is null");
      }
    });
    personal.forEach((key, value) -> {
      if (value == null) {
        problems.add("personal field " + key + " is null");
      }
    });
    return problems;
  }
}
