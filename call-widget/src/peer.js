import { newOfferId } from './protocol.js';

/**
 * One WebRTC connection to the peer: offer/answer, trickled ICE candidates, ICE restarts, with
 * WebRTC's "perfect negotiation" when both sides offer at once: the polite side rolls its own offer
 * back and answers, the impolite side ignores the other's offer. Offers carry an id and answers
 * name it, so an answer to an offer this connection no longer has is ignored.
 *
 * Media is DTLS-SRTP between the two browsers. The only servers named here are the homeserver's
 * TURN servers (given by the host client); there is deliberately no public STUN server, so no
 * third party learns that a call happens. On one network, or when TURN is configured, that is all
 * a call needs.
 *
 * Each signal is a homeserver round trip, so the link sends as few as it can: it waits briefly
 * for candidate gathering and puts the candidates found into the offer or answer itself, and
 * trickles only late ones, in small batches.
 */
const CANDIDATE_BATCH_MS = 30;
/**
 * Host candidates take a millisecond, a TURN allocation one round trip to the TURN server; full
 * "complete" can take much longer (TCP candidates), and late candidates still trickle.
 */
const GATHER_WAIT_MS = 120;
/** Camera bitrate ceilings (bits/s) per resolution divisor; full size is left to the browser. */
const CAMERA_BITRATE_CAP = { 2: 300_000, 4: 120_000 };

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
    // Which side gives way when both offer at once; set once the peer is known (roster.isPolite).
    this.polite = false;
    this.makingOffer = false;
    this.localOfferId = null;
    this.descriptionSent = false;
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

  /**
   * Sets the tracks to send. The offerer makes one transceiver per kind when it offers; the
   * answerer uses the transceivers the offer created, so both sides end up with exactly one audio
   * and one video line (a transceiver added before the offer would not match the offer's lines).
   */
  addLocalTracks(tracks) {
    this.tracks = { audio: tracks.audio ?? null, video: tracks.video ?? null };
    this.localStream = new MediaStream();
    this.senders = {};
  }

  async replaceTrack(kind, track) {
    this.tracks[kind] = track;
    await this.senders[kind]?.replaceTrack(track);
  }

  ensureTransceivers() {
    for (const kind of ['audio', 'video']) {
      if (!this.senders[kind]) {
        // A transceiver per kind even without a track, so a camera can be switched on later
        // without renegotiating.
        const transceiver = this.pc.addTransceiver(this.tracks[kind] ?? kind, {
          direction: 'sendrecv',
          streams: [this.localStream],
        });
        this.senders[kind] = transceiver.sender;
      }
    }
  }

  async adoptOfferedTransceivers() {
    for (const transceiver of this.pc.getTransceivers()) {
      const kind = transceiver.receiver.track.kind;
      if (!this.senders[kind]) {
        transceiver.direction = 'sendrecv';
        this.senders[kind] = transceiver.sender;
        transceiver.sender.setStreams(this.localStream);
        await transceiver.sender.replaceTrack(this.tracks[kind]);
      }
    }
  }

  /**
   * Creates and applies an offer and returns it (`{sdp, offer}`: the SDP, with the candidates
   * gathered so far, and its id) for the caller to send, in a hello or as an `offer`. Later
   * candidates trickle.
   */
  async prepareOffer({ iceRestart = false } = {}) {
    this.ensureTransceivers();
    this.descriptionSent = false;
    this.makingOffer = true;
    try {
      const description = await this.pc.createOffer({ iceRestart });
      await this.pc.setLocalDescription(description);
      this.localOfferId = newOfferId();
    } finally {
      this.makingOffer = false;
    }
    await this.gathered();
    this.descriptionSent = true;
    return { sdp: this.pc.localDescription.sdp, offer: this.localOfferId };
  }

  /** A new offer to the connected peer: an ICE restart after the connection broke. */
  async restartIce() {
    if (this.pc.signalingState !== 'stable' || this.pc.connectionState === 'closed') {
      return; // an exchange is under way; its outcome decides
    }
    const { sdp, offer } = await this.prepareOffer({ iceRestart: true });
    this.send('offer', { sdp, offer, iceRestart: true });
  }

  /** The offer this connection made and still waits an answer for, or null. */
  pendingOffer() {
    return this.pc.signalingState === 'have-local-offer'
      ? { sdp: this.pc.localDescription.sdp, offer: this.localOfferId } : null;
  }

  /** Resolves when gathering completes or after {@link GATHER_WAIT_MS}, whichever is first. */
  gathered() {
    if (this.pc.iceGatheringState === 'complete') {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pc.removeEventListener('icegatheringstatechange', check);
        resolve();
      };
      const check = () => this.pc.iceGatheringState === 'complete' && done();
      const timer = setTimeout(done, GATHER_WAIT_MS);
      this.pc.addEventListener('icegatheringstatechange', check);
    });
  }

  /** Answers the offer with id `offerId`, unless we are impolite and have an offer of our own out. */
  async handleOffer(sdp, offerId) {
    const collision = this.makingOffer || this.pc.signalingState !== 'stable';
    if (collision && !this.polite) {
      return false; // the polite side takes our offer instead
    }
    // The polite side's own offer is rolled back implicitly.
    this.descriptionSent = false;
    await this.pc.setRemoteDescription({ type: 'offer', sdp });
    await this.adoptOfferedTransceivers();
    await this.flushRemoteCandidates();
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.gathered();
    this.descriptionSent = true;
    this.send('answer', { sdp: this.pc.localDescription.sdp, offer: offerId });
    return true;
  }

  async handleAnswer(sdp, offerId) {
    if (this.pc.signalingState !== 'have-local-offer' || offerId !== this.localOfferId) {
      return; // an answer to an offer we replaced or rolled back
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
        // One unusable candidate (another address family, or one of an offer we ignored or
        // rolled back) must not stop the others.
      });
    }
  }

  async flushRemoteCandidates() {
    const waiting = this.pendingRemoteCandidates;
    this.pendingRemoteCandidates = [];
    await this.handleCandidates(waiting);
  }

  queueCandidate(candidate) {
    if (!this.descriptionSent) {
      // Still going into the offer or answer, which carries every candidate found so far.
      return;
    }
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

  get connected() {
    return this.pc.connectionState === 'connected';
  }

  /**
   * How the sent video gives way when bandwidth drops: a camera keeps its frame rate and loses
   * resolution (a frozen face is worse than a blurred one), a shared screen keeps its resolution
   * (text must stay readable) and loses frame rate. `scale` divides the resolution further (1, 2, 4)
   * and caps the camera's bitrate with it: on a line that already lost our video, the encoder and the
   * browser's bandwidth probes must not push past what the smaller picture needs, or the overflow is
   * dropped on the way and the picture stops until the next key frame.
   */
  async setVideoSending({ screen, scale }) {
    const sender = this.senders?.video;
    if (!sender || this.pc.connectionState === 'closed') {
      return;
    }
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) {
      return; // not negotiated yet
    }
    parameters.degradationPreference = screen ? 'maintain-resolution' : 'maintain-framerate';
    for (const encoding of parameters.encodings) {
      encoding.scaleResolutionDownBy = screen ? 1 : scale;
      const cap = screen ? undefined : CAMERA_BITRATE_CAP[scale];
      if (cap === undefined) {
        delete encoding.maxBitrate;
      } else {
        encoding.maxBitrate = cap;
      }
    }
    await sender.setParameters(parameters).catch(() => {});
  }

  /**
   * Makes the video encoder start over with a key frame: pausing and resuming the encoding is the
   * one way a page can ask for it (RTCRtpSender has no key frame request outside encoded transforms).
   */
  async sendKeyFrame() {
    const sender = this.senders?.video;
    if (!sender?.track || this.pc.connectionState === 'closed') {
      return;
    }
    const parameters = sender.getParameters();
    if (!parameters.encodings?.length) {
      return;
    }
    parameters.encodings.forEach((encoding) => { encoding.active = false; });
    await sender.setParameters(parameters).catch(() => {});
    // Resuming must not be lost to a concurrent setParameters (setVideoSending): check, and again.
    for (let attempt = 0; attempt < 5 && this.pc.connectionState !== 'closed'; attempt++) {
      const resumed = sender.getParameters();
      if (resumed.encodings.every((encoding) => encoding.active)) {
        return;
      }
      resumed.encodings.forEach((encoding) => { encoding.active = true; });
      await sender.setParameters(resumed).catch(() => {});
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
