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
 * Call setup takes two signals, because each one is a homeserver round trip: the newcomer's hello
 * carries its WebRTC offer, and whoever is already there answers it. The newcomer takes that
 * answer as the other side's presence. Since the newcomer listens only from its own hello on, it
 * never sees the earlier hello of the one already there, so only one offer gets answered.
 *
 * Effects (objects with a `type`):
 * - `reply {kind, to}`           send a signal to one party
 * - `answerPeer {peer, sdp}`     a newcomer offered: answer with a new connection
 * - `peerAnswered {peer}`        our hello's offer was answered: the peer is here, we offered
 *   (the answer itself follows as a `forward`)
 * - `peerLeft {peer}`            the peer hung up
 * - `thirdRefused {name}`        someone tried to join a full call (shown to the people in it)
 * - `refused {reason}`           we were refused: the call already has two people
 * - `forward {message}`          a WebRTC or media message from the peer, for the connection
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
    return meet(state, from, message.sdp);
  }
  if (message.kind === 'answer' && !state.peer) {
    // Someone who was already here answered the offer in our hello.
    return {
      state: { ...state, peer: from },
      effects: [{ type: 'peerAnswered', peer: from }, { type: 'forward', message }],
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

function meet(state, from, sdp) {
  if (!sdp) {
    // A hello without an offer cannot start a call; nothing to answer.
    return unchanged(state);
  }
  if (!state.peer || (state.peer.user === from.user && state.peer.party !== from.party)) {
    // Someone new, or the peer came back as a new party (reload, other device).
    return { state: { ...state, peer: from }, effects: [{ type: 'answerPeer', peer: from, sdp }] };
  }
  if (state.peer.party === from.party) {
    // A repeated hello from the peer we already have.
    return unchanged(state);
  }
  // A third person. Only one of the two (the smaller party id) sends the refusal, so it arrives
  // once; both are told.
  const refuse = state.self.party < state.peer.party ? [{ type: 'reply', kind: 'refuse', to: from.party, reason: 'full' }] : [];
  return { state, effects: [...refuse, { type: 'thirdRefused', name: from.name, user: from.user }] };
}

function unchanged(state) {
  return { state, effects: [] };
}
