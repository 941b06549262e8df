-- Counselling rooms the bridge manages, their knock codes, session metadata and retention runs.
-- No message content. Client Matrix ids are kept only while a session runs (client_id) and are
-- cleared when it ends; records use a pseudonymous reference (client_ref) instead.
CREATE TABLE counselling_rooms (
  room_id            TEXT PRIMARY KEY,
  policy_name        TEXT NOT NULL,
  counsellor_id      TEXT NOT NULL,
  control_room_id    TEXT,
  room_name          TEXT NOT NULL,
  status             TEXT NOT NULL,
  client_id          TEXT,
  client_ref         TEXT,
  created_at         BIGINT NOT NULL,
  session_started_at BIGINT,
  closed_at          BIGINT,
  deleted_at         BIGINT
);

CREATE INDEX counselling_rooms_status ON counselling_rooms (status);

-- Codes are stored as HMAC-SHA-256 under a bridge secret: a stolen database does not reveal them.
CREATE TABLE knock_codes (
  code_hash  TEXT PRIMARY KEY,
  room_id    TEXT NOT NULL REFERENCES counselling_rooms (room_id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  single_use INTEGER NOT NULL,
  spent_at   BIGINT,
  revoked_at BIGINT
);

CREATE INDEX knock_codes_room ON knock_codes (room_id);

CREATE TABLE session_records (
  session_id    TEXT PRIMARY KEY,
  room_id       TEXT NOT NULL,
  counsellor_id TEXT NOT NULL,
  client_ref    TEXT NOT NULL,
  started_at    BIGINT NOT NULL,
  ended_at      BIGINT,
  duration_ms   BIGINT
);

CREATE INDEX session_records_room ON session_records (room_id);

CREATE TABLE retention_runs (
  run_id      TEXT PRIMARY KEY,
  room_id     TEXT NOT NULL,
  kind        TEXT NOT NULL,
  cutoff_ts   BIGINT NOT NULL,
  purge_id    TEXT,
  status      TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  finished_at BIGINT
);

CREATE INDEX retention_runs_room ON retention_runs (room_id);
