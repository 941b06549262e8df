import { SilentLink, bytesReceived, framesDecoded, mediaPath } from './path.js';
import { PeerLink } from './peer.js';
import { newPartyId, signal } from './protocol.js';
import { initialQuality, maySharpen, nextQuality, problems, sample } from './quality.js';
import { decide, initialRoster, isPolite, join, leave, restart } from './roster.js';
import { Timers, formatDuration } from './timer.js';
import {
  PAIR_TIMEOUT_MS, RESTART_AFTER_MS, RESTART_EVERY_MS, STATS_EVERY_MS, TURN_WAIT_MS,
} from './timings.js';

/** Not connected for this long after a break: the other side seems gone; ask to wait or hang up. */
const GONE_AFTER_MS = 15_000;
/** While the other side seems gone, restarts are rarer (each is a room event). */
const RESTART_WHEN_GONE_MS = 15_000;

/**
 * One person's side of the call, from "Join" to hang-up: the roster decides who the peer is and
 * who answers whom, a {@link PeerLink} carries the media, and the view shows the state.
 *
 * Everything that touches the connection (joining, each signal, an ICE restart) runs one at a time
 * in `queue`, in arrival order: joining waits for TURN credentials and an offer may arrive
 * meanwhile; a restart must not interleave with an answer.
 */
export class CallController {
  constructor({ params, signalling, media, view }) {
    this.params = params;
    this.signalling = signalling;
    this.media = media;
    this.view = view;
    this.roster = initialRoster(null, params.userId);
    this.link = null;
    this.peerMedia = { camera: true, microphone: true, screen: false };
    this.queue = Promise.resolve();
    this.connectedAt = null;
    this.firstFrameAt = null;
    this.joinedAt = null;
    this.peerSeenAt = null;
    this.unsent = [];
    this.quality = initialQuality();
    this.lastSample = null;
    this.sharpened = false;
    this.silence = new SilentLink();
    // Set while the link is silent though ICE still says connected (see SilentLink).
    this.stalled = false;
    // Wall-clock times of the setup steps, shown in the connection details (and read by the
    // benchmark) to see where setup time goes.
    this.marks = {};
    this.timers = new Timers();
    media.onChange(() => this.mediaChanged());
  }

  /** Runs `task` after everything queued before it; its failure is returned, not thrown at others. */
  run(task) {
    const result = this.queue.then(task);
    this.queue = result.catch((error) => console.warn('call step failed', error));
    return result;
  }

  onSignal(message) {
    this.run(() => this.handle(message)).catch(() => {});
  }

  join() {
    return this.run(async () => {
      this.joinedAt = Date.now();
      this.marks = { join: this.joinedAt };
      await this.media.open();
      this.mark('media');
      this.view.show('call');
      this.mediaChanged();
      this.view.showStatus('waitingForOther', {}, 'waiting');
      // Our offer rides in the hello, so whoever is here can answer straight away.
      this.link = this.newLink(await this.signalling.awaitTurnServers(TURN_WAIT_MS));
      const { sdp, offer } = await this.link.prepareOffer();
      this.mark('offerReady');
      // A new party for each join: nothing addressed to an earlier one reaches this call.
      this.roster = join(this.roster, { party: newPartyId(), offer });
      await this.send('hello', { sdp, offer });
      this.mark('helloSent');
    });
  }

  async handle(message) {
    const { state, effects } = decide(this.roster, message);
    this.roster = state;
    for (const effect of effects) {
      await this.apply(effect);
    }
  }

  async apply(effect) {
    switch (effect.type) {
      case 'pair':
        return this.paired(effect.peer, effect.role);
      case 'answer':
        this.mark('offerReceived');
        await this.link.handleOffer(effect.sdp, effect.offer);
        this.mark('answerSent');
        // After the answer: the homeserver stores a room's events one after the other, so
        // anything sent first would delay the answer.
        return this.sendMediaState();
      case 'sendOffer': {
        const pending = this.link?.pendingOffer();
        return pending ? this.send('offer', { to: effect.to, ...pending }) : undefined;
      }
      case 'reply':
        return this.send(effect.kind, { to: effect.to, reason: effect.reason });
      case 'forward':
        return this.forward(effect.message);
      case 'peerLeft':
        return this.end({ byOther: effect.peer.name });
      case 'takenOver':
        return this.end({ takenOver: true });
      case 'thirdRefused':
        return this.view.notice('thirdRefused', { name: effect.name });
      case 'refused':
        this.stopEverything();
        return this.view.show('refused');
      default:
        throw new Error(`unknown effect ${effect.type}`);
    }
  }

  newLink(iceServers) {
    const link = new PeerLink({
      iceServers,
      relayOnly: this.params.relayOnly,
      send: (kind, fields) => this.sendToPeer(kind, fields),
      onRemoteStream: (stream) => this.remoteStream(stream),
      onStateChange: (state) => link === this.link && this.linkState(state),
    });
    link.addLocalTracks({ audio: this.media.microphone, video: this.media.outgoingVideo() });
    return link;
  }

