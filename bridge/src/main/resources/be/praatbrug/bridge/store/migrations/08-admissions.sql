-- Who was let into a counselling room and is on the way in: recorded before the invite goes out
-- (in the same transaction that spends the code that let them in), so a bridge that dies between
-- the invite and the join still knows, when it starts again, that this person is the room's
-- client and not an intruder. One row per room at most; it goes when the session ends.
CREATE TABLE room_admissions (
  room_id     TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL,
  admitted_at BIGINT NOT NULL
);
