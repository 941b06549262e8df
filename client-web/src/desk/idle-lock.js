// The counsellor page locks itself after the policy's idle time, so a page left open on a desk
// does not keep showing clients' conversations. Time is compared with the clock, not counted by
// timers: a background tab's timers are slowed down, and a laptop that slept must lock on waking.

/** Activity that counts as someone at the keyboard. */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'touchstart', 'wheel'];

export class IdleLock {
  #limitMs;
  #now;
  #onIdle;
  #busy;
  #lastActivity;
  #fired = false;

  /**
   * @param limitMs idle time before locking; 0 or less never locks
   * @param busy whether the page is in use without key presses (a video call): counts as activity
   */
  constructor({ limitMs, onIdle, busy = () => false, now = () => Date.now() }) {
    this.#limitMs = limitMs;
    this.#onIdle = onIdle;
    this.#busy = busy;
    this.#now = now;
    this.#lastActivity = now();
  }

  /** Someone used the page. */
  touch() {
    this.#lastActivity = this.#now();
  }

  /** Locks once when the idle time has passed; returns whether it locked now. */
  check() {
    if (this.#busy()) {
      this.touch();
      return false;
    }
    if (this.#fired || this.#limitMs <= 0 || this.#now() - this.#lastActivity < this.#limitMs) {
      return false;
    }
    this.#fired = true;
    this.#onIdle();
    return true;
  }

  /** Listens to the page's activity and looks every few seconds and when the tab comes back. */
  watch(document, checkEveryMs = 5_000) {
    const touch = () => this.touch();
    for (const type of ACTIVITY_EVENTS) {
      document.addEventListener(type, touch, { passive: true, capture: true });
    }
    const check = () => this.check();
    document.addEventListener('visibilitychange', check);
    const timer = setInterval(check, checkEveryMs);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', check);
      for (const type of ACTIVITY_EVENTS) {
        document.removeEventListener(type, touch, { capture: true });
      }
    };
  }
}
