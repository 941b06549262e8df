import { describe, expect, it } from 'vitest';
import { framesDecoded, mediaPath } from '../../src/path.js';

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
