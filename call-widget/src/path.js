/**
 * Reads the media path and the receive counters from an RTCPeerConnection's getStats() report.
 *
 * The path is "direct" when both ends of the selected candidate pair are host, server-reflexive or
 * peer-reflexive candidates, and "relayed" when either end is a TURN relay. A relay only forwards
 * DTLS-SRTP packets it cannot decrypt, but it does see that two addresses talk, so the UI says
 * which one it is.
 */

/** @returns {{path: 'direct'|'relayed'|'unknown', local?: string, remote?: string}} */
export function mediaPath(report) {
  const stats = toMap(report);
  const pair = selectedPair(stats);
  if (!pair) {
    return { path: 'unknown' };
  }
  const local = stats.get(pair.localCandidateId);
  const remote = stats.get(pair.remoteCandidateId);
  if (!local || !remote) {
    return { path: 'unknown' };
  }
  const relayed = local.candidateType === 'relay' || remote.candidateType === 'relay';
  return { path: relayed ? 'relayed' : 'direct', local: local.candidateType, remote: remote.candidateType };
}

/** Video frames decoded so far from the other side (0 before any arrived). */
export function framesDecoded(report) {
  let total = 0;
  for (const entry of toMap(report).values()) {
    if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
      total += entry.framesDecoded ?? 0;
    }
  }
  return total;
}

/** Bytes this connection has received on its transports (media, RTCP and ICE checks alike). */
export function bytesReceived(report) {
  let total = 0;
  for (const entry of toMap(report).values()) {
    if (entry.type === 'transport') {
      total += entry.bytesReceived ?? 0;
    }
  }
  return total;
}

/**
 * Notices a link that went silent while ICE still calls it connected. A broken relay or a dropped
 * route is only reported by the browser after its consent checks fail (5 to 6 s in Chromium); a
 * connected call receives audio packets every 20 ms (a muted microphone sends silence) and RTCP at
 * least every second, so nothing at all for {@link SilentLink.BREAK_MS} means the path is gone.
 * Only a link that has received something is judged, and a fresh connection starts over.
 */
export class SilentLink {
  static BREAK_MS = 2000;

  constructor() {
    this.bytes = -1;
    this.since = 0;
  }

  /** Feeds one sample; true while the link has received nothing for BREAK_MS or longer. */
  silent(bytes, now) {
    if (bytes !== this.bytes) {
      this.bytes = bytes;
      this.since = now;
      return false;
    }
    return bytes > 0 && now - this.since >= SilentLink.BREAK_MS;
  }

  /** The link (re)connected: silence is counted from now. */
  restart(now) {
    this.since = now;
  }
}

function selectedPair(stats) {
  // The transport names the selected pair; older engines only flag it on the pair itself.
  for (const entry of stats.values()) {
    if (entry.type === 'transport' && entry.selectedCandidatePairId) {
      const pair = stats.get(entry.selectedCandidatePairId);
      if (pair) {
        return pair;
      }
    }
  }
  for (const entry of stats.values()) {
    if (entry.type === 'candidate-pair' && (entry.selected || entry.nominated) && entry.state === 'succeeded') {
      return entry;
    }
  }
  return null;
}

function toMap(report) {
  if (report instanceof Map) {
    return report;
  }
  // RTCStatsReport is map-like but not a Map.
  const map = new Map();
  report.forEach((value, key) => map.set(key, value));
  return map;
}
