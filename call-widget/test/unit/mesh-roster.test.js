import { describe, expect, it } from 'vitest';
import { decideMesh, initialMesh, joinMesh, leaveMesh, offersTo, peerList } from '../../src/mesh-roster.js';

const A = '2'.repeat(32);
const B = '4'.repeat(32);
const C = '6'.repeat(32);
const D = '8'.repeat(32);
const COUNSELLOR = '@counsellor:caw.test';
const PUPIL = '@pupil:caw.test';
const PARENT = '@parent:caw.test';
const STRANGER = '@stranger:caw.test';

function joined(party, user, capacity = 3) {
  return joinMesh(initialMesh(null, user, capacity, COUNSELLOR), { party });
}

function message(kind, party, sender, extra = {}) {
  return { kind, party, sender, name: sender.slice(1, sender.indexOf(':')), ...extra };
}

const types = (result) => result.effects.map((effect) => effect.type);

/** Feeds messages in order; returns the last result. */
function feed(state, ...messages) {
  let result = { state, effects: [] };
  for (const m of messages) {
    result = decideMesh(result.state, m);
  }
  return result;
}

describe('a group call', () => {
  it('offers to a newcomer when its party id is the smaller, else greets it so the newcomer offers', () => {
    const offering = decideMesh(joined(A, COUNSELLOR), message('hello', C, PUPIL));
    expect(offersTo(A, C)).toBe(true);
    expect(types(offering)).toEqual(['connect']);
    expect(offering.effects[0].peer).toMatchObject({ party: C, user: PUPIL, offerer: true });

    const greeting = decideMesh(joined(D, COUNSELLOR), message('hello', C, PUPIL));
    expect(types(greeting)).toEqual(['connect', 'greet']);
    expect(greeting.effects[0].peer.offerer).toBe(false);
    expect(greeting.effects[1]).toEqual({ type: 'greet', to: C });
  });

  it('never lets both sides of a pair offer, whoever hears whom first', () => {
    // Both say hello at once; each hears the other's.
    const a = decideMesh(joined(A, COUNSELLOR), message('hello', C, PUPIL));
    const c = decideMesh(joined(C, PUPIL), message('hello', A, COUNSELLOR));
    expect(a.effects[0].peer.offerer).toBe(true);
    expect(c.effects[0].peer.offerer).toBe(false);
    // C's greeting reaches A, who offers already: the same peer, no second one (whether a young
    // connection is kept is the controller's call, see mesh.js).
    const greeted = decideMesh(a.state, message('hello', C, PUPIL, { to: A }));
    expect(greeted.effects).toEqual([{ type: 'connect', peer: a.state.peers[C], again: true }]);
    expect(peerList(greeted.state)).toHaveLength(1);
  });

  it('answers an offer of someone it has not heard from yet, and keeps their early candidates', () => {
    const early = decideMesh(joined(C, PUPIL), message('candidates', A, COUNSELLOR, { to: C, candidates: [] }));
    expect(early.effects).toEqual([]);
    const result = decideMesh(early.state, message('offer', A, COUNSELLOR, { to: C, sdp: 'v=0', offer: 'o1' }));
    expect(types(result)).toEqual(['connect', 'forward', 'answer']);
    expect(result.effects[2]).toMatchObject({ sdp: 'v=0', offer: 'o1' });
    // Later offers of the same peer (ICE restarts) go to its connection.
    const again = decideMesh(result.state, message('offer', A, COUNSELLOR, { to: C, sdp: 'v=0 2', offer: 'o2', iceRestart: true }));
    expect(types(again)).toEqual(['answer']);
    expect(again.effects[0].iceRestart).toBe(true);
  });

  it('holds three people and refuses a fourth, said once by the smallest party, told to everyone', () => {
    const full = feed(joined(A, COUNSELLOR), message('hello', B, PUPIL), message('hello', C, PARENT)).state;
    expect(peerList(full).map((peer) => peer.user)).toEqual([PUPIL, PARENT]);
    const atA = decideMesh(full, message('hello', D, STRANGER));
    expect(atA.effects).toEqual([
      { type: 'reply', kind: 'refuse', to: D, reason: 'full' },
      { type: 'fullRefused', name: 'stranger', user: STRANGER },
    ]);
    expect(peerList(atA.state)).toHaveLength(2);
    // B sees the same stranger but is not the smallest party: it only tells its person.
    const atB = feed(joined(B, PUPIL), message('hello', A, COUNSELLOR), message('hello', C, PARENT),
      message('hello', D, STRANGER));
    expect(atB.effects).toEqual([{ type: 'fullRefused', name: 'stranger', user: STRANGER }]);
    // And the stranger's own widget hears the refusal.
    const stranger = decideMesh(joined(D, STRANGER), message('refuse', A, COUNSELLOR, { to: D, reason: 'full' }));
    expect(stranger.effects).toEqual([{ type: 'refused', reason: 'full' }]);
    expect(stranger.state.joined).toBe(false);
  });

  it('four people fit when the policy says four', () => {
    const state = feed(joined(A, COUNSELLOR, 4), message('hello', B, PUPIL), message('hello', C, PARENT),
      message('hello', D, STRANGER)).state;
    expect(peerList(state)).toHaveLength(3);
  });

  it('lets someone leave and come back as a new party, the call going on meanwhile', () => {
    const three = feed(joined(A, COUNSELLOR), message('hello', B, PUPIL), message('hello', C, PARENT)).state;
    const left = decideMesh(three, message('hangup', C, PARENT));
    expect(left.effects).toEqual([{ type: 'drop', peer: three.peers[C], reason: 'left' }]);
    expect(peerList(left.state).map((peer) => peer.party)).toEqual([B]);
    // A late signal of the party that left starts nothing.
    expect(decideMesh(left.state, message('offer', C, PARENT, { to: A, sdp: 'v=0', offer: 'x1' })).effects).toEqual([]);
    // Back with a new party (a rejoin or a reload): a new peer.
    const back = decideMesh(left.state, message('hello', D, PARENT));
    expect(types(back)).toEqual(['connect']);
    expect(peerList(back.state).map((peer) => peer.party)).toEqual([B, D]);
  });

  it('a newer party of someone in the call replaces the older one, which is told', () => {
    const three = feed(joined(A, COUNSELLOR), message('hello', B, PUPIL, { ts: 10 }), message('hello', C, PARENT)).state;
    const newer = decideMesh(three, message('hello', D, PUPIL, { ts: 20 }));
    expect(types(newer)).toEqual(['drop', 'reply', 'connect']);
    expect(newer.effects[1]).toEqual({ type: 'reply', kind: 'hangup', to: B, reason: 'replaced' });
    expect(peerList(newer.state).map((peer) => peer.party)).toEqual([C, D]);
    // An older one arriving late changes nothing; the replaced widget leaves when told.
    expect(decideMesh(three, message('hello', D, PUPIL, { ts: 5 })).effects).toEqual([]);
    const replaced = decideMesh(feed(joined(B, PUPIL), message('hello', A, COUNSELLOR)).state,
      message('hangup', A, COUNSELLOR, { to: B, reason: 'replaced' }));
    expect(replaced.effects).toEqual([{ type: 'takenOver' }]);
  });

  it('ignores its own echoes, other addressees, its own other device and anything before joining', () => {
    const state = joined(A, COUNSELLOR);
    expect(decideMesh(state, message('hello', A, COUNSELLOR)).effects).toEqual([]);
    expect(decideMesh(state, message('offer', C, PUPIL, { to: B, sdp: 'v=0', offer: 'o' })).effects).toEqual([]);
    expect(decideMesh(state, message('hello', C, COUNSELLOR)).effects).toEqual([]);
    expect(decideMesh(initialMesh(null, COUNSELLOR, 3), message('hello', C, PUPIL)).effects).toEqual([]);
    expect(decideMesh(leaveMesh(state), message('hello', C, PUPIL)).effects).toEqual([]);
  });

  it('a peer that greets again without a working connection gets a fresh offer from the offerer', () => {
    const state = decideMesh(joined(A, COUNSELLOR), message('hello', C, PUPIL)).state;
    const again = decideMesh(state, message('hello', C, PUPIL, { to: A }));
    expect(again.effects).toEqual([{ type: 'connect', peer: state.peers[C], again: true }]);
  });

  it('keeps early messages of a few parties only, and a bounded number each', () => {
    let state = joined(A, COUNSELLOR);
    for (let i = 0; i < 100; i++) {
      state = decideMesh(state, message('candidates', `${i}`.padStart(32, 'c'), PUPIL, { to: A, candidates: [] })).state;
    }
    expect(Object.keys(state.early).length).toBeLessThanOrEqual(6);
    for (let i = 0; i < 100; i++) {
      state = decideMesh(state, message('media', '0'.padStart(32, 'c'), PUPIL, { to: A })).state;
    }
    expect(state.early['0'.padStart(32, 'c')].length).toBeLessThanOrEqual(40);
  });
});

