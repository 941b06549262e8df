import { describe, expect, it } from 'vitest';
import { SilentLink, bytesReceived, framesDecoded, mediaPath } from '../../src/path.js';

function report(localType, remoteType, extra = []) {
  return new Map([
    ['T1', { type: 'transport', selectedCandidatePairId: 'P1' }],
    ['P1', { type: 'candidate-pair', localCandidateId: 'L1', remoteCandidateId: 'R1', state: 'succeeded' }],
    ['L1', { type: 'local-candidate', candidateType: localType }],
    ['R1', { type: 'remote-candidate', candidateType: remoteType }],
    ...extra,
  ]);
}

describe('media path', () => {
  it('is direct between host candidates', () => {
    expect(mediaPath(report('host', 'host')).path).toBe('direct');
    expect(mediaPath(report('srflx', 'prflx')).path).toBe('direct');
  });

  it('is relayed when either end is a TURN relay', () => {
    expect(mediaPath(report('relay', 'host')).path).toBe('relayed');
    expect(mediaPath(report('host', 'relay')).path).toBe('relayed');
  });

  it('is unknown before a pair is selected', () => {
    expect(mediaPath(new Map([['T1', { type: 'transport' }]])).path).toBe('unknown');
  });

  it('falls back to the selected pair flag', () => {
    const stats = report('host', 'relay');
    stats.set('T1', { type: 'transport' });
    stats.set('P1', { ...stats.get('P1'), selected: true });
    expect(mediaPath(stats).path).toBe('relayed');
  });

  it('reads a map-like RTCStatsReport', () => {
    const map = report('host', 'host');
    const reportLike = { forEach: (fn) => map.forEach(fn) };
    expect(mediaPath(reportLike).path).toBe('direct');
  });

  it('counts decoded video frames only', () => {
    const stats = report('host', 'host', [
      ['V', { type: 'inbound-rtp', kind: 'video', framesDecoded: 41 }],
      ['A', { type: 'inbound-rtp', kind: 'audio' }],
    ]);
    expect(framesDecoded(stats)).toBe(41);
    expect(framesDecoded(new Map())).toBe(0);
  });
});

describe('silent link', () => {
  it('sums the bytes received on the transports', () => {
    const stats = report('host', 'host');
    stats.set('T1', { ...stats.get('T1'), bytesReceived: 1200 });
    stats.set('T2', { type: 'transport', bytesReceived: 34 });
    expect(bytesReceived(stats)).toBe(1234);
  });

  it('is silent only after BREAK_MS without a new byte', () => {
    const link = new SilentLink();
    expect(link.silent(100, 0)).toBe(false);
    expect(link.silent(100, SilentLink.BREAK_MS - 1)).toBe(false);
    expect(link.silent(100, SilentLink.BREAK_MS)).toBe(true);
    expect(link.silent(150, SilentLink.BREAK_MS + 1000)).toBe(false);
    expect(link.silent(150, 2 * SilentLink.BREAK_MS + 999)).toBe(false);
    expect(link.silent(150, 2 * SilentLink.BREAK_MS + 1000)).toBe(true);
  });

  it('does not judge a link that never received anything', () => {
    const link = new SilentLink();
    expect(link.silent(0, 0)).toBe(false);
    expect(link.silent(0, 60_000)).toBe(false);
  });

  it('counts silence again from a reconnection', () => {
    const link = new SilentLink();
    link.silent(500, 0);
    expect(link.silent(500, 10_000)).toBe(true);
    link.restart(10_000);
    expect(link.silent(500, 10_000 + SilentLink.BREAK_MS - 1)).toBe(false);
  });
});
