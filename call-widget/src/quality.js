/**
 * How good the connection is, from WebRTC's own statistics, sampled once a second: a pure reading
 * of two samples, so the thresholds can be tested without a browser.
 *
 * The warning ("zwakke verbinding") is about what the person notices: sound and picture from the
 * other side that break up (packets lost), a delay that makes people talk over each other (round
 * trip), or a picture that stutters (frames per second). It appears after two bad seconds in a row
 * and goes after three good ones, so one lost burst does not make it blink.
 *
 * The sending side gives way: a camera's video is sent with `maintain-framerate`, so the browser's
 * encoder lowers the resolution, not the frame rate, when the bandwidth estimate drops (peer.js).
 * When the peer still reports heavy loss of what we send, that was not enough: the resolution is
 * halved at once (down to a quarter) and raised again step by step once the loss has been gone for
 * a while; each time a raise brings the loss back, the next raise waits twice as long. A line that
 * has lost our video once is not asked for the sharper camera picture either. A smaller picture
 * keeps moving where a large one would freeze.
 */
export const LIMITS = {
  /** Share of packets from the peer lost in the last second. */
  maxLoss: 0.08,
  /** Round-trip time between the two, in seconds. */
  maxRoundTrip: 0.5,
  /** Frames per second of the peer's video, when the peer sends a picture. */
  minFramesPerSecond: 8,
  poorAfter: 2,
  goodAfter: 3,
  /** Loss the peer reports of our video (per receiver report) before we lower the resolution. */
  maxSentLoss: 0.1,
  /** Loss that marks the line as one that struggled (no sharper picture asked for). */
  noticeableSentLoss: 0.03,
  /** Good seconds before the first raise; doubled (up to maxRaiseAfter) after each raise that failed. */
  raiseAfter: 10,
  maxRaiseAfter: 120,
  maxScale: 4,
  /** Estimated outgoing bandwidth (bits/s) before the camera is asked for 720p. */
  sharpenFromBitrate: 1_200_000,
  /** Connected this long before the sharper picture is asked for. */
  sharpenAfterMs: 4000,
};

/** Reads what the quality needs from an RTCStatsReport (or a Map in tests). */
export function sample(report, now = Date.now()) {
  const s = {
    at: now, packetsReceived: 0, packetsLost: 0, framesPerSecond: null, roundTrip: null,
    limitedByBandwidth: false, sentLoss: null, sentWidth: null, freezes: 0, freezeSeconds: 0,
    availableOutgoing: null, limitedBy: null,
  };
  const entries = report instanceof Map ? [...report.values()] : [];
  if (!(report instanceof Map)) {
    report.forEach((value) => entries.push(value));
  }
  for (const entry of entries) {
    if (entry.type === 'inbound-rtp') {
      s.packetsReceived += entry.packetsReceived ?? 0;
      s.packetsLost += Math.max(0, entry.packetsLost ?? 0);
      if (entry.kind === 'video') {
        s.framesPerSecond = entry.framesPerSecond ?? s.framesPerSecond ?? 0;
        s.freezes += entry.freezeCount ?? 0;
        s.freezeSeconds += entry.totalFreezesDuration ?? 0;
      }
    } else if (entry.type === 'outbound-rtp' && entry.kind === 'video') {
      s.limitedByBandwidth = entry.qualityLimitationReason === 'bandwidth';
      s.limitedBy = entry.qualityLimitationReason ?? null;
      s.sentWidth = entry.frameWidth ?? null;
    } else if (entry.type === 'remote-inbound-rtp' && entry.kind === 'video') {
      s.sentLoss = entry.fractionLost ?? null;
    }
  }
  const pair = selectedPair(entries);
  if (pair) {
    s.roundTrip = pair.currentRoundTripTime ?? null;
    s.availableOutgoing = pair.availableOutgoingBitrate ?? null;
  }
  return s;
}

/** The candidate pair the media flows over: the transport's selected one, else a nominated one. */
function selectedPair(entries) {
  const selectedId = entries.find((entry) => entry.type === 'transport' && entry.selectedCandidatePairId)
    ?.selectedCandidatePairId;
  return entries.find((entry) => entry.type === 'candidate-pair' && entry.id === selectedId)
    ?? entries.findLast((entry) => entry.type === 'candidate-pair' && entry.nominated
      && entry.state === 'succeeded' && entry.currentRoundTripTime !== undefined);
}

/** One second's verdict: which limits were crossed (empty: fine). */
export function problems(previous, current, { peerSendsVideo }) {
  const found = [];
  if (previous) {
    const received = current.packetsReceived - previous.packetsReceived;
    const lost = current.packetsLost - previous.packetsLost;
    if (received + lost > 0 && lost / (received + lost) > LIMITS.maxLoss) {
      found.push('loss');
    }
  }
  if (current.roundTrip !== null && current.roundTrip > LIMITS.maxRoundTrip) {
    found.push('delay');
  }
  if (peerSendsVideo && current.framesPerSecond !== null && current.framesPerSecond < LIMITS.minFramesPerSecond) {
    found.push('stutter');
  }
  return found;
}

/**
 * The warning's state `{poor, bad, good}` (consecutive bad and good seconds) and the sending side's:
 * `scale` (1, 2 or 4), `raise` (good seconds since the last change), `raiseAfter` (current wait),
 * `raised` (the last change was a raise) and `struggled` (the peer ever lost a noticeable share).
 */
export function initialQuality() {
  return { poor: false, bad: 0, good: 0, scale: 1, raise: 0, raiseAfter: LIMITS.raiseAfter, raised: false, struggled: false };
}

/** The next state after one second with `found` problems and what the peer says of our video. */
export function nextQuality(state, found, sent) {
  const bad = found.length > 0 ? state.bad + 1 : 0;
  const good = found.length > 0 ? 0 : state.good + 1;
  const poor = state.poor ? good < LIMITS.goodAfter : bad >= LIMITS.poorAfter;
  const loss = sent.sentLoss ?? 0;
  const struggled = state.struggled || loss > LIMITS.noticeableSentLoss;
  const next = { ...state, poor, bad, good, struggled };
  if (loss > LIMITS.maxSentLoss) {
    // A raise that brought the loss back: wait twice as long before the next one.
    const raiseAfter = state.raised ? Math.min(state.raiseAfter * 2, LIMITS.maxRaiseAfter) : state.raiseAfter;
    if (state.scale < LIMITS.maxScale) {
      return { ...next, scale: state.scale * 2, raise: 0, raiseAfter, raised: false };
    }
    return { ...next, raise: 0, raiseAfter, raised: false };
  }
  const raise = state.raise + 1;
  if (raise >= state.raiseAfter && state.scale > 1) {
    return { ...next, scale: state.scale / 2, raise: 0, raised: true };
  }
  return { ...next, raise };
}

/**
 * Whether to ask the camera for the sharper (720p) picture now: only after the call has run a
 * moment, on a line whose estimated bandwidth carries it, that is not limiting our video, and that
 * never lost our video. A bigger picture on a line without room for it means a burst of lost
 * packets and a frozen picture until the next key frame.
 */
export function maySharpen(current, quality, connectedForMs) {
  return connectedForMs >= LIMITS.sharpenAfterMs
    && !current.limitedByBandwidth
    && !quality.struggled
    // Without an estimate (not every browser gives one) the encoder's own limit is all there is.
    && (current.availableOutgoing === null || current.availableOutgoing >= LIMITS.sharpenFromBitrate);
}
