import { framesDecoded, mediaPath } from './path.js';
import { PeerLink } from './peer.js';
import { signal } from './protocol.js';
import { decide, initialRoster, join, leave, listen } from './roster.js';
import { formatDuration } from './timer.js';

const STATS_EVERY_MS = 1000;
/** How long to wait for the first TURN credentials before calling without them. */
const TURN_WAIT_MS = 1500;
/** After this long without a connection the offerer restarts ICE (new candidates, maybe TURN). */
const RESTART_AFTER_MS = 4000;
/** Bandwidth estimation needs a few seconds to grow enough for 720p. */
const SHARPEN_AFTER_MS = 4000;
/** Our own hello normally comes back within a second; a host that never echoes gets this long. */
const ECHO_WAIT_MS = 3000;

/**
 * One person's side of the call, from "Join" to hang-up: the roster decides who the peer is, a
 * {@link PeerLink} carries the media, and the view shows the state.
 *
 * Signals are handled one at a time, in room order (`queue`), because starting a connection waits
 * for TURN credentials and an offer may arrive meanwhile.
 */
export class CallController {
  constructor({ params, signalling, media, view }) {
    this.params = params;
    this.signalling = signalling;
    this.media = media;
    this.view = view;
    this.roster = initialRoster(params.party, params.userId);
    this.link = null;
    this.peerMedia = { camera: true, microphone: true, screen: false };
    this.queue = Promise.resolve();
    this.connectedAt = null;
    this.firstFrameAt = null;
    this.joinedAt = null;
    this.peerSeenAt = null;
    this.unsent = [];
    // Wall-clock times of the setup steps, shown in the connection details (and read by the
    // benchmark) to see where setup time goes.
    this.marks = {};
    this.timers = [];
    media.onChange(() => this.mediaChanged());
  }

  onSignal(message) {
    this.queue = this.queue.then(() => this.handle(message)).catch((error) => {
      console.warn('call signal failed', error);
    });
  }

