import { applyTranslations } from '../../web-common/i18n.js';
import { otherLanguage, translate } from './i18n.js';

/**
 * The widget's screen: fills the static markup of index.html, switches screens and language, and
 * shows what the call controller tells it. It holds no call logic.
 *
 * Text from other people (names) is always set with textContent, never as HTML.
 */
export class CallView {
  constructor(document, language) {
    this.doc = document;
    this.language = language;
    this.status = { key: 'waitingForOther', values: {} };
    this.$ = (id) => document.getElementById(id);
    this.$('language').addEventListener('click', () => this.setLanguage(otherLanguage(this.language)));
    this.applyLanguage();
  }

  t(key, values) {
    return translate(this.language, key, values);
  }

  setLanguage(language) {
    this.language = language;
    this.applyLanguage();
  }

  applyLanguage() {
    this.doc.documentElement.lang = this.language;
    applyTranslations(this.doc, translate, this.language);
    this.showStatus(this.status.key, this.status.values);
    this.renderControls(this.controls ?? { camera: true, microphone: true, screen: false });
    // On phones the labels are hidden; screen readers still need the words.
    for (const button of this.doc.querySelectorAll('.control')) {
      button.setAttribute('aria-label', button.querySelector('.label').textContent);
    }
    this.renderNotices();
    if (this.$('quality')) {
      this.$('quality').textContent = this.t('poorConnection');
      this.$('quality').title = this.t('poorConnectionHint');
    }
    this.onLanguageChange?.();
  }

  show(screen) {
    for (const section of this.doc.querySelectorAll('main > .screen')) {
      section.hidden = section.id !== `screen-${screen}`;
    }
    this.doc.body.dataset.screen = screen;
  }

  /** @param {string} key an i18n key; `state` is a stable word for tests and styling */
  showStatus(key, values = {}, state = this.status.state) {
    this.status = { key, values, state };
    const element = this.$('status');
    element.textContent = this.t(key, values);
    element.dataset.state = state ?? 'waiting';
    element.hidden = state === 'connected';
  }

  showPath(path) {
    const badge = this.$('path');
    badge.hidden = false;
    badge.dataset.path = path;
    const key = { direct: 'pathDirect', relayed: 'pathRelayed' }[path] ?? 'pathUnknown';
    badge.textContent = this.t(key);
  }

  hidePath() {
    this.$('path').hidden = true;
  }

  /** "Weak connection" in the bar while the call suffers; the hint says what the person can do. */
  showQuality(poor) {
    const badge = this.$('quality');
    badge.hidden = !poor;
    badge.dataset.quality = poor ? 'poor' : 'good';
    badge.textContent = this.t('poorConnection');
    badge.title = this.t('poorConnectionHint');
  }

  /** The question when the other side seems gone: keep waiting, or hang up. */
  showGone(shown) {
    this.goneShown = shown;
    this.$('gone').hidden = !shown;
    if (shown) {
      this.$('keep-waiting').focus();
    }
  }

  showTimer(text) {
    const timer = this.$('timer');
    timer.hidden = text === null;
    if (text !== null) {
      timer.textContent = text;
    }
  }

  /** A notice that stays until dismissed; re-rendered on language switch. */
  notice(key, values = {}) {
    const item = this.doc.createElement('div');
    item.className = 'notice';
    item.dataset.notice = key;
    const text = this.doc.createElement('span');
    const dismiss = this.doc.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'link';
    dismiss.addEventListener('click', () => item.remove());
    const render = () => {
      text.textContent = this.t(key, values);
      dismiss.textContent = this.t('dismiss');
    };
    render();
    item.append(text, dismiss);
    item.render = render;
    this.$('notices').append(item);
  }

  renderNotices() {
    for (const item of this.$('notices').children) {
      item.render?.();
    }
  }

  setLocalStream(stream, cameraOn) {
    const video = this.$('local-video');
    if (video.srcObject !== stream) {
      video.srcObject = stream;
    }
    this.$('local-tile').dataset.camera = cameraOn ? 'on' : 'off';
  }

