-- A family session's place the counsellor named a parent's or guardian's (!gesprek ouder): only such
-- a place can agree for a child under 12 in the session (1), not an interpreter's or partner's (0).
ALTER TABLE room_places ADD COLUMN parent INTEGER NOT NULL DEFAULT 0;
