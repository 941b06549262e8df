-- Planned sessions (!afspraak). Each has a counselling room of its own, made when it is planned;
-- its knock code and link work only from a while before the start until the end (valid_from on
-- the code). Times only: nothing about what the session is for.
--
-- The counsellor's reminder and "not arrived yet" notice are each sent once, whichever bridge
-- process sends them: a process claims one (the *_claimed_at column, set only where it is empty or
-- its claim is stale) in one UPDATE before sending, and marks it sent after. When the slot is over
-- it is settled the same way, once: a slot nobody came to goes into the ledger as missed.
CREATE TABLE appointments (
  appointment_id      TEXT PRIMARY KEY,
  room_id             TEXT NOT NULL,
  counsellor_id       TEXT NOT NULL,
  control_room_id     TEXT,
  client_ref          TEXT,
  policy_name         TEXT NOT NULL,
  starts_at           BIGINT NOT NULL,
  ends_at             BIGINT NOT NULL,
  status              TEXT NOT NULL,
  created_at          BIGINT NOT NULL,
  cancelled_at        BIGINT,
  reminder_claimed_at BIGINT,
  reminder_sent_at    BIGINT,
  absent_claimed_at   BIGINT,
  absent_sent_at      BIGINT,
  settled_claimed_at  BIGINT,
  settled_sent_at     BIGINT
);

CREATE INDEX appointments_room ON appointments (room_id);

CREATE INDEX appointments_status_ends ON appointments (status, ends_at);

ALTER TABLE knock_codes ADD COLUMN valid_from BIGINT;