  replaceLink(link) {
    this.disconnect();
    this.link = link;
  }

  /** Candidates found before anyone answered our hello wait here until we know who to send them to. */
  sendToPeer(kind, fields) {
    if (!this.roster.peer) {
      this.unsent.push([kind, fields]);
      return Promise.resolve();
    }
    return this.send(kind, { to: this.roster.peer.party, ...fields });
  }

  sendMediaState() {
    if (this.roster.peer) {
      this.send('media', { to: this.roster.peer.party, ...this.media.state() }).catch(() => {});
    }
  }

  /**
   * The peer is known. As the answerer, a fresh connection answers (our own unanswered offer, or
   * the connection to the peer's earlier party, goes); as the offerer, ours stays.
   */
  paired(peer, role) {
    if (role === 'answerer') {
      this.replaceLink(this.newLink(this.signalling.iceServers()));
    }
    this.peerSeenAt = Date.now();
    this.mark('peer');
    this.link.polite = isPolite(this.roster.self.party, peer.party);
    this.view.setRemote(peer.name, this.peerMedia);
    this.view.showStatus('connecting', {}, 'connecting');
    if (role === 'offerer') {
      // Our connection stays; what it found before the peer was known goes to the peer now.
      for (const [kind, fields] of this.unsent.splice(0)) {
        this.sendToPeer(kind, fields).catch(() => {});
      }
      this.sendMediaState();
    }
    this.timers.every('stats', STATS_EVERY_MS, () => this.readStats());
    this.watchPairing();
  }

  watchPairing() {
    this.timers.later('pairing', PAIR_TIMEOUT_MS, () => this.run(() => this.startOver()));
  }

  /** The pairing did not connect: forget the peer and say hello again with a fresh offer. */
  async startOver() {
    if (!this.roster.joined || this.link?.connected) {
      return;
    }
    this.replaceLink(this.newLink(this.signalling.iceServers()));
    const { sdp, offer } = await this.link.prepareOffer();
    this.roster = restart(this.roster, offer);
    this.view.showStatus('waitingForOther', {}, 'waiting');
    await this.send('hello', { sdp, offer });
  }

  async forward(message) {
    if (!this.link) {
      return undefined;
    }
    switch (message.kind) {
      case 'offer':
        return this.link.handleOffer(message.sdp, message.offer);
      case 'answer':
        this.mark('answerReceived');
        return this.link.handleAnswer(message.sdp, message.offer);
      case 'candidates':
        return this.link.handleCandidates(message.candidates);
      case 'media':
        this.peerMedia = { camera: message.camera, microphone: message.microphone, screen: message.screen };
        this.view.setRemote(this.roster.peer.name, this.peerMedia);
        return undefined;
      default:
        return undefined;
    }
  }

  remoteStream(stream) {
    this.view.setRemoteStream(stream);
    const video = this.view.$('remote-video');
    if (this.firstFrameAt === null && video.requestVideoFrameCallback) {
      video.requestVideoFrameCallback(() => {
        this.firstFrameAt ??= Date.now();
        this.mark('firstFrame');
      });
    }
  }

  linkState(state) {
    if (state === 'connected') {
      this.stalled = false;
      this.silence.restart(Date.now());
      this.timers.cancel('pairing', 'restart', 'gone');
      this.view.showGone(false);
      this.mark('connected');
      if (this.connectedAt !== null) {
        // Back after a break: the other side's decoder lost its reference frames and would only
        // ask for a new key frame seconds later; send one now.
        this.link.sendKeyFrame();
      }
      this.connectedAt ??= Date.now();
      this.view.showStatus('connected', {}, 'connected');
      this.timers.every('clock', 1000, () => this.view.showTimer(formatDuration(Date.now() - this.connectedAt)));
      this.sendVideoPreference();
      return;
    }
    if (state === 'connecting') {
      this.view.showStatus(this.connectedAt ? 'reconnecting' : 'connecting', {}, 'connecting');
      return;
    }
    // A break: say so, restart ICE (either side may; a collision resolves like any other), and
    // after a while tell this person the other side seems gone.
    this.view.showStatus(state === 'failed' ? 'disconnected' : 'reconnecting', {}, state);
    if (!this.timers.pending('restart')) {
      const delay = this.link.polite ? RESTART_AFTER_MS.polite : RESTART_AFTER_MS.impolite;
      this.timers.later('restart', state === 'failed' ? delay / 2 : delay, () => this.restartIce());
    }
    if (!this.timers.pending('gone')) {
      this.timers.later('gone', GONE_AFTER_MS, () => this.view.showGone(true));
    }
  }

  restartIce() {
    if (!this.link || (this.link.connected && !this.stalled)) {
      return;
    }
    this.run(() => this.link?.restartIce());
    const gone = this.view.goneShown;
    this.timers.later('restart', gone ? RESTART_WHEN_GONE_MS : RESTART_EVERY_MS, () => this.restartIce());
  }

