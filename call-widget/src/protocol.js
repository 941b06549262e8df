/**
 * The call's signalling messages: what the two widgets say to each other through the room.
 *
 * Every message is one room event of type {@link SIGNAL_EVENT_TYPE}, sent through the host client
 * (Element), so in an end-to-end encrypted room the signalling (SDP, ICE candidates, names) is
 * encrypted like any other message. One custom type, rather than Matrix's `m.call.*` VoIP events,
 * because Element would treat `m.call.invite` as its own legacy call and ring both users.
 *
 * Content: `{v, kind, party, to?, name?, ...}`. `party` is a random id per join (each press of
 * "Join" is a new party), so the same user on two devices, or after a reload or a rejoin, is a new
 * party, and nothing addressed to an earlier one can disturb the new call; `to` addresses one party.
 *
 * Kinds:
 * - `hello`      I joined and look for the other person (broadcast), with my WebRTC offer (`sdp`)
 *                and its id (`offer`), so whoever is here can answer at once.
 * - `offer`      a WebRTC offer to one party (`sdp`, `offer` id): my hello's offer again, for a
 *                party that may not have seen the hello, and later offers (`iceRestart`).
 * - `answer`     the answer (`sdp`) to the offer with id `offer`; an answer to any other offer is
 *                stale and ignored.
 * - `candidates` a batch of ICE candidates (`candidates`: list of RTCIceCandidateInit).
 * - `media`      my camera/microphone/screen state, so the other side can show it.
 * - `hangup`     I left the call (`reason` `left`), or: you were replaced by a newer party of your
 *                own user, e.g. your other device (`reason` `replaced`), or, in a family session's
 *                group call, the counsellor took you out (`reason` `removed`). Without `to` it is
 *                for everyone: I leave before anyone answered me, or I leave a group call.
 * - `refuse`     the call already has two people; you cannot join (`reason`).
 */
export const SIGNAL_EVENT_TYPE = 'be.praatbrug.call.signal';
/** 2: per-join parties, offer ids and the negotiation of roster.js; 1 could deadlock. */
export const PROTOCOL_VERSION = 2;

const KINDS = new Set(['hello', 'offer', 'answer', 'candidates', 'media', 'hangup', 'refuse']);
const PARTY = /^[A-Za-z0-9_-]{8,64}$/;
const OFFER_ID = /^[A-Za-z0-9_-]{4,64}$/;
/** A display name is shown, never interpreted; cap it so a hostile sender cannot flood the UI. */
const MAX_NAME = 80;
const MAX_SDP = 64 * 1024;
const MAX_CANDIDATES = 50;

/** A fresh party id: 16 random bytes, URL-safe. */
export function newPartyId(random = (bytes) => crypto.getRandomValues(bytes)) {
  const bytes = random(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A fresh offer id: 8 random bytes. */
export function newOfferId(random = (bytes) => crypto.getRandomValues(bytes)) {
  return newPartyId(() => random(new Uint8Array(8))).slice(0, 16);
}

/** Builds a message's content; `fields` holds the kind's own fields (sdp, candidates, ...). */
export function signal(kind, party, fields = {}) {
  if (!KINDS.has(kind)) {
    throw new Error(`unknown signal kind: ${kind}`);
  }
  return { v: PROTOCOL_VERSION, kind, party, ...fields };
}

/**
 * Turns a received room event into `{kind, party, sender, ...}`, or null if it is not a valid
 * signal. Everything that arrives here was written by someone else's client, so each field is
 * checked before the call logic sees it.
 */
export function parseSignal(event) {
  if (!event || event.type !== SIGNAL_EVENT_TYPE || typeof event.sender !== 'string') {
    return null;
  }
  const c = event.content;
  if (!c || c.v !== PROTOCOL_VERSION || !KINDS.has(c.kind) || !PARTY.test(c.party ?? '')) {
    return null;
  }
  if (c.to !== undefined && !PARTY.test(c.to)) {
    return null;
  }
  if (c.kind !== 'hello' && c.kind !== 'hangup' && c.to === undefined) {
    // Only a hello (and a hangup before anyone answered) is a broadcast.
    return null;
  }
  const message = {
    kind: c.kind,
    party: c.party,
    to: c.to,
    sender: event.sender,
    name: typeof c.name === 'string' ? c.name.slice(0, MAX_NAME) : event.sender,
    // The homeserver's timestamp: of two parties of one user (same server), the later one wins.
    ts: Number.isSafeInteger(event.origin_server_ts) ? event.origin_server_ts : undefined,
  };
  const described = typeof c.sdp === 'string' && c.sdp.length <= MAX_SDP && OFFER_ID.test(c.offer ?? '');
  switch (c.kind) {
    case 'hello':
      return described ? { ...message, sdp: c.sdp, offer: c.offer } : message;
    case 'offer':
    case 'answer':
      if (!described) {
        return null;
      }
      return { ...message, sdp: c.sdp, offer: c.offer, iceRestart: c.iceRestart === true };
    case 'candidates':
      if (!Array.isArray(c.candidates) || c.candidates.length > MAX_CANDIDATES) {
        return null;
      }
      return { ...message, candidates: c.candidates.filter(isCandidate) };
    case 'media':
      return {
        ...message,
        camera: c.camera !== false,
        microphone: c.microphone !== false,
        screen: c.screen === true,
      };
    case 'refuse':
      return { ...message, reason: c.reason === 'full' ? 'full' : 'other' };
    case 'hangup':
      return { ...message, reason: ['replaced', 'removed'].includes(c.reason) ? c.reason : 'left' };
    default:
      return message;
  }
}

function isCandidate(candidate) {
  // An empty candidate string means "end of candidates" and is valid.
  return candidate !== null && typeof candidate === 'object'
    && typeof candidate.candidate === 'string'
    && (candidate.sdpMid === undefined || candidate.sdpMid === null || typeof candidate.sdpMid === 'string')
    && (candidate.sdpMLineIndex === undefined || candidate.sdpMLineIndex === null
      || Number.isInteger(candidate.sdpMLineIndex));
}
