import { framesDecoded, mediaPath } from './path.js';
import { PeerLink } from './peer.js';
import { newPartyId, signal } from './protocol.js';
import { decideMesh, forget, initialMesh, joinMesh, leaveMesh, partiesOf, peerList } from './mesh-roster.js';
import { PeerGrid } from './grid.js';
import { Timers, formatDuration } from './timer.js';
import {
  PAIR_TIMEOUT_MS, RESTART_AFTER_MS, RESTART_EVERY_MS, STATS_EVERY_MS, TURN_WAIT_MS,
} from './timings.js';

/**
 * A peer not connected for this long after a break seems gone (a closed laptop, a phone out of
 * reach): their tile says so and restarts become rarer (each is a room event). Someone who left
 * the room is dropped at once instead ({@link MeshController#memberGone}).
 */
const GONE_AFTER_MS = 30_000;
const RESTART_WHEN_GONE_MS = 15_000;
/** A connection younger than this is not replaced because the peer greets again. */
const FRESH_MS = 3000;

/**
 * One person's side of a group call (a family session): a connection to every other person, each
 * with its own keys (DTLS-SRTP), no media server and no recording path; the same camera,
 * microphone, screen and background go to everyone. mesh-roster.js decides who is in the call and
 * who offers to whom; each person gets a tile with their name (grid.js).
 *
 * With three others, each picture is sent three times: the camera is sent at half size so a phone's
 * uplink keeps up.
 */
