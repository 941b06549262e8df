/**
 * Who is in the call, and which of the two answers whose offer: a pure decision on each signal
 * (state and message in, new state and effects out), so every order of events can be tested
 * without a browser.
 *
 * The two-person rule: the first other party this widget meets after joining is the peer; anyone
 * of a third user who says hello while the peer is here is refused. A newer party of the peer's own
 * user replaces the peer (the same person after a reload, a rejoin or on another device); the
 * replaced party is told, so an old device leaves instead of waiting.
 *
 * Negotiation cannot deadlock, whatever the timing ("perfect negotiation", decided per pair):
 * - Each joiner's hello carries its offer, so a call takes two signals when one side is already
 *   there: the newcomer's hello, and the answer.
 * - When both joined at once, each has an offer out. One side is polite ({@link isPolite}, the same
 *   verdict on both sides): the polite one drops its own offer and answers the other's; the
 *   impolite one keeps its offer and sends it to the peer once more, addressed. The addressed copy
 *   matters when the peer never saw our hello (it arrived before the peer joined): an addressed
 *   offer is always read, and the polite side answers an offer id once.
 * - Answers name the offer they answer; an answer to an offer we no longer have is stale.
 * Later offers between the two (ICE restarts) are forwarded to the connection, which resolves a
 * collision the same way (see peer.js).
 *
 * Nothing here depends on seeing our own hello come back, on the order of two hellos, or on a
 * message arriving once: hosts differ (Element delivers in room order, matrix-js-sdk echoes our own
 * events at once and decrypts others' in any order).
 *
 * Effects (objects with a `type`):
 * - `pair {peer, role}`        the peer is known; `role` `offerer`: our offer is the one that
 *                              counts (keep the connection), `answerer`: a fresh connection answers
 * - `answer {sdp, offer}`      answer the peer's offer with that id, on a fresh connection
 * - `sendOffer {to}`           send our pending offer to the peer, addressed
 * - `reply {kind, to, reason}` send a signal to one party
 * - `forward {message}`        a WebRTC or media message from the peer, for the connection
 * - `peerLeft {peer}`          the peer hung up
 * - `takenOver`                our own user continues on another device: leave
 * - `thirdRefused {name}`      someone tried to join a full call (shown to the people in it)
 * - `refused {reason}`         we were refused: the call already has two people
 */

/** At most this many parties' early messages are kept, and this many messages each. */
const EARLY_PARTIES = 4;
const EARLY_MESSAGES = 40;
/** Parties that said goodbye, remembered so their late signals cannot start anything. */
const GONE_PARTIES = 16;

/** The state before joining. */
export function initialRoster(party, user) {
  return {
    self: { party, user }, joined: false, refused: false, peer: null, pendingOffer: null, early: {}, gone: [],
  };
}

/** Joining as a new party, with our offer (the one in our hello) pending. */
export function join(state, { party, offer }) {
  return {
    ...state,
    self: { ...state.self, party },
    joined: true,
    refused: false,
    peer: null,
    pendingOffer: offer,
    early: {},
  };
}

/** Starting over without the peer (it never connected): a new offer goes out in a new hello. */
export function restart(state, offer) {
  return { ...state, peer: null, pendingOffer: offer, early: {} };
}

export function leave(state) {
  return { ...state, joined: false, peer: null, pendingOffer: null, early: {} };
}

/** The same verdict on both sides: the party with the greater id gives way in a collision. */
export function isPolite(selfParty, peerParty) {
  return selfParty > peerParty;
}

/** Decides what a received signal means for this widget. */
export function decide(state, message) {
  // Our own events come back to us from the room; an addressee other than us is not ours to read.
  if (message.party === state.self.party || (message.to !== undefined && message.to !== state.self.party)) {
    return unchanged(state);
  }
  // Not in the call (start screen, ended or refused), or someone who already left.
  if (!state.joined || state.gone.includes(message.party)) {
    return unchanged(state);
  }
  const from = { party: message.party, user: message.sender, name: message.name, ts: message.ts };
  switch (message.kind) {
    case 'refuse':
      return {
        state: { ...leave(state), refused: true },
        effects: [{ type: 'refused', reason: message.reason }],
      };
    case 'hangup':
      return hangUp(state, from, message);
    case 'hello':
    case 'offer':
      return present(state, from, message);
    case 'answer':
      return answered(state, from, message);
    default:
      return fromPeer(state, message) ?? keepEarly(state, message);
  }
}

function hangUp(state, from, message) {
  const gone = { ...state, gone: [...state.gone, from.party].slice(-GONE_PARTIES), early: without(state.early, from.party) };
  if (state.peer?.party !== from.party) {
    return unchanged(gone);
  }
  if (message.reason === 'replaced' && message.to === state.self.party) {
    return { state: leave(gone), effects: [{ type: 'takenOver' }] };
  }
  return { state: { ...gone, peer: null }, effects: [{ type: 'peerLeft', peer: state.peer }] };
}

