/**
 * One WebRTC connection to the peer: offer/answer, trickled ICE candidates, ICE restarts.
 *
 * Media is DTLS-SRTP between the two browsers. The only servers named here are the homeserver's
 * TURN servers (given by the host client); there is deliberately no public STUN server, so no
 * third party learns that a call happens. On one network, or when TURN is configured, that is all
 * a call needs.
 *
 * Candidates are sent in small batches rather than one room event each: a call gathers a dozen
 * candidates within milliseconds, and each event is a homeserver round trip.
 */
const CANDIDATE_BATCH_MS = 30;

export class PeerLink {
  /**
   * @param {object} options
   * @param {RTCIceServer[]} options.iceServers TURN servers from the homeserver
   * @param {boolean} options.relayOnly use TURN only, so neither side learns the other's address
   * @param {(kind: string, fields: object) => void} options.send sends a signal to the peer
   * @param {(stream: MediaStream) => void} options.onRemoteStream
   * @param {(state: string) => void} options.onStateChange 'connecting' | 'connected' |
   *     'reconnecting' | 'failed'
   */
  constructor({ iceServers, relayOnly, send, onRemoteStream, onStateChange }) {
    this.send = send;
    this.onStateChange = onStateChange;
    this.pc = new RTCPeerConnection({
      iceServers,
      iceTransportPolicy: relayOnly ? 'relay' : 'all',
      bundlePolicy: 'max-bundle',
    });
    this.pendingRemoteCandidates = [];
    this.outgoingCandidates = [];
    this.batchTimer = null;
    this.remoteStream = new MediaStream();
    this.pc.addEventListener('track', (event) => {
      this.remoteStream.addTrack(event.track);
      onRemoteStream(this.remoteStream);
    });
    this.pc.addEventListener('icecandidate', (event) => this.queueCandidate(event.candidate));
    this.pc.addEventListener('connectionstatechange', () => this.reportState());
  }

  /** Adds our audio and video senders; later track changes go through {@link replaceTrack}. */
  addLocalTracks(tracks) {
    this.senders = {};
    for (const kind of ['audio', 'video']) {
      const track = tracks[kind] ?? null;
      // A transceiver per kind even without a track, so a camera can be switched on later
      // without renegotiating.
      const transceiver = this.pc.addTransceiver(track ?? kind, {
        direction: 'sendrecv',
        streams: [new MediaStream(track ? [track] : [])],
      });
      this.senders[kind] = transceiver.sender;
    }
  }

  replaceTrack(kind, track) {
    return this.senders[kind].replaceTrack(track);
  }

  async offer({ iceRestart = false } = {}) {
    const description = await this.pc.createOffer({ iceRestart });
    await this.pc.setLocalDescription(description);
    this.send('offer', { sdp: this.pc.localDescription.sdp, iceRestart });
  }

  async handleOffer(sdp) {
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.flushRemoteCandidates();
    const answer = await this.pc.createAnswer();
    await this.pc.setLocalDescription(answer);
    this.send('answer', { sdp: this.pc.localDescription.sdp });
  }

  async handleAnswer(sdp) {
    if (this.pc.signalingState !== 'have-local-offer') {
      // A late answer to an offer we already replaced; the newer exchange wins.
      return;
    }
    await this.pc.setRemoteDescription({ type: 'answer', sdp });
    await this.flushRemoteCandidates();
  }

  async handleCandidates(candidates) {
    if (!this.pc.remoteDescription) {
      // Candidates can overtake the offer in the room; keep them until it arrives.
      this.pendingRemoteCandidates.push(...candidates);
      return;
    }
    for (const candidate of candidates) {
      await this.pc.addIceCandidate(candidate).catch(() => {
        // One unusable candidate (e.g. an address family we lack) must not stop the others.
      });
    }
  }

  async flushRemoteCandidates() {
    const waiting = this.pendingRemoteCandidates;
    this.pendingRemoteCandidates = [];
    await this.handleCandidates(waiting);
  }

  queueCandidate(candidate) {
    // null means gathering finished; the peer learns it from an empty candidate string.
    this.outgoingCandidates.push(candidate ? candidate.toJSON() : { candidate: '' });
    if (this.batchTimer === null) {
      this.batchTimer = setTimeout(() => {
        this.batchTimer = null;
        const batch = this.outgoingCandidates.splice(0);
        if (batch.length > 0) {
          this.send('candidates', { candidates: batch });
        }
      }, CANDIDATE_BATCH_MS);
    }
  }

  reportState() {
    const state = this.pc.connectionState;
    if (state === 'connected') {
      this.onStateChange('connected');
    } else if (state === 'disconnected') {
      this.onStateChange('reconnecting');
    } else if (state === 'failed') {
      this.onStateChange('failed');
    } else if (state === 'new' || state === 'connecting') {
      this.onStateChange('connecting');
    }
  }

  getStats() {
    return this.pc.getStats();
  }

  close() {
    clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.pc.close();
  }
}
