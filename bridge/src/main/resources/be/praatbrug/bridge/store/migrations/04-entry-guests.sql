-- Guest accounts handed to clients who came in through a link, without an app. The user id is
-- random; the first name or pseudonym the client chose lives only in their Matrix profile, which
-- is erased when the account is deactivated. A row lives as long as its account does.
CREATE TABLE entry_guests (
  user_id    TEXT PRIMARY KEY,
  room_id    TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE INDEX entry_guests_room ON entry_guests (room_id);
