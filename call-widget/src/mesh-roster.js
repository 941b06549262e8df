import { isNewer, keepEarly as keepEarlyOf, unchanged, without } from './roster.js';

/**
 * Who is in a small group call (a family session: at most `capacity` people, everyone with
 * everyone), and who offers to whom: a pure decision on each signal, like roster.js for two.
 *
 * Each pair has its own connection, and one rule decides who offers: the party with the smaller
 * id. So two people who meet never both offer (no collision to resolve at the start); later offers
 * (ICE restarts) are resolved by the connection as in a two-person call.
 *
 * - A joiner says `hello` to everyone, without an offer (one offer cannot serve several people).
 * - Whoever is in the call and hears it: the offerer of that pair offers, addressed; the other one
 *   says `hello` back, addressed, so the newcomer (now knowing them) offers.
 * - Someone of a user who is already in the call with another party replaces that party (the same
 *   person after a reload or on another device); the replaced party is told.
 * - Someone new while the call has `capacity` people is refused, by one of the people in it (the
 *   smallest party id), and everyone in it is told who tried.
 *
 * Effects (objects with a `type`):
 * - `connect {peer}`          make a connection to a new peer; `peer.offerer`: we offer on it
 * - `greet {to}`              say hello to that party only (it offers to us then)
 * - `answer {peer, sdp, offer}` answer the peer's offer (on a fresh connection if none works)
 * - `forward {peer, message}` an answer, candidates or media for that peer's connection
 * - `drop {peer, reason}`     close that peer's connection: `left`, `replaced`
 * - `reply {kind, to, reason}` send a signal to one party
 * - `takenOver`               our own user goes on on another device: leave
 * - `removed {by}`            the counsellor took us out of the call (and the room): leave
 * - `fullRefused {name, user}` someone tried to join the full call
 * - `refused {reason}`        we were refused: the call is full
 */

/** A group call waits for more parties' early messages than a two-person call (roster.js). */
const EARLY_PARTIES = 6;
const GONE_PARTIES = 32;

function keepEarly(state, message) {
  return keepEarlyOf(state, message, EARLY_PARTIES);
}

/** @param counsellor the room's counsellor: the one who may take someone out of the call */
export function initialMesh(party, user, capacity, counsellor = null) {
  return {
    self: { party, user }, capacity, counsellor, joined: false, refused: false, peers: {}, early: {}, gone: [],
  };
}

export function joinMesh(state, { party }) {
  return { ...state, self: { ...state.self, party }, joined: true, refused: false, peers: {}, early: {} };
}

export function leaveMesh(state) {
  return { ...state, joined: false, peers: {}, early: {} };
}

/** We stop talking to `party` (taken out, or silent too long): its late signals start nothing. */
export function forget(state, party) {
  return {
    ...state, peers: without(state.peers, party), early: without(state.early, party),
    gone: [...state.gone, party].slice(-GONE_PARTIES),
  };
}

/** The parties of `user` in the call (someone who left the room: all of theirs go). */
export function partiesOf(state, user) {
  return Object.values(state.peers).filter((peer) => peer.user === user).map((peer) => peer.party);
}

/** The same verdict on both sides: the smaller party id offers. */
export function offersTo(selfParty, peerParty) {
  return selfParty < peerParty;
}

/** The peers, in a stable order (by party id). */
export function peerList(state) {
  return Object.values(state.peers).sort((a, b) => (a.party < b.party ? -1 : 1));
}

