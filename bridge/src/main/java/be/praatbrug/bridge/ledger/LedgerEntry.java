package be.praatbrug.bridge.ledger;

import java.time.Instant;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry as stored: the event, its place in the chain, and the organisation's signature.
 *
 * <p>{@link #sealedFields()} holds the personal fields as ciphertext (see {@link FieldSealer}); the
 * hash and signature cover that ciphertext, never the clear text, which is what lets erasure
 * destroy the clear text while the chain still verifies.
 *
 * @param position 1 for the first entry, then consecutive
 * @param previousHash hex SHA-256 of the entry before, or {@link CanonicalForm#GENESIS} for the first
 * @param hash hex SHA-256 of {@link CanonicalForm#bytes} of this entry
 * @param signature Ed25519 signature over the same bytes, base64
 */
public record LedgerEntry(long position, EntryKind kind, Instant at, String clientRef,
    SortedMap<String, String> fields, SortedMap<String, String> sealedFields,
    String previousHash, String hash, String signature) {

  public LedgerEntry {
    fields = Collections.unmodifiableSortedMap(new TreeMap<>(fields));
    sealedFields = Collections.unmodifiableSortedMap(new TreeMap<>(sealedFields));
  }

  /** Builds and signs the entry for {@code draft} at {@code position}, after {@code previousHash}. */
  public static LedgerEntry sign(OrgKeys keys, long position, String previousHash, EntryDraft draft,
      SortedMap<String, String> sealedFields) {
    String text = CanonicalForm.text(position, draft.kind(), draft.at(), draft.clientRef(),
        draft.fields(), sealedFields, previousHash);
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new LedgerEntry(position, draft.kind(), draft.at(), draft.clientRef(), draft.fields(),
        sealedFields, previousHash, Sha256.hex(bytes), keys.sign(bytes));
  }

  /** The exact text that was hashed and signed. */
  public String canonical() {
    return CanonicalForm.text(this);
  }

  /** Whether the stored hash matches the contents and the signature verifies with {@code key}. */
  public boolean isIntact(OrgPublicKey key) {
    byte[] bytes = CanonicalForm.bytes(this);
    return Sha256.hex(bytes).equals(hash) && key.verifies(bytes, signature);
  }

  public String field(String name) {
    return fields.get(name);
  }
}
