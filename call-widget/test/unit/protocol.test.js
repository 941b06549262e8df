import { describe, expect, it } from 'vitest';
import { SIGNAL_EVENT_TYPE, newOfferId, newPartyId, parseSignal, signal } from '../../src/protocol.js';

const ALICE = 'a'.repeat(32);
const BOB = 'b'.repeat(32);

function event(content, sender = '@alice:caw.test', ts = undefined) {
  return { type: SIGNAL_EVENT_TYPE, sender, content, origin_server_ts: ts };
}

describe('signal messages', () => {
  it('round-trips an offer through a room event, with the homeserver\'s timestamp', () => {
    const content = signal('offer', ALICE, { to: BOB, sdp: 'v=0', offer: 'abcd1234', name: 'Alice' });
    expect(parseSignal(event(content, '@alice:caw.test', 1700000000000))).toEqual({
      kind: 'offer', party: ALICE, to: BOB, sender: '@alice:caw.test', name: 'Alice', sdp: 'v=0', offer: 'abcd1234',
      iceRestart: false, ts: 1700000000000,
    });
  });

  it('accepts a hello without an addressee, with its offer and the offer\'s id', () => {
    const parsed = parseSignal(event(signal('hello', ALICE, { name: 'Alice', sdp: 'v=0', offer: 'abcd1234' })));
    expect(parsed).toMatchObject({ kind: 'hello', sdp: 'v=0', offer: 'abcd1234', to: undefined });
    const withoutId = parseSignal(event(signal('hello', ALICE, { sdp: 'v=0' })));
    expect(withoutId.sdp).toBeUndefined();
  });

  it('rejects everything but hello and hangup without an addressee', () => {
    expect(parseSignal(event(signal('offer', ALICE, { sdp: 'v=0', offer: 'abcd1234' })))).toBeNull();
    expect(parseSignal(event(signal('hangup', ALICE)))).toMatchObject({ kind: 'hangup', reason: 'left' });
  });

  it('requires an offer id on offers and answers, and reads why someone hung up', () => {
    expect(parseSignal(event(signal('answer', ALICE, { to: BOB, sdp: 'v=0' })))).toBeNull();
    expect(parseSignal(event(signal('answer', ALICE, { to: BOB, sdp: 'v=0', offer: '<x>' })))).toBeNull();
    expect(parseSignal(event(signal('hangup', ALICE, { to: BOB, reason: 'replaced' }))).reason).toBe('replaced');
    expect(parseSignal(event(signal('hangup', ALICE, { to: BOB, reason: 'whatever' }))).reason).toBe('left');
  });

  it('rejects other event types, versions and kinds', () => {
    expect(parseSignal({ ...event(signal('hello', ALICE)), type: 'm.room.message' })).toBeNull();
    expect(parseSignal(event({ ...signal('hello', ALICE), v: 1 }))).toBeNull();
    expect(parseSignal(event({ v: 2, kind: 'record', party: ALICE }))).toBeNull();
    expect(() => signal('stream', ALICE)).toThrow('unknown signal kind');
  });

  it('rejects a malformed party id', () => {
    expect(parseSignal(event(signal('hello', 'short')))).toBeNull();
    expect(parseSignal(event(signal('hello', '<script>alert(1)</script>')))).toBeNull();
  });

  it('rejects an offer without sdp or with an oversized one', () => {
    expect(parseSignal(event(signal('offer', ALICE, { to: BOB, offer: 'abcd1234' })))).toBeNull();
    expect(parseSignal(event(signal('offer', ALICE, { to: BOB, offer: 'abcd1234', sdp: 'x'.repeat(70000) })))).toBeNull();
  });

  it('keeps only well-formed candidates', () => {
    const parsed = parseSignal(event(signal('candidates', ALICE, {
      to: BOB,
      candidates: [{ candidate: 'candidate:1 1 udp 1 127.0.0.1 5000 typ host', sdpMid: '0', sdpMLineIndex: 0 },
        { candidate: 42 }, null, { candidate: '' }],
    })));
    expect(parsed.candidates).toHaveLength(2);
  });

  it('caps display names and falls back to the sender', () => {
    expect(parseSignal(event(signal('hello', ALICE, { name: 'x'.repeat(500) }))).name).toHaveLength(80);
    expect(parseSignal(event(signal('hello', ALICE))).name).toBe('@alice:caw.test');
  });

  it('reads media state with safe defaults', () => {
    const parsed = parseSignal(event(signal('media', ALICE, { to: BOB, camera: false })));
    expect(parsed).toMatchObject({ camera: false, microphone: true, screen: false });
  });

  it('makes distinct 32-character party ids and 16-character offer ids', () => {
    const first = newPartyId();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(newPartyId()).not.toBe(first);
    expect(newOfferId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newOfferId()).not.toBe(newOfferId());
  });
});
