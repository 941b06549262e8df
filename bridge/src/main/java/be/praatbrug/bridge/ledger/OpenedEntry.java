package be.praatbrug.bridge.ledger;

import java.util.Map;

/**
 * A ledger entry with its personal fields decrypted, for exports to the client or an inspector.
 *
 * @param personalFields clear values; empty when the entry has none or the client was erased
 * @param personalErased the entry has sealed fields but the client's key is gone (erased)
 */
public record OpenedEntry(LedgerEntry entry, Map<String, String> personalFields,
    boolean personalErased) {

  public OpenedEntry {
    personalFields = Map.copyOf(personalFields);
  }
}
