/** Call duration as the UI shows it: m:ss below an hour, h:mm:ss after. There is no time limit. */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/**
 * A call's timers by name: repeating ones (statistics, the call clock) and one-shot ones (pairing
 * timeout, ICE restart, "the other side seems gone"). Naming them keeps each at most once, and a
 * hang-up clears them all.
 */
export class Timers {
  constructor() {
    this.repeating = new Map();
    this.oneShot = new Map();
  }

  /** Runs `task` every `ms` until cleared; a second call with the same name is ignored. */
  every(name, ms, task) {
    if (!this.repeating.has(name)) {
      this.repeating.set(name, setInterval(task, ms));
    }
  }

  /** Runs `task` once after `ms`; setting a name again replaces the earlier one. */
  later(name, ms, task) {
    this.cancel(name);
    this.oneShot.set(name, setTimeout(() => {
      this.oneShot.delete(name);
      task();
    }, ms));
  }

  pending(name) {
    return this.oneShot.has(name);
  }

  cancel(...names) {
    for (const name of names) {
      clearTimeout(this.oneShot.get(name));
      this.oneShot.delete(name);
    }
  }

  clear() {
    this.repeating.forEach((id) => clearInterval(id));
    this.repeating.clear();
    this.cancel(...this.oneShot.keys());
  }
}