export function decideMesh(state, message) {
  if (message.party === state.self.party || (message.to !== undefined && message.to !== state.self.party)) {
    return unchanged(state);
  }
  if (!state.joined || state.gone.includes(message.party)) {
    return unchanged(state);
  }
  // A party speaks for one user only: someone else's messages in its name are not read.
  const known = state.peers[message.party];
  if (known && known.user !== message.sender) {
    return unchanged(state);
  }
  const from = { party: message.party, user: message.sender, name: message.name, ts: message.ts };
  switch (message.kind) {
    case 'refuse':
      // Only a newcomer is refused: once in the call, nobody can send us away with it.
      return Object.keys(state.peers).length > 0 ? unchanged(state)
        : { state: { ...leaveMesh(state), refused: true }, effects: [{ type: 'refused', reason: message.reason }] };
    case 'hangup':
      return hangUp(state, from, message);
    case 'hello':
      return hello(state, from, message);
    case 'offer':
      return offer(state, from, message);
    default: {
      const peer = state.peers[message.party];
      return peer ? { state, effects: [{ type: 'forward', peer, message }] } : keepEarly(state, message);
    }
  }
}

function hello(state, from, message) {
  const known = state.peers[from.party];
  if (known) {
    // Our peer says hello again, to us: it has no connection that works; the offerer starts over.
    return message.to !== undefined && known.offerer
      ? { state, effects: [{ type: 'connect', peer: known, again: true }] } : unchanged(state);
  }
  return meet(state, from, message.to === undefined ? [{ type: 'greet', to: from.party }] : []);
}

function offer(state, from, message) {
  if (!message.sdp) {
    return unchanged(state);
  }
  const known = state.peers[from.party];
  if (known) {
    return { state, effects: [{ type: 'answer', peer: known, sdp: message.sdp, offer: message.offer, iceRestart: message.iceRestart }] };
  }
  // Someone offers who we did not know: they heard our hello first.
  const met = meet(state, from, []);
  const peer = met.state.peers[from.party];
  if (!peer) {
    return met;
  }
  return { state: met.state, effects: [...met.effects, { type: 'answer', peer, sdp: message.sdp, offer: message.offer }] };
}

/**
 * A new party: a newer party of a user already here replaces the older one; someone new takes a
 * free place, or is refused when there is none. `greeting`: what to add when we do not offer.
 */
function meet(state, from, greeting) {
  if (from.user === state.self.user) {
    return unchanged(state); // our own other device; the others tell it
  }
  const same = Object.values(state.peers).find((peer) => peer.user === from.user);
  if (same && !isNewer(from, same)) {
    return unchanged(state);
  }
  const effects = [];
  let peers = state.peers;
  if (same) {
    peers = without(peers, same.party);
    effects.push({ type: 'drop', peer: same, reason: 'replaced' },
      { type: 'reply', kind: 'hangup', to: same.party, reason: 'replaced' });
  } else if (Object.keys(peers).length + 1 >= state.capacity) {
    // Full. One of the people in the call refuses (the smallest party), so it is said once.
    const refuser = [state.self.party, ...Object.keys(peers)].sort()[0];
    const refuse = refuser === state.self.party ? [{ type: 'reply', kind: 'refuse', to: from.party, reason: 'full' }] : [];
    return { state, effects: [...refuse, { type: 'fullRefused', name: from.name, user: from.user }] };
  }
  const peer = { ...from, offerer: offersTo(state.self.party, from.party) };
  const early = (state.early[from.party] ?? []).map((message) => ({ type: 'forward', peer, message }));
  return {
    state: { ...state, peers: { ...peers, [from.party]: peer }, early: without(state.early, from.party) },
    effects: [...effects, { type: 'connect', peer }, ...(peer.offerer ? [] : greeting), ...early],
  };
}

function hangUp(state, from, message) {
  const gone = { ...state, gone: [...state.gone, from.party].slice(-GONE_PARTIES), early: without(state.early, from.party) };
  const peer = state.peers[from.party];
  if (!peer) {
    return unchanged(gone);
  }
  if (message.reason === 'replaced' && message.to === state.self.party) {
    return { state: leaveMesh(gone), effects: [{ type: 'takenOver' }] };
  }
  if (message.reason === 'removed' && message.to === state.self.party && from.user === state.counsellor) {
    return { state: leaveMesh(gone), effects: [{ type: 'removed', by: from.name }] };
  }
  return { state: { ...gone, peers: without(state.peers, from.party) }, effects: [{ type: 'drop', peer, reason: 'left' }] };
}
