-- Family sessions: the named places beside the client's own (place 1 is the room's client, kept
-- in counselling_rooms and room_admissions as before). A place belongs to one client record from
-- the moment the counsellor names it; who took it (user_id) is set once, by the one UPDATE that
-- finds it free, and the row goes when the session ends. session_id, joined_at: the session whose
-- start is already in the ledger under this place's record, and when they came into it.
CREATE TABLE room_places (
  room_id      TEXT NOT NULL,
  place        INTEGER NOT NULL,
  client_ref   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  user_id      TEXT,
  admitted_at  BIGINT,
  session_id   TEXT,
  joined_at    BIGINT,
  PRIMARY KEY (room_id, place)
);
-- One person, one place: nobody holds two places of a room, whatever order admissions come in.
CREATE UNIQUE INDEX room_places_holder ON room_places (room_id, user_id) WHERE user_id IS NOT NULL;

-- Which place a code opens and a guest account came in on; NULL is the room's client (place 1).
ALTER TABLE knock_codes ADD COLUMN place INTEGER;
ALTER TABLE entry_guests ADD COLUMN place INTEGER;
