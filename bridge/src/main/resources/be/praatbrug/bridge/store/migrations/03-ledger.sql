-- The signed, hash-chained consent and session ledger (bridge/.../ledger/README.md).
-- Append-only: the bridge never updates or deletes a ledger_entries row. Personal fields are only
-- stored encrypted (sealed_fields), under a per-client key in ledger_client_keys; erasing a client
-- deletes that key (crypto-shredding) and leaves the entries, so the chain still verifies.
CREATE TABLE ledger_entries (
  -- 1, 2, 3, ...: the primary key also stops two writers from forking the chain.
  position      BIGINT PRIMARY KEY,
  kind          TEXT NOT NULL,
  occurred_at   BIGINT NOT NULL,
  -- Pseudonymous client reference; never a name, e-mail address or Matrix id.
  client_ref    TEXT,
  -- JSON object of public fields (versions, hashes, times, session and room ids).
  fields        TEXT NOT NULL,
  -- JSON object of personal fields, each AES-256-GCM ciphertext under the client's key.
  sealed_fields TEXT NOT NULL,
  previous_hash TEXT NOT NULL,
  entry_hash    TEXT NOT NULL,
  -- Ed25519 over the canonical form of the entry, base64.
  signature     TEXT NOT NULL
);

CREATE INDEX ledger_entries_client ON ledger_entries (client_ref, position);
CREATE INDEX ledger_entries_kind ON ledger_entries (kind, occurred_at);

-- The signed head (position and hash of the last entry): catches entries cut off the end.
CREATE TABLE ledger_head (
  id         INTEGER PRIMARY KEY,
  position   BIGINT NOT NULL,
  entry_hash TEXT NOT NULL,
  signature  TEXT NOT NULL
);

-- One field key per client, wrapped (AES-256-GCM) under the data key from the ledger key file.
CREATE TABLE ledger_client_keys (
  client_ref  TEXT PRIMARY KEY,
  wrapped_key TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
