import { translate } from '../i18n.js';

const OFFER_KEY = 'praatbrug.desk.notifications';

/**
 * Getting the counsellor's attention while the page is in a background tab: a knock or a new
 * message puts a count in the tab's title ("(2) Praatbrug"), plays a short tone, and, if she
 * allowed it, shows a browser notification. A notification names only the room
 * ("Nieuw bericht in frisse-zilveren-boom"): never the client's name or what was written, since
 * it may show on a screen others see. Permission is asked only when she chooses to, after an
 * explanation; never on page load.
 */
export class Attention {
  constructor(window, { language, open }) {
    this.window = window;
    this.document = window.document;
    this.language = language; // () => current language
    this.open = open; // (roomId) => void, when a notification is clicked
    this.baseTitle = this.document.title;
    this.unseen = 0;
    this.audio = null;
    this.document.addEventListener('visibilitychange', () => {
      if (this.document.visibilityState === 'visible') {
        this.unseen = 0;
        this.document.title = this.baseTitle;
      }
    });
    // Browsers allow sound only after the user did something on the page.
    const unlock = () => this.#audioContext();
    this.window.addEventListener('pointerdown', unlock, { once: true });
    this.window.addEventListener('keydown', unlock, { once: true });
  }

  get supported() {
    return 'Notification' in this.window;
  }

  /** Whether to show the explanation with its "turn on" button (not decided yet, not declined). */
  shouldOffer() {
    return this.supported && this.window.Notification.permission === 'default'
      && this.window.localStorage.getItem(OFFER_KEY) !== 'declined';
  }

  /** Asks the browser's permission; only ever called from the counsellor's click. */
  async ask() {
    if (!this.supported) {
      return 'unsupported';
    }
    const answer = await this.window.Notification.requestPermission();
    this.window.localStorage.setItem(OFFER_KEY, answer);
    return answer;
  }

  decline() {
    this.window.localStorage.setItem(OFFER_KEY, 'declined');
  }

  /** A knock or a new message in `roomName`; does nothing while she is looking at the page. */
  notify(kind, roomId, roomName) {
    if (this.document.visibilityState === 'visible') {
      return;
    }
    this.unseen += 1;
    this.document.title = `(${this.unseen}) Praatbrug`;
    this.#tone();
    if (this.supported && this.window.Notification.permission === 'granted') {
      const language = this.language();
      const notification = new this.window.Notification('Praatbrug', {
        body: translate(language, kind === 'knock' ? 'notifyKnock' : 'notifyMessage', { room: roomName }),
        tag: `${roomId}:${kind}`,
        icon: new URL('icon-192.png', this.document.baseURI).href,
        silent: true, // the page plays its own short tone
      });
      notification.onclick = () => {
        this.window.focus();
        this.open(roomId);
        notification.close();
      };
    }
  }

  #audioContext() {
    const AudioContext = this.window.AudioContext ?? this.window.webkitAudioContext;
    if (!this.audio && AudioContext) {
      this.audio = new AudioContext();
    }
    return this.audio;
  }

  /** A soft two-note chime, a quarter of a second. */
  #tone() {
    const context = this.#audioContext();
    if (!context) {
      return;
    }
    context.resume?.().catch(() => {});
    const now = context.currentTime;
    const gain = context.createGain();
    gain.connect(context.destination);
    gain.gain.setValueAtTime(0.0001, now);
    gain.gain.exponentialRampToValueAtTime(0.08, now + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.25);
    for (const [frequency, start] of [[660, 0], [880, 0.09]]) {
      const oscillator = context.createOscillator();
      oscillator.type = 'sine';
      oscillator.frequency.setValueAtTime(frequency, now + start);
      oscillator.connect(gain);
      oscillator.start(now + start);
      oscillator.stop(now + 0.25);
    }
  }
}
