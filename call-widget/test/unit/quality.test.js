import { describe, expect, it } from 'vitest';
import { LIMITS, initialQuality, maySharpen, nextQuality, problems, sample } from '../../src/quality.js';

/** A stats report as Chrome gives it, reduced to what the quality reads. */
function report({ received = 1000, lost = 0, fps = 30, rtt = 0.02, limited = 'none', sentLoss = 0, width = 640, freezes = 0 } = {}) {
  return new Map([
    ['in-v', { type: 'inbound-rtp', kind: 'video', packetsReceived: received, packetsLost: lost, framesPerSecond: fps, freezeCount: freezes, totalFreezesDuration: freezes * 0.5 }],
    ['in-a', { type: 'inbound-rtp', kind: 'audio', packetsReceived: received / 2, packetsLost: 0 }],
    ['pair', { type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: rtt }],
    ['out-v', { type: 'outbound-rtp', kind: 'video', qualityLimitationReason: limited, frameWidth: width }],
    ['rin-v', { type: 'remote-inbound-rtp', kind: 'video', fractionLost: sentLoss }],
  ]);
}

const second = (options, at) => sample(report(options), at);

describe('connection quality', () => {
  it('reads packets, frame rate, round trip, freezes and what the peer says of our video', () => {
    expect(second({ received: 900, lost: 100, fps: 12, rtt: 0.3, limited: 'bandwidth', sentLoss: 0.2, freezes: 2 }, 5)).toEqual({
      at: 5, packetsReceived: 1350, packetsLost: 100, framesPerSecond: 12, roundTrip: 0.3, limitedByBandwidth: true,
      sentLoss: 0.2, sentWidth: 640, freezes: 2, freezeSeconds: 1, availableOutgoing: null, limitedBy: 'bandwidth',
    });
  });

  it('finds loss over the last second, delay and stutter, and nothing on a good line', () => {
    const before = second({ received: 1000, lost: 0 });
    expect(problems(before, second({ received: 1100, lost: 1 }), { peerSendsVideo: true })).toEqual([]);
    expect(problems(before, second({ received: 1090, lost: 20 }), { peerSendsVideo: true })).toEqual(['loss']);
    expect(problems(before, second({ received: 1100, rtt: 0.8 }), { peerSendsVideo: true })).toEqual(['delay']);
    expect(problems(before, second({ received: 1100, fps: 3 }), { peerSendsVideo: true })).toEqual(['stutter']);
    // A camera that is off sends no frames: not a stutter.
    expect(problems(before, second({ received: 1100, fps: 0 }), { peerSendsVideo: false })).toEqual([]);
  });

  it('warns after two bad seconds and clears after three good ones', () => {
    const ok = { sentLoss: 0 };
    let state = initialQuality();
    state = nextQuality(state, ['loss'], ok);
    expect(state.poor).toBe(false);
    state = nextQuality(state, ['loss'], ok);
    expect(state.poor).toBe(true);
    state = nextQuality(state, [], ok);
    state = nextQuality(state, [], ok);
    expect(state.poor).toBe(true);
    state = nextQuality(nextQuality(state, ['delay'], ok), [], ok);
    expect(state.poor).toBe(true);
    for (let i = 0; i < LIMITS.goodAfter; i += 1) {
      state = nextQuality(state, [], ok);
    }
    expect(state.poor).toBe(false);
  });

  it('halves the sent resolution at once while the peer loses our video, down to a quarter, and raises it slowly', () => {
    let state = initialQuality();
    state = nextQuality(state, [], { sentLoss: 0.3 });
    expect(state.scale).toBe(2);
    expect(state.struggled).toBe(true);
    for (let i = 0; i < 20; i += 1) {
      state = nextQuality(state, [], { sentLoss: 0.3 });
    }
    expect(state.scale).toBe(LIMITS.maxScale);
    state = nextQuality(state, [], { sentLoss: 0 });
    expect(state.scale).toBe(4);
    for (let i = 0; i < LIMITS.raiseAfter - 2; i += 1) {
      state = nextQuality(state, [], { sentLoss: 0.01 });
    }
    expect(state.scale).toBe(4);
    state = nextQuality(state, [], { sentLoss: 0.01 });
    expect(state.scale).toBe(2);
  });

  it('waits twice as long before raising again when a raise brought the loss back', () => {
    let state = { ...initialQuality(), scale: 4 };
    for (let i = 0; i < LIMITS.raiseAfter; i += 1) state = nextQuality(state, [], { sentLoss: 0 });
    expect(state.scale).toBe(2);
    state = nextQuality(state, [], { sentLoss: 0.2 });
    expect(state.scale).toBe(4);
    expect(state.raiseAfter).toBe(LIMITS.raiseAfter * 2);
    for (let i = 0; i < LIMITS.raiseAfter * 2 - 1; i += 1) state = nextQuality(state, [], { sentLoss: 0 });
    expect(state.scale).toBe(4);
    state = nextQuality(state, [], { sentLoss: 0 });
    expect(state.scale).toBe(2);
    for (let i = 0; i < 20; i += 1) {
      state = nextQuality(nextQuality(state, [], { sentLoss: 0.5 }), [], { sentLoss: 0.5 });
      for (let j = 0; j < state.raiseAfter; j += 1) state = nextQuality(state, [], { sentLoss: 0 });
    }
    expect(state.raiseAfter).toBe(LIMITS.maxRaiseAfter);
  });

  it('a line that lost a noticeable share of our video once counts as struggling, a clean one does not', () => {
    let clean = initialQuality();
    for (let i = 0; i < 30; i += 1) clean = nextQuality(clean, [], { sentLoss: 0.01 });
    expect(clean.struggled).toBe(false);
    expect(clean.scale).toBe(1);
    const once = nextQuality(clean, [], { sentLoss: 0.05 });
    expect(once.struggled).toBe(true);
    expect(once.scale).toBe(1);
    expect(nextQuality(once, [], { sentLoss: null }).struggled).toBe(true);
  });
});