  async join() {
    this.joinedAt = Date.now();
    this.marks = { join: this.joinedAt };
    await this.media.open();
    this.mark('media');
    this.roster = join(this.roster);
    this.view.show('call');
    this.mediaChanged();
    this.view.showStatus('waitingForOther', {}, 'waiting');
    // Our offer rides in the hello, so whoever is here can answer straight away.
    this.link = this.newLink(await this.signalling.awaitTurnServers(TURN_WAIT_MS));
    const sdp = await this.link.prepareOffer();
    this.mark('offerReady');
    await this.send('hello', { sdp });
    this.mark('helloSent');
    clearTimeout(this.echoTimer);
    this.echoTimer = setTimeout(() => { this.roster = listen(this.roster); }, ECHO_WAIT_MS);
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
      case 'reply':
        return this.send(effect.kind, { to: effect.to, reason: effect.reason });
      case 'answerPeer':
        // Our own unanswered offer (or the connection to the peer's old session) goes.
        this.disconnect();
        this.link = this.newLink(this.signalling.iceServers());
        this.paired(effect.peer, false);
        this.mark('offerReceived');
        await this.link.handleOffer(effect.sdp);
        this.mark('answerSent');
        // After the answer: the homeserver stores a room's events one after the other, so
        // anything sent first would delay the answer.
        return this.sendMediaState();
      case 'peerAnswered':
        this.paired(effect.peer, true);
        return this.sendMediaState();
      case 'peerLeft':
        return this.end({ byOther: effect.peer.name });
      case 'thirdRefused':
        return this.view.notice('thirdRefused', { name: effect.name });
      case 'refused':
        this.stopEverything();
        return this.view.show('refused');
      case 'forward':
        return this.forward(effect.message);
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
      onStateChange: (state) => this.linkState(state),
    });
    link.addLocalTracks({ audio: this.media.microphone, video: this.media.outgoingVideo() });
    return link;
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
    this.send('media', { to: this.roster.peer.party, ...this.media.state() }).catch(() => {});
  }

  paired(peer, offerer) {
    this.peerSeenAt = Date.now();
    this.mark('peer');
    this.offerer = offerer;
    this.link.polite = this.roster.self.party > peer.party;
    this.view.setRemote(peer.name, this.peerMedia);
    this.view.showStatus('connecting', {}, 'connecting');
    for (const [kind, fields] of this.unsent.splice(0)) {
      this.sendToPeer(kind, fields).catch(() => {});
    }
    this.every(STATS_EVERY_MS, () => this.readStats());
  }

  async forward(message) {
    if (!this.link) {
      return;
    }
    switch (message.kind) {
      case 'offer':
        return this.link.handleOffer(message.sdp);
      case 'answer':
        this.mark('answerReceived');
        return this.link.handleAnswer(message.sdp);
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
    clearTimeout(this.restartTimer);
    if (state === 'connected') {
      this.mark('connected');
      if (this.connectedAt === null) {
        this.sharpenTimer = setTimeout(() => this.media.sharpen(), SHARPEN_AFTER_MS);
      }
      this.connectedAt ??= Date.now();
      this.view.showStatus('connected', {}, 'connected');
      this.every(1000, () => this.view.showTimer(formatDuration(Date.now() - this.connectedAt)), 'timer');
      return;
    }
    if (state === 'connecting') {
      this.view.showStatus(this.connectedAt ? 'reconnecting' : 'connecting', {}, 'connecting');
      return;
    }
    this.view.showStatus(state === 'failed' ? 'disconnected' : 'reconnecting', {}, state);
    // The offerer restarts ICE; the other side answers the new offer.
    if (this.offerer) {
      const delay = state === 'failed' ? 0 : RESTART_AFTER_MS;
      this.restartTimer = setTimeout(() => this.link?.offer({ iceRestart: true }), delay);
    }
  }

  async readStats() {
    if (!this.link) {
      return;
    }
    const report = await this.link.getStats();
    const { path } = mediaPath(report);
    if (path !== 'unknown') {
      this.view.showPath(path);
    }
    const started = Math.max(this.joinedAt, this.peerSeenAt ?? 0);
    this.view.showConnectionInfo({
      path,
      framesDecoded: framesDecoded(report),
      setupMs: this.firstFrameAt === null ? null : Math.max(0, this.firstFrameAt - started),
      joinedAt: this.joinedAt,
      firstFrameAt: this.firstFrameAt,
      marks: this.marks,
    });
  }

  mediaChanged() {
    this.view.setLocalStream(new MediaStream([this.media.outgoingVideo()].filter(Boolean)),
      this.media.state().camera || this.media.state().screen);
    this.view.renderControls(this.media.state());
    if (this.link) {
      this.link.replaceTrack('video', this.media.outgoingVideo());
      this.link.replaceTrack('audio', this.media.microphone);
    }
    if (this.link && this.roster.peer) {
      this.sendMediaState();
    }
  }

  async hangUp() {
    if (this.roster.peer) {
      await this.send('hangup', { to: this.roster.peer.party }).catch(() => {});
    }
    this.end({});
  }

  end({ byOther }) {
    const duration = this.connectedAt ? Date.now() - this.connectedAt : 0;
    this.stopEverything();
    // Rendered again when the language is switched on the end screen.
    this.view.onLanguageChange = () => {
      this.view.$('ended-text').textContent = byOther
        ? this.view.t('endedByOther', { name: byOther }) : this.view.t('ended');
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
  }

  disconnect() {
    for (const timer of this.timers) {
      clearInterval(timer.id);
    }
    this.timers = [];
    clearTimeout(this.restartTimer);
    clearTimeout(this.sharpenTimer);
    this.link?.close();
    this.link = null;
    this.unsent = [];
    this.connectedAt = null;
    this.firstFrameAt = null;
    this.peerMedia = { camera: true, microphone: true, screen: false };
    this.view.clearRemote();
  }

  mark(step) {
    this.marks[step] ??= Date.now();
  }

  every(ms, task, name = 'stats') {
    if (this.timers.some((timer) => timer.name === name)) {
      return;
    }
    this.timers.push({ name, id: setInterval(task, ms) });
  }

  send(kind, fields) {
    const content = signal(kind, this.roster.self.party, { name: this.params.displayName, ...fields });
    return this.signalling.send(content);
  }
}