describe('taking someone out of a group call', () => {
  it('tells the one taken out to leave, and forgets them here', async () => {
    const { forget } = await import('../../src/mesh-roster.js');
    const three = feed(joined(A, COUNSELLOR), message('hello', B, PUPIL), message('hello', C, PARENT)).state;
    const without = forget(three, C);
    expect(peerList(without).map((peer) => peer.party)).toEqual([B]);
    expect(decideMesh(without, message('offer', C, PARENT, { to: A, sdp: 'v=0', offer: 'o' })).effects).toEqual([]);
    const atParent = feed(joined(C, PARENT), message('hello', A, COUNSELLOR),
      message('hangup', A, COUNSELLOR, { to: C, reason: 'removed' }));
    expect(atParent.effects).toEqual([{ type: 'removed', by: 'counsellor' }]);
    expect(atParent.state.joined).toBe(false);
    // Only the counsellor can say so: not a stranger, not another participant.
    const stranger = decideMesh(joined(C, PARENT), message('hangup', D, STRANGER, { to: C, reason: 'removed' }));
    expect(stranger.effects).toEqual([]);
    const byPupil = feed(joined(C, PARENT), message('hello', B, PUPIL), message('hangup', B, PUPIL, { to: C, reason: 'removed' }));
    expect(byPupil.effects).toEqual([{ type: 'drop', peer: byPupil.state.peers[B] ?? expect.anything(), reason: 'left' }]);
    expect(byPupil.state.joined).toBe(true);
  });

  it('a party speaks for its own user only, and a refusal sends away only a newcomer', () => {
    const three = feed(joined(A, COUNSELLOR), message('hello', B, PUPIL), message('hello', C, PARENT)).state;
    // The parent, in the pupil's name: a hangup or an offer as party B is not read.
    expect(decideMesh(three, message('hangup', B, PARENT)).effects).toEqual([]);
    expect(decideMesh(three, message('offer', B, PARENT, { to: A, sdp: 'v=0', offer: 'o9' })).effects).toEqual([]);
    expect(peerList(three)).toHaveLength(2);
    // Someone in the call cannot refuse us any more.
    expect(decideMesh(three, message('refuse', C, PARENT, { to: A, reason: 'full' })).effects).toEqual([]);
    expect(decideMesh(three, message('refuse', C, PARENT, { to: A, reason: 'full' })).state.joined).toBe(true);
  });
});
