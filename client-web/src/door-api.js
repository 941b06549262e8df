import { callBridge } from './api.js';

/**
 * The bridge's door calls (DoorApi, `/_praatbrug/door/v1/`, no account): the door's state, joining
 * and leaving the waiting line, and asking where a ticket stands. The first question is never
 * among what is sent: only a nickname, the consent version and a language.
 */

function doorUrl(path) {
  return new URL(`../_praatbrug/door/v1/${path}`, document.baseURI);
}

function call(method, path, body) {
  return callBridge('door/v1', method, path, body);
}

/** Whether the door is there and open now, the line, the estimate, hours, crisis numbers, consent. */
export function doorStatus() {
  return call('GET', 'status');
}

/** Joins the line: `{ ticket, number }` (409 DOOR_CLOSED with a reason, CONSENT_OUTDATED, 400, 429). */
export function enterLine({ nickname, consentVersion, language }) {
  return call('POST', 'enter', { nickname, consent_version: consentVersion, language });
}

/**
 * Where the ticket stands: waiting (place, estimate, the line's `version`) or taken (a guest device
 * and the room). With `after` (the last answer's version) the bridge answers once the line changed,
 * or after `waitMs` at most.
 */
export function ticketState(ticket, { after, waitMs } = {}) {
  return call('POST', 'ticket', after === undefined ? { ticket } : { ticket, after, wait_ms: waitMs });
}

export function leaveLine(ticket) {
  return call('POST', 'leave', { ticket });
}

/** Leaves the line while the page goes away (quick exit, a closed tab that keeps nothing). */
export function leaveLineAsPageCloses(ticket) {
  fetch(doorUrl('leave'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ticket }),
    keepalive: true,
    cache: 'no-store',
    credentials: 'omit',
  }).catch(() => {});
}
