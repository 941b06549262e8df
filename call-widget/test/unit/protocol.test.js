import { describe, expect, it } from 'vitest';
import { SIGNAL_EVENT_TYPE, newPartyId, parseSignal, signal } from '../../src/protocol.js';

const ALICE = 'a'.repeat(32);
const BOB = 'b'.repeat(32);

function event(content, sender = '@alice:caw.test') {
  return { type: SIGNAL_EVENT_TYPE, sender, content };
}

describe('signal messages', () => {
  it('round-trips an offer through a room event', () => {
    const content = signal('offer', ALICE, { to: BOB, sdp: 'v=0', name: 'Alice' });
    expect(parseSignal(event(content))).toEqual({
      kind: 'offer', party: ALICE, to: BOB, sender: '@alice:caw.test', name: 'Alice', sdp: 'v=0', iceRestart: false,
    });
  });

  it('accepts a hello without an addressee, with its offer', () => {
    const parsed = parseSignal(event(signal('hello', ALICE, { name: 'Alice', sdp: 'v=0' })));
    expect(parsed).toMatchObject({ kind: 'hello', sdp: 'v=0', to: undefined });
  });

  it('rejects everything but hello without an addressee', () => {
    expect(parseSignal(event(signal('offer', ALICE, { sdp: 'v=0' })))).toBeNull();
  });

  it('rejects other event types, versions and kinds', () => {
    expect(parseSignal({ ...event(signal('hello', ALICE)), type: 'm.room.message' })).toBeNull();
    expect(parseSignal(event({ ...signal('hello', ALICE), v: 2 }))).toBeNull();
    expect(parseSignal(event({ v: 1, kind: 'record', party: ALICE }))).toBeNull();
    expect(() => signal('stream', ALICE)).toThrow('unknown signal kind');
  });

  it('rejects a malformed party id', () => {
    expect(parseSignal(event(signal('hello', 'short')))).toBeNull();
    expect(parseSignal(event(signal('hello', '<script>alert(1)</script>')))).toBeNull();
  });

  it('rejects an offer without sdp or with an oversized one', () => {
    expect(parseSignal(event(signal('offer', ALICE, { to: BOB })))).toBeNull();
    expect(parseSignal(event(signal('offer', ALICE, { to: BOB, sdp: 'x'.repeat(70000) })))).toBeNull();
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

  it('makes distinct 32-character party ids', () => {
    const first = newPartyId();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(newPartyId()).not.toBe(first);
  });
});
