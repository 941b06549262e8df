import { describe, expect, it } from 'vitest';
import { decide, initialRoster, join, leave, listen } from '../../src/roster.js';

const SELF = '5'.repeat(32);
const LOWER = '1'.repeat(32);
const HIGHER = '9'.repeat(32);
const OTHER = '7'.repeat(32);

/** Joined and past our own hello's echo. */
function joined(party = SELF, user = '@counsellor:caw.test') {
  return decide(join(initialRoster(party, user)), message('hello', party, user)).state;
}

/** A parsed signal; a hello carries its sender's offer unless the test says otherwise. */
function message(kind, party, sender, extra = {}) {
  const offer = kind === 'hello' ? { sdp: 'v=0 offer' } : {};
  return { kind, party, sender, name: sender.slice(1, sender.indexOf(':')), ...offer, ...extra };
}

function withPeer(peerParty = HIGHER, peerUser = '@client:caw.test') {
  return decide(joined(), message('hello', peerParty, peerUser)).state;
}

describe('who is in the call', () => {
  it('ignores what the room delivers before our own hello comes back', () => {
    const fresh = join(initialRoster(SELF, '@counsellor:caw.test'));
    const stale = message('hello', HIGHER, '@client:caw.test');
    expect(decide(fresh, stale).effects).toEqual([]);
    const echoed = decide(fresh, message('hello', SELF, '@counsellor:caw.test')).state;
    expect(echoed.listening).toBe(true);
    expect(decide(echoed, stale).effects.map((e) => e.type)).toEqual(['answerPeer']);
  });

  it('listens without an echo when told to (hosts that do not echo)', () => {
    const fresh = join(initialRoster(SELF, '@counsellor:caw.test'));
    expect(listen(fresh).listening).toBe(true);
    expect(listen(initialRoster(SELF, '@c:caw.test')).listening).toBe(false);
  });

  it('ignores its own echoed events', () => {
    expect(decide(joined(), message('hello', SELF, '@counsellor:caw.test')).effects).toEqual([]);
  });

  it('ignores signals before joining', () => {
    const { effects } = decide(initialRoster(SELF, '@c:caw.test'), message('hello', HIGHER, '@client:caw.test'));
    expect(effects).toEqual([]);
  });

  it('answers the offer in a newcomer\'s hello', () => {
    const { state, effects } = decide(joined(), message('hello', HIGHER, '@client:caw.test'));
    expect(state.peer).toMatchObject({ party: HIGHER, user: '@client:caw.test' });
    expect(effects).toEqual([{ type: 'answerPeer', peer: state.peer, sdp: 'v=0 offer' }]);
  });

  it('ignores a hello without an offer', () => {
    expect(decide(joined(), message('hello', HIGHER, '@client:caw.test', { sdp: undefined })).effects).toEqual([]);
  });

  it('takes an answer to its hello as the other side being here', () => {
    const answer = message('answer', LOWER, '@counsellor:caw.test', { to: SELF, sdp: 'v=0' });
    const { state, effects } = decide(joined(SELF, '@client:caw.test'), answer);
    expect(state.peer.party).toBe(LOWER);
    expect(effects).toEqual([{ type: 'peerAnswered', peer: state.peer }, { type: 'forward', message: answer }]);
  });

  it('refuses a third person and tells the people in the call', () => {
    const { state, effects } = decide(withPeer(HIGHER), message('hello', OTHER, '@stranger:caw.test'));
    expect(state.peer.party).toBe(HIGHER);
    expect(effects).toEqual([
      { type: 'reply', kind: 'refuse', to: OTHER, reason: 'full' },
      { type: 'thirdRefused', name: 'stranger', user: '@stranger:caw.test' },
    ]);
  });

  it('leaves the refusal to the smaller party id so it is sent once', () => {
    const state = decide(joined(SELF), message('hello', LOWER, '@client:caw.test')).state;
    const { effects } = decide(state, message('hello', OTHER, '@stranger:caw.test'));
    expect(effects.map((e) => e.type)).toEqual(['thirdRefused']);
  });

  it('ignores an answer from a stranger while in a call', () => {
    const answer = message('answer', OTHER, '@stranger:caw.test', { to: SELF, sdp: 'v=0' });
    expect(decide(withPeer(), answer).effects).toEqual([]);
  });

  it('takes a new party of the same user as the peer coming back', () => {
    const { state, effects } = decide(withPeer(HIGHER), message('hello', OTHER, '@client:caw.test'));
    expect(state.peer.party).toBe(OTHER);
    expect(effects).toEqual([{ type: 'answerPeer', peer: state.peer, sdp: 'v=0 offer' }]);
  });

  it('stops the call when refused', () => {
    const { state, effects } = decide(joined(), message('refuse', HIGHER, '@client:caw.test', { to: SELF, reason: 'full' }));
    expect(state).toMatchObject({ joined: false, refused: true });
    expect(effects).toEqual([{ type: 'refused', reason: 'full' }]);
  });

  it('ignores signals addressed to another party', () => {
    const { effects } = decide(withPeer(), message('offer', HIGHER, '@client:caw.test', { to: OTHER, sdp: 'v=0' }));
    expect(effects).toEqual([]);
  });

  it('forwards WebRTC signals from the peer only', () => {
    const restart = message('offer', HIGHER, '@client:caw.test', { to: SELF, sdp: 'v=0', iceRestart: true });
    expect(decide(withPeer(), restart).effects).toEqual([{ type: 'forward', message: restart }]);
    const stranger = message('offer', OTHER, '@stranger:caw.test', { to: SELF, sdp: 'v=0' });
    expect(decide(withPeer(), stranger).effects).toEqual([]);
  });

  it('ends the call when the peer hangs up', () => {
    const { state, effects } = decide(withPeer(), message('hangup', HIGHER, '@client:caw.test', { to: SELF }));
    expect(state.peer).toBeNull();
    expect(effects[0]).toMatchObject({ type: 'peerLeft' });
  });

  it('forgets the peer on leave and starts over on join', () => {
    expect(leave(withPeer())).toMatchObject({ joined: false, peer: null });
    expect(join(leave(withPeer()))).toMatchObject({ joined: true, listening: false });
  });
});
