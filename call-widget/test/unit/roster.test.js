import { describe, expect, it } from 'vitest';
import { decide, initialRoster, isPolite, join, leave, restart } from '../../src/roster.js';

const SELF = '5'.repeat(32);
const LOWER = '1'.repeat(32);
const HIGHER = '9'.repeat(32);
const OTHER = '7'.repeat(32);
const COUNSELLOR = '@counsellor:caw.test';
const CLIENT = '@client:caw.test';

function joined(party = SELF, user = COUNSELLOR, offer = 'own-offer') {
  return join(initialRoster(null, user), { party, offer });
}

/** A parsed signal; a hello carries its sender's offer unless the test says otherwise. */
function message(kind, party, sender, extra = {}) {
  const offer = kind === 'hello' ? { sdp: 'v=0 offer', offer: `offer-of-${party.slice(0, 4)}` } : {};
  return { kind, party, sender, name: sender.slice(1, sender.indexOf(':')), ...offer, ...extra };
}

const types = (result) => result.effects.map((effect) => effect.type);

describe('who is in the call', () => {
  it('ignores its own echoed events and signals before joining', () => {
    expect(decide(joined(), message('hello', SELF, COUNSELLOR)).effects).toEqual([]);
    expect(decide(initialRoster(null, COUNSELLOR), message('hello', HIGHER, CLIENT)).effects).toEqual([]);
  });

  it('answers a newcomer\'s hello when it is the polite side', () => {
    const result = decide(joined(SELF), message('hello', LOWER, CLIENT));
    expect(isPolite(SELF, LOWER)).toBe(true);
    expect(result.state.peer).toMatchObject({ party: LOWER, user: CLIENT });
    expect(result.state.pendingOffer).toBeNull();
    expect(result.effects).toEqual([
      { type: 'pair', peer: result.state.peer, role: 'answerer' },
      { type: 'answer', sdp: 'v=0 offer', offer: 'offer-of-1111' },
    ]);
  });

  it('insists on its own pending offer when it is the impolite side, addressed to the newcomer', () => {
    const result = decide(joined(SELF), message('hello', HIGHER, CLIENT));
    expect(result.state.pendingOffer).toBe('own-offer');
    expect(result.effects).toEqual([
      { type: 'pair', peer: result.state.peer, role: 'offerer' },
      { type: 'sendOffer', to: HIGHER },
    ]);
  });

  it('answers whoever comes when it has no offer of its own out', () => {
    const settled = { ...joined(SELF), pendingOffer: null };
    expect(types(decide(settled, message('hello', HIGHER, CLIENT)))).toEqual(['pair', 'answer']);
  });

  it('reads an addressed offer from someone it never heard of (the hello came before we joined)', () => {
    const offer = message('offer', LOWER, CLIENT, { to: SELF, sdp: 'v=0', offer: 'their-offer' });
    expect(types(decide(joined(SELF), offer))).toEqual(['pair', 'answer']);
  });

  it('takes an answer to its pending offer as the other side being here', () => {
    const answer = message('answer', LOWER, CLIENT, { to: SELF, sdp: 'v=0', offer: 'own-offer' });
    const { state, effects } = decide(joined(), answer);
    expect(state.peer).toMatchObject({ party: LOWER });
    expect(state.pendingOffer).toBeNull();
    expect(effects).toEqual([{ type: 'pair', peer: state.peer, role: 'offerer' }, { type: 'forward', message: answer }]);
  });

  it('ignores an answer to an offer it no longer has', () => {
    const stale = message('answer', LOWER, CLIENT, { to: SELF, sdp: 'v=0', offer: 'older-offer' });
    expect(decide(joined(), stale).effects).toEqual([]);
  });

  it('ignores the addressed copy of an offer it already took from the hello', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    const copy = message('offer', LOWER, CLIENT, { to: SELF, sdp: 'v=0 offer', offer: 'offer-of-1111' });
    expect(decide(withPeer, copy).effects).toEqual([]);
  });

  it('forwards a new offer from the peer (an ICE restart) to the connection', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    const restartOffer = message('offer', LOWER, CLIENT, { to: SELF, sdp: 'v=0', offer: 'restart-1', iceRestart: true });
    const { state, effects } = decide(withPeer, restartOffer);
    expect(effects).toEqual([{ type: 'forward', message: restartOffer }]);
    expect(state.peer.offer).toBe('restart-1');
  });

  it('keeps candidates that overtake their offer, and hands them over once paired', () => {
    const early = message('candidates', LOWER, CLIENT, { to: SELF, candidates: [{ candidate: '' }] });
    const kept = decide(joined(SELF), early);
    expect(kept.effects).toEqual([]);
    const { effects } = decide(kept.state, message('hello', LOWER, CLIENT));
    expect(effects.at(-1)).toEqual({ type: 'forward', message: early });
  });

  it('keeps at most a bounded number of early messages', () => {
    let state = joined(SELF);
    for (let i = 0; i < 200; i += 1) {
      const party = `${String(i % 10).repeat(8)}aa`;
      state = decide(state, message('candidates', party, CLIENT, { to: SELF, candidates: [] })).state;
    }
    const total = Object.values(state.early).reduce((sum, list) => sum + list.length, 0);
    expect(Object.keys(state.early).length).toBeLessThanOrEqual(4);
    expect(total).toBeLessThanOrEqual(160);
  });

  it('ignores a hello without an offer', () => {
    expect(decide(joined(), message('hello', HIGHER, CLIENT, { sdp: undefined })).effects).toEqual([]);
  });

  it('replaces the peer by a newer party of the same user, and tells the old one', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT, { ts: 100 })).state;
    const reloaded = message('hello', OTHER, CLIENT, { ts: 200 });
    const { state, effects } = decide({ ...withPeer, pendingOffer: null }, reloaded);
    expect(state.peer.party).toBe(OTHER);
    expect(effects).toEqual([
      { type: 'reply', kind: 'hangup', to: LOWER, reason: 'replaced' },
      { type: 'pair', peer: state.peer, role: 'answerer' },
      { type: 'answer', sdp: 'v=0 offer', offer: 'offer-of-7777' },
    ]);
  });

  it('does not let an older party of the peer\'s user take its place (a late hello)', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT, { ts: 200 })).state;
    expect(decide(withPeer, message('hello', OTHER, CLIENT, { ts: 100 })).effects).toEqual([]);
  });

  it('a hello of its own user\'s other device does not start anything here; being replaced ends the call', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    expect(decide(withPeer, message('hello', OTHER, COUNSELLOR)).effects).toEqual([]);
    const told = message('hangup', LOWER, CLIENT, { to: SELF, reason: 'replaced' });
    const { state, effects } = decide(withPeer, told);
    expect(effects).toEqual([{ type: 'takenOver' }]);
    expect(state.joined).toBe(false);
  });

  it('starts over with the same peer only for a later hello', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT, { ts: 100 })).state;
    const again = message('hello', LOWER, CLIENT, { ts: 300, offer: 'second-try' });
    expect(types(decide(withPeer, again))).toEqual(['pair', 'answer']);
    expect(decide(withPeer, { ...again, ts: 50 }).effects).toEqual([]);
    expect(decide(withPeer, { ...again, ts: undefined }).effects).toEqual([]);
  });

  it('refuses a third person, once, and tells the two in the call', () => {
    const peerHigher = decide(joined(SELF), message('hello', HIGHER, CLIENT)).state;
    const third = message('hello', OTHER, '@stranger:caw.test');
    expect(decide(peerHigher, third).effects).toEqual([
      { type: 'reply', kind: 'refuse', to: OTHER, reason: 'full' },
      { type: 'thirdRefused', name: 'stranger', user: '@stranger:caw.test' },
    ]);
    const peerLower = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    expect(decide(peerLower, third).effects).toEqual([{ type: 'thirdRefused', name: 'stranger', user: '@stranger:caw.test' }]);
  });

  it('is refused when the call is full', () => {
    const { state, effects } = decide(joined(), message('refuse', LOWER, CLIENT, { to: SELF, reason: 'full' }));
    expect(state).toMatchObject({ refused: true, joined: false });
    expect(effects).toEqual([{ type: 'refused', reason: 'full' }]);
  });

  it('ends when the peer hangs up, and forgets a party that left before pairing', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    expect(types(decide(withPeer, message('hangup', LOWER, CLIENT, { to: SELF })))).toEqual(['peerLeft']);
    const left = decide(joined(SELF), message('hangup', LOWER, CLIENT)).state;
    expect(decide(left, message('hello', LOWER, CLIENT)).effects).toEqual([]);
  });

  it('ignores signals addressed to someone else', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    expect(decide(withPeer, message('candidates', LOWER, CLIENT, { to: OTHER, candidates: [] })).effects).toEqual([]);
  });

  it('restart and leave clear the peer', () => {
    const withPeer = decide(joined(SELF), message('hello', LOWER, CLIENT)).state;
    expect(restart(withPeer, 'fresh')).toMatchObject({ peer: null, pendingOffer: 'fresh', joined: true });
    expect(leave(withPeer)).toMatchObject({ peer: null, joined: false });
  });
});

