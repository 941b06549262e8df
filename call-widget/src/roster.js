/**
 * Who is in the call: a pure decision on each signal (state and message in, new state and effects
 * out), so the two-person rule can be tested without a browser.
 *
 * The rule: the first other party this widget meets after joining is the peer; anyone else who
 * says hello while the peer is here is refused. A new party from the peer's own user replaces the
 * peer, because that is the same person after a page reload or on another device.
 *
 * A widget starts listening only when its own hello comes back from the room: everything the
 * room delivers before that was sent before we joined (a client catching up after a gap can
 * deliver old events), and answering an old hello would pair us with someone who left long ago.
 * In room order, every reply to our hello comes after it.
 *
 * Who offers: the one who was already there. It hears the newcomer's hello and answers it with
 * the WebRTC offer straight away (no separate "I am here" message: every signal costs a homeserver
 * round trip, and call setup is a chain of them). The newcomer takes an offer addressed to it as
 * the other side's presence. Because the newcomer only listens from its own hello on, it never
 * sees the other's earlier hello, so both never offer at once. (If a host does not echo and the
 * widget listens early, both may offer; the connection resolves that, see PeerLink.)
 *
 * Effects (objects with a `type`):
 * - `reply {kind, to}`        send a signal to one party
 * - `peerJoined {peer, offerer}` start WebRTC with the peer; `offerer` says whether we offer
 *   (when not, the offer that made us meet follows as a `forward`)
 * - `peerReplaced {peer, offerer}` the peer came back as a new party: restart WebRTC
 * - `peerLeft {peer}`          the peer hung up
 * - `thirdRefused {name}`      someone tried to join a full call (shown to the people in it)
 * - `refused {reason}`         we were refused: the call already has two people
 * - `forward {message}`        a WebRTC or media message from the peer, for the connection
 */

/** The state before joining. */
export function initialRoster(party, user) {
  return { self: { party, user }, joined: false, listening: false, refused: false, peer: null };
}

export function join(state) {
  return { ...state, joined: true, listening: false, refused: false, peer: null };
}

/** For a host that does not echo our own events: listen anyway after a while. */
export function listen(state) {
  return { ...state, listening: state.joined };
}

export function leave(state) {
  return { ...state, joined: false, listening: false, peer: null };
}

/** Decides what a received signal means for this widget. */
export function decide(state, message) {
  // Our own events come back to us from the room; our hello marks where "now" begins.
  if (message.party === state.self.party) {
    const heardOwnHello = message.kind === 'hello' && state.joined && !state.listening;
    return heardOwnHello ? { state: { ...state, listening: true }, effects: [] } : unchanged(state);
  }
  // Addressed to another party: not ours to read.
  if (message.to !== undefined && message.to !== state.self.party) {
    return unchanged(state);
  }
  // Not in the call (start screen, ended or refused), or an event from before we joined.
  if (!state.joined || !state.listening) {
    return unchanged(state);
  }
  if (message.kind === 'refuse') {
    return {
      state: { ...state, joined: false, refused: true, peer: null },
      effects: [{ type: 'refused', reason: message.reason }],
    };
  }
  const from = { party: message.party, user: message.sender, name: message.name };
  if (message.kind === 'hello') {
    return meet(state, from);
  }
  if (message.kind === 'offer' && !state.peer) {
    // The person who was already here answers our hello with an offer.
    return {
      state: { ...state, peer: from },
      effects: [{ type: 'peerJoined', peer: from, offerer: false }, { type: 'forward', message }],
    };
  }
  if (message.kind === 'offer' && state.peer.party !== message.party && state.peer.user === message.sender) {
    // The peer's new session (reload, other device) found us first.
    return {
      state: { ...state, peer: from },
      effects: [{ type: 'peerReplaced', peer: from, offerer: false }, { type: 'forward', message }],
    };
  }
  // Everything else only counts from the current peer.
  if (!state.peer || state.peer.party !== message.party) {
    return unchanged(state);
  }
  if (message.kind === 'hangup') {
    return {
      state: { ...state, peer: null },
      effects: [{ type: 'peerLeft', peer: state.peer }],
    };
  }
  return { state, effects: [{ type: 'forward', message }] };
}

function meet(state, from) {
  if (!state.peer) {
    return { state: { ...state, peer: from }, effects: [{ type: 'peerJoined', peer: from, offerer: true }] };
  }
  if (state.peer.party === from.party) {
    // A repeated hello from the peer we already have.
    return unchanged(state);
  }
  if (state.peer.user === from.user) {
    // The same person came back (reload, other device): the old party is gone.
    return { state: { ...state, peer: from }, effects: [{ type: 'peerReplaced', peer: from, offerer: true }] };
  }
  // A third person. Only one of the two (the smaller party id) sends the refusal, so it arrives
  // once; both are told.
  const refuse = state.self.party < state.peer.party ? [{ type: 'reply', kind: 'refuse', to: from.party, reason: 'full' }] : [];
  return { state, effects: [...refuse, { type: 'thirdRefused', name: from.name, user: from.user }] };
}

function unchanged(state) {
  return { state, effects: [] };
}
