// RFC 6238 one-time codes (HMAC-SHA1, 6 digits, 30 s steps), as a staff member's authenticator app
// makes them from the secret Keycloak keeps: the tests type the code a counsellor would.
import { createHmac } from 'node:crypto';

/** The code for `secret` (Keycloak's stored text; the HMAC key is its UTF-8 bytes) at `time` ms. */
export function totp(secret, time = Date.now(), { step = 30, digits = 6 } = {}) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 1000 / step)));
  const mac = createHmac('sha1', Buffer.from(secret, 'utf8')).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(value).padStart(digits, '0');
}

/** A code that is certainly wrong now (not the code of this, the previous or the next step). */
export function wrongCode(secret, time = Date.now()) {
  const valid = new Set([-30_000, 0, 30_000].map((shift) => totp(secret, time + shift)));
  for (let n = 0; ; n += 1) {
    const candidate = String((Number(totp(secret, time)) + 111_111 * (n + 1)) % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) {
      return candidate;
    }
  }
}