  setRemoteStream(stream) {
    const video = this.$('remote-video');
    if (video.srcObject !== stream) {
      video.srcObject = stream;
    }
  }

  clearRemote() {
    this.$('remote-video').srcObject = null;
    this.$('remote-name').textContent = '';
    this.$('remote-muted').hidden = true;
  }

  setRemote(name, media) {
    this.$('remote-name').textContent = name;
    const tile = this.$('remote-tile');
    tile.dataset.camera = media.camera || media.screen ? 'on' : 'off';
    tile.dataset.screen = media.screen ? 'on' : 'off';
    this.$('remote-muted').hidden = media.microphone;
  }

  renderControls(state) {
    this.controls = state;
    // `pressed` follows what the button does: "mute" is pressed while muted, "share" while sharing.
    const set = (id, on, pressed, onKey, offKey) => {
      const button = this.$(id);
      button.dataset.on = String(on);
      button.querySelector('.label').textContent = this.t(on ? onKey : offKey);
      button.setAttribute('aria-pressed', String(pressed));
    };
    set('toggle-mic', state.microphone, !state.microphone, 'mute', 'unmute');
    set('toggle-camera', state.camera, !state.camera, 'stopCamera', 'startCamera');
    set('toggle-screen', state.screen, state.screen, 'stopShare', 'shareScreen');
    // Phones and some browsers cannot share a screen; do not offer what cannot work.
    this.$('toggle-screen').hidden = !navigator.mediaDevices?.getDisplayMedia;
  }

  fillDevices(kind, devices, selectedId) {
    const select = this.$(`${kind}-select`);
    select.replaceChildren();
    if (devices.length === 0) {
      select.append(new Option(this.t('noDevice'), ''));
      return;
    }
    devices.forEach((device, index) => {
      const label = device.label || `${this.t(kind)} ${index + 1}`;
      select.append(new Option(label, device.deviceId, false, device.deviceId === selectedId));
    });
  }

  selectBackground(value) {
    this.doc.querySelector(`input[name=background][value=${value}]`).checked = true;
  }

  /** Connection details for the curious (and for tests): path, frames decoded, setup time. */
  showConnectionInfo({ path, framesDecoded, setupMs, joinedAt, firstFrameAt, marks, quality, sharpened, sent }) {
    const info = this.$('connection-info');
    info.dataset.marks = JSON.stringify(marks);
    info.dataset.quality = quality.poor ? 'poor' : 'good';
    info.dataset.sendScale = String(quality.scale);
    info.dataset.sentWidth = String(sent.sentWidth ?? 0);
    info.dataset.availableOutgoing = String(sent.availableOutgoing ?? 0);
    info.dataset.sharpened = String(Boolean(sharpened));
    info.dataset.limitedBy = sent.limitedBy ?? 'none';
    info.dataset.freezes = String(sent.freezes);
    info.dataset.framesDecoded = String(framesDecoded);
    info.dataset.path = path;
    // Wall-clock times (ms) of pressing "join" and of the first picture from the other side, so
    // a measurement across both windows can line them up.
    info.dataset.joinedAt = String(joinedAt);
    if (setupMs !== null) {
      info.dataset.setupMs = String(setupMs);
      info.dataset.firstFrameAt = String(firstFrameAt);
    } else {
      delete info.dataset.setupMs;
      delete info.dataset.firstFrameAt;
    }
    const pathText = this.t({ direct: 'pathDirect', relayed: 'pathRelayed' }[path] ?? 'pathUnknown');
    info.textContent = setupMs === null ? pathText : `${pathText} · ${this.t('setupTime', { ms: setupMs })}`;
  }

  /** Nothing of an ended call may look current to a reader of the details. */
  clearConnectionInfo() {
    const info = this.$('connection-info');
    for (const key of Object.keys(info.dataset)) {
      delete info.dataset[key];
    }
    info.textContent = '';
  }

  showError(key) {
    this.$('error-text').textContent = this.t(key);
    this.show('error');
  }
}
