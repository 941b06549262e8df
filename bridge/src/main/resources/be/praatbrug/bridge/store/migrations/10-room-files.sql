-- Files of counselling rooms, known from metadata only (never a file name or content), so that
-- retention deletes them from the homeserver's media store with their messages.

-- A file a project page uploaded into a room and registered with the bridge.
CREATE TABLE room_files (
  media_id    TEXT PRIMARY KEY,
  room_id     TEXT NOT NULL,
  uploaded_at BIGINT NOT NULL,
  bytes       BIGINT NOT NULL
);
CREATE INDEX room_files_room ON room_files (room_id);

-- Accounts all of whose uploads belong to one room: the guest accounts the bridge makes for
-- link clients. Kept after the account ends, until its room is deleted.
CREATE TABLE room_uploaders (
  user_id TEXT PRIMARY KEY,
  room_id TEXT NOT NULL
);
CREATE INDEX room_uploaders_room ON room_uploaders (room_id);

-- What each retention run deleted from the media store: how many files and bytes.
ALTER TABLE retention_runs ADD COLUMN files INTEGER NOT NULL DEFAULT 0;
ALTER TABLE retention_runs ADD COLUMN file_bytes BIGINT NOT NULL DEFAULT 0;