describe('asking the camera for the sharper picture', () => {
  const line = (fields) => ({ ...sample(new Map()), ...fields });
  it('waits until the call has run a moment and the estimate carries 720p', () => {
    const fine = line({ availableOutgoing: 2_500_000 });
    expect(maySharpen(fine, initialQuality(), LIMITS.sharpenAfterMs - 1)).toBe(false);
    expect(maySharpen(fine, initialQuality(), LIMITS.sharpenAfterMs)).toBe(true);
  });

  it('does not on a narrow line, a limited encoder or a line that lost our video', () => {
    const after = LIMITS.sharpenAfterMs + 1000;
    expect(maySharpen(line({ availableOutgoing: 300_000 }), initialQuality(), after)).toBe(false);
    expect(maySharpen(line({ availableOutgoing: 2_500_000, limitedByBandwidth: true }), initialQuality(), after)).toBe(false);
    expect(maySharpen(line({ availableOutgoing: 2_500_000 }), { ...initialQuality(), struggled: true }, after)).toBe(false);
  });

  it('without an estimate, goes by the encoder alone', () => {
    const after = LIMITS.sharpenAfterMs + 1000;
    expect(maySharpen(line({}), initialQuality(), after)).toBe(true);
    expect(maySharpen(line({ limitedByBandwidth: true }), initialQuality(), after)).toBe(false);
  });

  it('reads the estimate and round trip from the transport\'s selected pair, else a nominated one', () => {
    const pair = (id, rtt, bitrate) => [id, { id, type: 'candidate-pair', nominated: true, state: 'succeeded',
      currentRoundTripTime: rtt, availableOutgoingBitrate: bitrate }];
    const selected = new Map([pair('a', 0.02, 1_800_000), pair('b', 0.2, 300_000),
      ['t', { type: 'transport', selectedCandidatePairId: 'a' }]]);
    expect(sample(selected)).toMatchObject({ availableOutgoing: 1_800_000, roundTrip: 0.02 });
    const nominated = new Map([pair('b', 0.2, 300_000)]);
    expect(sample(nominated)).toMatchObject({ availableOutgoing: 300_000, roundTrip: 0.2 });
  });
});