export class MeshController {
  constructor({ params, signalling, media, view }) {
    this.params = params;
    this.signalling = signalling;
    this.media = media;
    this.view = view;
    this.grid = new PeerGrid(view, params.moderator ? (party) => this.askToRemove(party) : null);
    this.roster = initialMesh(null, params.userId, params.people, params.counsellor);
    /** party → {peer, link, media, connectedAt, answered} */
    this.links = new Map();
    this.queue = Promise.resolve();
    this.timers = new Timers();
    this.connectedAt = null;
    this.joinedAt = null;
    this.marks = {};
    media.onChange(() => this.mediaChanged());
  }

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
      this.grid.use(true);
      this.grid.count();
      this.view.show('call');
      this.mediaChanged();
      this.view.showStatus('waitingForOthers', {}, 'waiting');
      await this.signalling.awaitTurnServers(TURN_WAIT_MS);
      this.roster = joinMesh(this.roster, { party: newPartyId() });
      await this.send('hello', {});
      this.mark('helloSent');
      this.timers.every('stats', STATS_EVERY_MS, () => this.readStats());
    });
  }

  async handle(message) {
    const { state, effects } = decideMesh(this.roster, message);
    this.roster = state;
    for (const effect of effects) {
      await this.apply(effect);
    }
  }

  async apply(effect) {
    switch (effect.type) {
      case 'connect':
        return this.connect(effect.peer, effect.again === true);
      case 'greet':
        return this.send('hello', { to: effect.to });
      case 'answer':
        return this.answer(effect.peer, effect);
      case 'forward':
        return this.forward(effect.peer, effect.message);
      case 'drop':
        return this.drop(effect.peer, effect.reason);
      case 'reply':
        return this.send(effect.kind, { to: effect.to, reason: effect.reason });
      case 'takenOver':
        return this.end({ takenOver: true });
      case 'removed':
        // The others drop us when they hear we left; then this call ends here.
        await this.send('hangup', {}).catch(() => {});
        return this.end({ removed: true });
      case 'fullRefused':
        return this.view.notice('groupFull', { name: effect.name });
      case 'refused':
        this.stopEverything();
        return this.view.show('refused');
      default:
        throw new Error(`unknown effect ${effect.type}`);
    }
  }

  /**
   * A connection to a new peer; the offerer of the pair offers on it. `again`: the peer greeted
   * again, so a connection that does not work is replaced; `force`: replaced whatever its state.
   */
  async connect(peer, again, force = false) {
    const known = this.links.get(peer.party);
    // A peer's greeting right after we offered crossed our offer: the connection is young, keep it.
    if (known && !force && (!again || known.link.connected || Date.now() - known.createdAt < FRESH_MS)) {
      return;
    }
    known?.link.close();
    const entry = {
      peer, link: this.newLink(peer), media: { camera: true, microphone: true, screen: false }, answered: null, createdAt: Date.now(),
    };
    this.links.set(peer.party, entry);
    this.grid.add(peer.party, peer.name);
    this.mark('peer');
    this.view.showStatus('connecting', {}, 'connecting');
    this.timers.later(`pair:${peer.party}`, PAIR_TIMEOUT_MS, () => this.run(() => this.retry(peer.party)));
    if (peer.offerer) {
      const { sdp, offer } = await entry.link.prepareOffer();
      await this.send('offer', { to: peer.party, sdp, offer });
      this.mark('offerSent');
      this.sendMediaState(entry);
    }
  }

  async answer(peer, { sdp, offer, iceRestart }) {
    let entry = this.links.get(peer.party);
    // A first offer on a connection that already answered one, and never connected, is the
    // offerer starting over: answer it on a fresh connection.
    if (!entry || (!iceRestart && entry.answered !== null && entry.answered !== offer && !entry.link.connected)) {
      await this.connect({ ...peer, offerer: false }, true, true);
      entry = this.links.get(peer.party);
    }
    await entry.link.handleOffer(sdp, offer);
    entry.answered = offer;
    this.mark('answerSent');
    this.sendMediaState(entry);
  }

  /** The pair did not connect in time: the offerer offers afresh, the other asks it to. */
  async retry(party) {
    const entry = this.links.get(party);
    if (!entry || entry.link.connected || !this.roster.joined) {
      return;
    }
    if (entry.peer.offerer) {
      await this.connect(entry.peer, true, true);
    } else {
      this.timers.later(`pair:${party}`, PAIR_TIMEOUT_MS, () => this.run(() => this.retry(party)));
      await this.send('hello', { to: party });
    }
  }

  async forward(peer, message) {
    const entry = this.links.get(peer.party);
    if (!entry) {
      return undefined;
    }
    switch (message.kind) {
      case 'answer':
        this.mark('answerReceived');
        return entry.link.handleAnswer(message.sdp, message.offer);
      case 'candidates':
        return entry.link.handleCandidates(message.candidates);
      case 'media':
        entry.media = { camera: message.camera, microphone: message.microphone, screen: message.screen };
        this.grid.setMedia(peer.party, entry.media);
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * The counsellor takes someone out: the host (the counsellor page) takes them out of the room
   * first, and may refuse (the room's own client is not taken out, the session is ended instead);
   * then their widget is told and their tile goes. Asked outside the signal queue: the host's
   * answer takes a bot command's round trip.
   */
  async askToRemove(party) {
    const entry = this.links.get(party);
    if (!entry) {
      return;
    }
    let allowed = true;
    try {
      const host = window.parent?.praatbrugRemoved;
      if (host) {
        allowed = (await host(entry.peer.user, entry.peer.name)) !== false;
      }
    } catch {
      // a host on another origin (Element): the counsellor removes them with !gesprek verwijder
    }
    if (!allowed) {
      this.view.notice('removeRefused', { name: entry.peer.name });
      return;
    }
    await this.run(() => this.remove(party));
  }

  async remove(party) {
    const entry = this.links.get(party);
    if (!entry) {
      return;
    }
    await this.send('hangup', { to: party, reason: 'removed' }).catch(() => {});
    this.roster = forget(this.roster, party);
    this.drop(entry.peer, 'removed');
  }

  /** `userId` is no longer in the room (removed, withdrew, left): every connection to them ends. */
  memberGone(userId) {
    this.run(() => {
      for (const party of partiesOf(this.roster, userId)) {
        const entry = this.links.get(party);
        this.roster = forget(this.roster, party);
        if (entry) {
          this.drop(entry.peer, 'left');
        }
      }
    }).catch(() => {});
  }

  /** Someone left (or went on on another device): their tile goes, the call goes on. */
  drop(peer, reason) {
    const entry = this.links.get(peer.party);
    this.timers.cancel(`pair:${peer.party}`, `restart:${peer.party}`, `gone:${peer.party}`);
    entry?.link.close();
    this.links.delete(peer.party);
    this.grid.remove(peer.party);
    if (reason === 'left') {
      this.view.notice('peerLeft', { name: peer.name });
    }
    this.sendVideoPreference();
    this.showOverallStatus();
  }

  newLink(peer) {
    const link = new PeerLink({
      iceServers: this.signalling.iceServers(),
      relayOnly: this.params.relayOnly,
      send: (kind, fields) => this.send(kind, { to: peer.party, ...fields }),
      onRemoteStream: (stream) => this.remoteStream(peer.party, stream),
      onStateChange: (state) => this.linkState(peer.party, link, state),
    });
    // The answerer gives way when both offer at once (an ICE restart from each side).
    link.polite = !peer.offerer;
    link.addLocalTracks({ audio: this.media.microphone, video: this.media.outgoingVideo() });
    return link;
  }

  remoteStream(party, stream) {
    this.grid.setStream(party, stream);
    const video = this.grid.video(party);
    if (video?.requestVideoFrameCallback) {
      video.requestVideoFrameCallback(() => this.mark(`firstFrame:${party}`));
    }
  }

  linkState(party, link, state) {
    const entry = this.links.get(party);
    if (!entry || entry.link !== link) {
      return;
    }
    this.grid.setState(party, state);
    if (state === 'connected') {
      this.timers.cancel(`pair:${party}`, `restart:${party}`, `gone:${party}`);
      entry.gone = false;
      if (entry.connectedAt) {
        link.sendKeyFrame();
      }
      entry.connectedAt ??= Date.now();
      this.connectedAt ??= Date.now();
      this.timers.every('clock', 1000, () => this.view.showTimer(formatDuration(Date.now() - this.connectedAt)));
      this.sendVideoPreference();
      this.showOverallStatus();
      return;
    }
    if (state === 'connecting') {
      return;
    }
    // A break with this one person: ICE restarts, the impolite side first.
    if (!this.timers.pending(`gone:${party}`)) {
      this.timers.later(`gone:${party}`, GONE_AFTER_MS, () => this.seemsGone(party, link));
    }
    if (!this.timers.pending(`restart:${party}`)) {
      const delay = link.polite ? RESTART_AFTER_MS.polite : RESTART_AFTER_MS.impolite;
      this.timers.later(`restart:${party}`, state === 'failed' ? delay / 2 : delay, () => this.restartIce(party));
    }
    this.showOverallStatus();
  }

  seemsGone(party, link) {
    const entry = this.links.get(party);
    if (entry && entry.link === link && !link.connected) {
      entry.gone = true;
      this.grid.setState(party, 'gone');
    }
  }

  restartIce(party) {
    const entry = this.links.get(party);
    if (!entry || entry.link.connected) {
      return;
    }
    this.run(() => entry.link.restartIce());
    this.timers.later(`restart:${party}`, entry.gone ? RESTART_WHEN_GONE_MS : RESTART_EVERY_MS,
      () => this.restartIce(party));
  }

  /** One line for the whole call: waiting for others, connecting, or in the call. */
  showOverallStatus() {
    const entries = [...this.links.values()];
    if (entries.length === 0) {
      this.view.showStatus('waitingForOthers', {}, 'waiting');
    } else if (entries.every((entry) => entry.link.connected)) {
      this.view.showStatus('connected', {}, 'connected');
    } else {
      this.view.showStatus(this.connectedAt ? 'reconnecting' : 'connecting', {}, 'connecting');
    }
  }

  keepWaiting() {
    this.view.showGone(false);
  }

  async readStats() {
    const peers = [];
    for (const [party, entry] of this.links) {
      const report = await entry.link.getStats();
      const frames = framesDecoded(report);
      this.grid.setFramesDecoded(party, frames);
      peers.push({ party, name: entry.peer.name, framesDecoded: frames, path: mediaPath(report).path });
    }
    const info = this.view.$('connection-info');
    info.dataset.marks = JSON.stringify(this.marks);
    info.dataset.joinedAt = String(this.joinedAt);
    info.dataset.peers = JSON.stringify(peers);
    info.dataset.framesDecoded = String(Math.min(...peers.map((peer) => peer.framesDecoded), peers.length ? Infinity : 0));
    info.textContent = peers.map((peer) => `${peer.name}: ${this.view.t({ direct: 'pathDirect', relayed: 'pathRelayed' }[peer.path] ?? 'pathUnknown')}`).join(' · ');
  }

  /** With more than one other person, the camera goes at half size to each. */
  sendVideoPreference() {
    const scale = this.links.size >= 2 ? 2 : 1;
    for (const entry of this.links.values()) {
      entry.link.setVideoSending({ screen: this.media.screen !== null, scale }).catch(() => {});
    }
  }

  sendMediaState(entry) {
    this.send('media', { to: entry.peer.party, ...this.media.state() }).catch(() => {});
  }

  mediaChanged() {
    this.view.setLocalStream(new MediaStream([this.media.outgoingVideo()].filter(Boolean)),
      this.media.state().camera || this.media.state().screen);
    this.view.renderControls(this.media.state());
    for (const entry of this.links.values()) {
      entry.link.replaceTrack('video', this.media.outgoingVideo());
      entry.link.replaceTrack('audio', this.media.microphone);
      this.sendMediaState(entry);
    }
    this.sendVideoPreference();
  }

  hangUp() {
    return this.run(async () => {
      if (this.roster.joined) {
        // To everyone: each closes their connection to us, the call goes on without us.
        await this.send('hangup', {}).catch(() => {});
      }
      this.end({});
    });
  }

  end({ takenOver = false, removed = false }) {
    const duration = this.connectedAt ? Date.now() - this.connectedAt : 0;
    this.stopEverything();
    this.view.onLanguageChange = () => {
      this.view.$('ended-text').textContent = this.view.t(takenOver ? 'takenOver' : removed ? 'removedFromCall' : 'ended');
      this.view.$('ended-duration').textContent = this.view.t('duration', { time: formatDuration(duration) });
    };
    this.view.onLanguageChange();
    this.view.show('ended');
  }

  stopEverything() {
    this.disconnect();
    this.roster = leaveMesh(this.roster);
    this.media.close();
    this.onStop?.();
    this.view.showTimer(null);
    this.view.hidePath();
    this.view.showStatus('ended', {}, 'ended');
    this.view.clearConnectionInfo();
  }

  pageGone() {
    for (const entry of this.links.values()) {
      entry.link.close();
    }
    this.links.clear();
  }

  disconnect() {
    this.timers.clear();
    this.pageGone();
    this.grid.clear();
    this.connectedAt = null;
  }

  /** The peers in the call now (for tests and the host). */
  peers() {
    return peerList(this.roster);
  }

  mark(step) {
    this.marks[step] ??= Date.now();
  }

  send(kind, fields) {
    const content = signal(kind, this.roster.self.party, { name: this.params.displayName, ...fields });
    return this.signalling.send(content);
  }
}