/**
 * Two widgets and a room, with a model of each side's connection, run through every order in which
 * the room can deliver events (and, for hosts that decrypt out of order, every order at all). At the
 * end both must be paired with each other on one offer and its answer: no deadlock, whatever the
 * timing of the two Joins.
 */
describe('negotiation under every delivery order', () => {
  const A = { party: 'a'.repeat(16), user: COUNSELLOR };
  const B = { party: 'b'.repeat(16), user: CLIENT };

  function side(who) {
    return { who, roster: initialRoster(null, who.user), link: null, cursor: 0, seen: new Set() };
  }

  function doJoin(world, s, who, offer) {
    s.link = { localOffer: offer, answered: null, gotAnswer: null };
    s.roster = join(s.roster, { party: who.party, offer });
    post(world, who, { kind: 'hello', sdp: 'sdp', offer });
  }

  function post(world, who, fields) {
    world.log.push({ party: who.party, sender: who.user, name: who.user, ts: world.log.length, ...fields });
  }

  function deliver(world, s, message) {
    const { state, effects } = decide(s.roster, message);
    s.roster = state;
    for (const effect of effects) {
      const peer = s.roster.peer;
      switch (effect.type) {
        case 'pair':
          if (effect.role === 'answerer') {
            s.link = { localOffer: null, answered: null, gotAnswer: null };
          }
          break;
        case 'answer':
          s.link.answered = effect.offer;
          s.link.localOffer = null;
          post(world, s.self, { kind: 'answer', to: peer.party, sdp: 'sdp', offer: effect.offer });
          break;
        case 'sendOffer':
          if (s.link.localOffer) {
            post(world, s.self, { kind: 'offer', to: effect.to, sdp: 'sdp', offer: s.link.localOffer });
          }
          break;
        case 'forward':
          if (effect.message.kind === 'answer' && effect.message.offer === s.link.localOffer) {
            s.link.gotAnswer = effect.message.offer;
          }
          break;
        default:
          break;
      }
    }
  }

  /** Both paired with each other, one side's offer answered by the other and the answer taken. */
  function connected(a, b) {
    const pairedUp = a.roster.peer?.party === B.party && b.roster.peer?.party === A.party;
    const aOffered = a.link?.gotAnswer && b.link?.answered === a.link.gotAnswer;
    const bOffered = b.link?.gotAnswer && a.link?.answered === b.link.gotAnswer;
    return pairedUp && Boolean(aOffered || bOffered);
  }

  /** Explores every interleaving of joins and deliveries; `anyOrder` lets a side read any unread event. */
  function explore(anyOrder) {
    let endings = 0;
    const failures = [];
    const visit = (steps) => {
      const world = { log: [] };
      const a = { ...side(A), self: A };
      const b = { ...side(B), self: B };
      const sides = [a, b];
      const options = () => {
        const list = [];
        sides.forEach((s, i) => {
          if (!s.roster.joined && !s.didJoin) {
            list.push({ kind: 'join', i });
          }
          const unread = world.log.map((_, index) => index).filter((index) => !s.seen.has(index));
          for (const index of anyOrder ? unread : unread.slice(0, 1)) {
            list.push({ kind: 'read', i, index });
          }
        });
        return list;
      };
      for (const step of steps) {
        const s = sides[step.i];
        if (step.kind === 'join') {
          s.didJoin = true;
          doJoin(world, s, s.self, `offer-${s.self.party[0]}`);
        } else {
          s.seen.add(step.index);
          deliver(world, s, world.log[step.index]);
        }
      }
      const next = options();
      if (next.length === 0) {
        endings += 1;
        if (!connected(a, b)) {
          failures.push(steps.map((s) => (s.kind === 'join' ? `join${s.i}` : `read${s.i}:${s.index}`)).join(' '));
        }
        return;
      }
      for (const option of next) {
        visit([...steps, option]);
      }
    };
    visit([]);
    return { endings, failures };
  }

  it('connects in every room order of two joins (Element, the test host)', () => {
    const { endings, failures } = explore(false);
    expect(endings).toBeGreaterThan(20);
    expect(failures).toEqual([]);
  });

  it('connects in every order at all (matrix-js-sdk echoing at once and decrypting out of order)', () => {
    const { endings, failures } = explore(true);
    expect(endings).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
