-- Client records: one per client, across all their sessions, under a reference the bridge makes
-- (C-7K3P-9Q2M: random, no hash of any account). Consent is recorded once per record and text
-- version; a counselling room belongs to one record (counselling_rooms.client_ref, set when the
-- room is made for an existing record or when its new client first comes in).
-- The ledger is not touched: its entries and their signatures stay exactly as they were, so it
-- keeps verifying. References made before this migration (cl-…, one per guest account) stay as they
-- are and get a record of their own ('legacy'), so they can be found, exported and erased.
CREATE TABLE client_records (
  client_ref   TEXT PRIMARY KEY,
  -- How the record came about: 'link' (first came through a link), 'matrix' (a client with their
  -- own Matrix account) or 'legacy' (a reference from before client records).
  origin       TEXT NOT NULL,
  -- Matrix-account clients only: HMAC-SHA-256 of the user id under a key derived from the ledger's
  -- data key, so the same account finds its record again without its id being stored. Cleared on
  -- erasure.
  account_hash TEXT UNIQUE,
  -- The counsellor's label ("Sara, 3B"), AES-256-GCM under the client's ledger field key
  -- (ledger_client_keys), so erasing the client destroys it like the ledger's personal fields.
  label_sealed TEXT,
  -- The counsellor of the room where the record was made (a Matrix id of staff, not of the client).
  created_by   TEXT,
  created_at   BIGINT NOT NULL,
  erased_at    BIGINT
);

INSERT INTO client_records (client_ref, origin, created_at)
  SELECT refs.client_ref, 'legacy', MIN(refs.at) FROM (
    SELECT client_ref, occurred_at AS at FROM ledger_entries WHERE client_ref IS NOT NULL
    UNION ALL
    SELECT client_ref, started_at AS at FROM session_records WHERE client_ref IS NOT NULL
    UNION ALL
    SELECT client_ref, created_at AS at FROM counselling_rooms WHERE client_ref IS NOT NULL
  ) refs GROUP BY refs.client_ref;

-- Records already erased before this migration are marked so: they take no new sessions.
UPDATE client_records SET erased_at = (
  SELECT MAX(occurred_at) FROM ledger_entries e
  WHERE e.client_ref = client_records.client_ref AND e.kind = 'personal_data_erased')
  WHERE client_ref IN (SELECT client_ref FROM ledger_entries WHERE kind = 'personal_data_erased');

CREATE INDEX counselling_rooms_client ON counselling_rooms (client_ref);
CREATE INDEX session_records_client ON session_records (client_ref);