  /** "Keep waiting": hide the question; restarts go on, and a returning peer is answered. */
  keepWaiting() {
    this.view.showGone(false);
  }

  async readStats() {
    if (!this.link) {
      return;
    }
    const link = this.link;
    const report = await link.getStats();
    this.watchSilence(link, report);
    const { path } = mediaPath(report);
    if (path !== 'unknown') {
      this.view.showPath(path);
    }
    const current = sample(report);
    this.assessQuality(current);
    const started = Math.max(this.joinedAt, this.peerSeenAt ?? 0);
    this.view.showConnectionInfo({
      path,
      framesDecoded: framesDecoded(report),
      setupMs: this.firstFrameAt === null ? null : Math.max(0, this.firstFrameAt - started),
      joinedAt: this.joinedAt,
      firstFrameAt: this.firstFrameAt,
      marks: this.marks,
      quality: this.quality,
      sharpened: this.sharpened,
      sent: current,
    });
  }

  /** A silent link is a break before the browser says so; bytes flowing again end it. */
  watchSilence(link, report) {
    if (link !== this.link || !link.connected) {
      return;
    }
    const silent = this.silence.silent(bytesReceived(report), Date.now());
    if (silent && !this.stalled) {
      this.stalled = true;
      this.linkState('reconnecting');
    } else if (!silent && this.stalled) {
      this.linkState('connected');
    }
  }

  assessQuality(current) {
    if (!this.link?.connected) {
      this.lastSample = null;
      return;
    }
    const found = problems(this.lastSample, current, { peerSendsVideo: this.peerMedia.camera || this.peerMedia.screen });
    const { scale } = this.quality;
    this.quality = nextQuality(this.quality, found, current);
    this.lastSample = current;
    this.view.showQuality(this.quality.poor);
    if (this.quality.scale !== scale) {
      this.sendVideoPreference();
    }
    // Once the call runs and bandwidth has grown, ask the camera for a sharper picture.
    if (!this.sharpened && maySharpen(current, this.quality, Date.now() - this.connectedAt)) {
      this.sharpened = true;
      this.media.sharpen();
    }
  }

  sendVideoPreference() {
    this.link?.setVideoSending({ screen: this.media.screen !== null, scale: this.quality.scale });
  }

  mediaChanged() {
    this.view.setLocalStream(new MediaStream([this.media.outgoingVideo()].filter(Boolean)),
      this.media.state().camera || this.media.state().screen);
    this.view.renderControls(this.media.state());
    if (this.link) {
      this.link.replaceTrack('video', this.media.outgoingVideo());
      this.link.replaceTrack('audio', this.media.microphone);
      this.sendVideoPreference();
    }
    if (this.link && this.roster.peer) {
      this.sendMediaState();
    }
  }

  /** In the queue: pressed while the join is still under way, it ends the call that join starts. */
  hangUp() {
    return this.run(async () => {
      if (this.roster.joined) {
        // Without a peer, to everyone: someone may be answering our hello right now.
        const to = this.roster.peer?.party;
        await this.send('hangup', to ? { to } : {}).catch(() => {});
      }
      this.end({});
    });
  }

  end({ byOther, takenOver = false }) {
    const duration = this.connectedAt ? Date.now() - this.connectedAt : 0;
    this.stopEverything();
    // Rendered again when the language is switched on the end screen.
    this.view.onLanguageChange = () => {
      const text = takenOver ? this.view.t('takenOver')
        : byOther ? this.view.t('endedByOther', { name: byOther }) : this.view.t('ended');
      this.view.$('ended-text').textContent = text;
      this.view.$('ended-duration').textContent = this.view.t('duration', { time: formatDuration(duration) });
    };
    this.view.onLanguageChange();
    this.view.show('ended');
  }

  stopEverything() {
    this.disconnect();
    this.roster = leave(this.roster);
    this.media.close();
    this.onStop?.();
    this.view.showTimer(null);
    this.view.hidePath();
    this.view.showStatus('ended', {}, 'ended');
    this.view.clearConnectionInfo();
  }

  /** The page is being unloaded: release the connection (and its relay) without a hang-up. */
  pageGone() {
    this.link?.close();
    this.link = null;
  }

  disconnect() {
    this.timers.clear();
    this.view.showGone(false);
    this.view.showQuality(false);
    this.link?.close();
    this.link = null;
    this.unsent = [];
    this.connectedAt = null;
    this.firstFrameAt = null;
    this.quality = initialQuality();
    this.lastSample = null;
    this.sharpened = false;
    this.silence = new SilentLink();
    this.stalled = false;
    this.peerMedia = { camera: true, microphone: true, screen: false };
    this.view.clearRemote();
  }

  mark(step) {
    this.marks[step] ??= Date.now();
  }

  send(kind, fields) {
    const content = signal(kind, this.roster.self.party, { name: this.params.displayName, ...fields });
    return this.signalling.send(content);
  }
}
