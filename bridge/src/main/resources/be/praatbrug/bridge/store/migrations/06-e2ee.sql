-- The bot's end-to-end encryption state: its Olm account, Olm and Megolm sessions, device token and
-- sync position. Every value is sealed (AES-256-GCM) by the bridge before it gets here; the key is
-- derived from the bridge's config, never stored in this database.
CREATE TABLE e2ee_state (
  kind       TEXT NOT NULL,
  state_key  TEXT NOT NULL,
  sealed     TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (kind, state_key)
);
