-- The door's waiting line: people who came to the organisation's website without a link and wait
-- for a counsellor on duty. A row holds the nickname they chose (counsellors on duty see it), the
-- consent they gave (its record, made at the door), and times; never their question, which stays in
-- their browser until the counsellor who took them is in the room. The browser proves its row with
-- a secret it keeps; only its HMAC is here. A row goes when its person is in the room, left the
-- line, or stopped looking for long.
CREATE TABLE door_line (
  number          BIGINT PRIMARY KEY,
  ticket_hash     TEXT NOT NULL UNIQUE,
  nickname        TEXT NOT NULL,
  client_ref      TEXT NOT NULL,
  place_at_entry  INTEGER NOT NULL,
  entered_at      BIGINT NOT NULL,
  seen_at         BIGINT NOT NULL,
  -- Set once, by the one UPDATE that finds it empty: two counsellors taking at once cannot both win.
  taken_by        TEXT,
  taken_at        BIGINT,
  room_id         TEXT,
  guest_user_id   TEXT
);
