-- Rooms of partner organisations this server's users are in (a CAW client in a CLB counselling
-- room). Their owner's bridge and both Synapses delete the messages; the files this server's users
-- send there are stored here, so this bridge deletes them (room_files) once older than the room's
-- m.room.retention max_lifetime. Per room: that lifetime and the homeserver's position (stream
-- token) up to which its events were looked at.
CREATE TABLE partner_rooms (
  room_id         TEXT PRIMARY KEY,
  max_lifetime_ms BIGINT NOT NULL,
  stream_token    TEXT NOT NULL
);
