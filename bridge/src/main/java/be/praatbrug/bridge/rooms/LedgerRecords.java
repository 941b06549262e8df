package be.praatbrug.bridge.rooms;

import be.praatbrug.bridge.ledger.EntryDraft;
import be.praatbrug.bridge.ledger.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes room events (sessions, admissions, removals, purges) to the signed ledger without holding
 * up the room: the action has already happened on the homeserver, so a ledger failure is logged
 * loudly rather than undoing it.
 */
public final class LedgerRecords {

  private static final Logger LOG = LoggerFactory.getLogger(LedgerRecords.class);

  private final Ledger ledger;

  public LedgerRecords(Ledger ledger) {
    this.ledger = ledger;
  }

  public void record(EntryDraft draft) {
    ledger.append(draft).onFailure(failure ->
        LOG.error("ledger entry {} could not be recorded: {}", draft.kind(), failure.toString()));
  }
}
