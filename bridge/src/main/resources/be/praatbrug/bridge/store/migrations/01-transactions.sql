-- Appservice transactions already handled, so a resent transaction is acknowledged, not re-run.
-- Holds ids and counts only: never event content.
CREATE TABLE appservice_transactions (
  txn_id       TEXT PRIMARY KEY,
  -- SHA-256 over the transaction's room event ids: tells a true resend from a reused id
  -- (Synapse numbers transactions from 1 again after its database is reset).
  fingerprint  TEXT NOT NULL,
  event_count  INTEGER NOT NULL,
  processed_at BIGINT NOT NULL
);

CREATE INDEX appservice_transactions_processed_at ON appservice_transactions (processed_at);
