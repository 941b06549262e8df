-- Each knock code gets a link secret (26 characters, about 129 bits) for the client's link: the
-- link can then not be guessed and is never limited per address, while the short code stays for
-- typing by hand. Stored like the code, as HMAC-SHA-256 under the bridge secret.
ALTER TABLE knock_codes ADD COLUMN link_hash TEXT;

CREATE UNIQUE INDEX knock_codes_link_hash ON knock_codes (link_hash);