/** A hello (broadcast) or an offer (addressed) from a party, with its offer. */
function present(state, from, message) {
  if (!message.sdp || from.user === state.self.user) {
    // Nothing to answer; or our own other device, which the peer will tell us about.
    return unchanged(state);
  }
  const { peer } = state;
  if (!peer) {
    return meet(state, from, message);
  }
  if (peer.party === from.party) {
    if (message.offer === peer.offer) {
      return unchanged(state); // the same offer again (the addressed copy of a hello)
    }
    if (message.kind === 'offer') {
      // A new offer from the peer (an ICE restart): the connection negotiates it.
      return { state: { ...state, peer: { ...peer, offer: message.offer } }, effects: [{ type: 'forward', message }] };
    }
    // A later hello from the peer: it gave up on this attempt and starts again. (Without
    // timestamps a hello could as well be an old one arriving late: keep what works.)
    return from.ts !== undefined && peer.ts !== undefined && from.ts > peer.ts
      ? meet(state, from, message) : unchanged(state);
  }
  if (peer.user === from.user) {
    return isNewer(from, peer) ? replace(state, from, message) : unchanged(state);
  }
  // A third person. Only one of the two (the smaller party id) sends the refusal, so it arrives
  // once; both are told.
  const refuse = state.self.party < peer.party ? [{ type: 'reply', kind: 'refuse', to: from.party, reason: 'full' }] : [];
  return { state, effects: [...refuse, { type: 'thirdRefused', name: from.name, user: from.user }] };
}

function answered(state, from, message) {
  const { peer } = state;
  if (peer?.party === from.party) {
    return { state: { ...state, pendingOffer: null }, effects: [{ type: 'forward', message }] };
  }
  if (state.pendingOffer === null || message.offer !== state.pendingOffer) {
    return unchanged(state); // an answer to an offer we no longer have
  }
  const taken = { ...state, pendingOffer: null };
  if (!peer) {
    return paired(taken, from, 'offerer', [{ type: 'forward', message }]);
  }
  if (peer.user === from.user && isNewer(from, peer)) {
    const { state: next, effects } = paired(taken, from, 'offerer', [{ type: 'forward', message }]);
    return { state: next, effects: [replaced(peer), ...effects] };
  }
  return unchanged(state);
}

/** Someone new with an offer: the polite side answers it, the impolite side insists on its own. */
function meet(state, from, message) {
  const peer = { ...from, offer: message.offer };
  if (state.pendingOffer !== null && !isPolite(state.self.party, from.party)) {
    return paired(state, peer, 'offerer', [{ type: 'sendOffer', to: from.party }]);
  }
  return paired({ ...state, pendingOffer: null }, peer, 'answerer', [{ type: 'answer', sdp: message.sdp, offer: message.offer }]);
}

function replace(state, from, message) {
  const { state: next, effects } = meet({ ...state, peer: null }, from, message);
  return { state: next, effects: [replaced(state.peer), ...effects] };
}

function replaced(peer) {
  return { type: 'reply', kind: 'hangup', to: peer.party, reason: 'replaced' };
}

function paired(state, peer, role, effects) {
  const early = state.early[peer.party] ?? [];
  return {
    state: { ...state, peer, early: {} },
    effects: [{ type: 'pair', peer, role }, ...effects, ...early.map((message) => ({ type: 'forward', message }))],
  };
}

function fromPeer(state, message) {
  return state.peer?.party === message.party ? { state, effects: [{ type: 'forward', message }] } : null;
}

/**
 * Candidates or media from a party we have not paired with yet: its answer or offer may still be
 * on its way (decryption can reorder events), so they wait, within bounds.
 */
export function keepEarly(state, message, maxParties = EARLY_PARTIES) {
  if (message.to !== state.self.party) {
    return unchanged(state);
  }
  const kept = state.early[message.party] ?? [];
  const parties = Object.keys(state.early);
  if (kept.length >= EARLY_MESSAGES || (kept.length === 0 && parties.length >= maxParties)) {
    return unchanged(state);
  }
  return unchanged({ ...state, early: { ...state.early, [message.party]: [...kept, message] } });
}

/**
 * Of two parties of one user, both stamped by that user's homeserver, the later one counts; a host
 * that gives no timestamps gets the newest arrival.
 */
export function isNewer(from, known) {
  return from.ts === undefined || known.ts === undefined || from.ts >= known.ts;
}

export function without(map, key) {
  const { [key]: dropped, ...rest } = map;
  return rest;
}

export function unchanged(state) {
  return { state, effects: [] };
}
