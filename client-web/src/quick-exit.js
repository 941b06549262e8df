/**
 * "Snel weg" (quick exit), as services for people at risk offer it: one tap on the button that is
 * on every screen, or three presses of Shift, and the page is gone at once. In that order:
 * camera and microphone end, the conversation on this device is locked (or wiped), the counsellor is
 * told neutrally, and the page is replaced by an ordinary site with `location.replace`, so Back
 * does not lead to the chat.
 *
 * Steps register with `onQuickExit`; a step may return a promise (a wipe), which gets a short
 * moment while the page is already blank, never longer.
 */

export const DEFAULT_EXIT_URL = 'https://www.google.be/';
const SHIFT_PRESSES = 3;
const SHIFT_WINDOW_MS = 1500;
const WAIT_FOR_STEPS_MS = 400;

const steps = new Set();
let exitUrl = DEFAULT_EXIT_URL;
let leaving = false;

export function setExitUrl(url) {
  if (/^https?:\/\//.test(url ?? '')) {
    exitUrl = url;
  }
}

/** Registers a step to run on quick exit; returns a function that removes it. */
export function onQuickExit(step) {
  steps.add(step);
  return () => steps.delete(step);
}

export async function quickExit() {
  if (leaving) {
    return;
  }
  leaving = true;
  const pending = [];
  for (const step of steps) {
    try {
      const result = step();
      if (result && typeof result.then === 'function') {
        pending.push(result.catch(() => {}));
      }
    } catch (error) {
      console.warn('quick exit step failed', error);
    }
  }
  document.title = '';
  document.body.replaceChildren();
  if (pending.length) {
    await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, WAIT_FOR_STEPS_MS))]);
  }
  window.location.replace(exitUrl);
}

/**
 * Counts Shift presses in `target` (the page, and the call widget's frame): three within a moment
 * leave. A held Shift (key repeat) counts once.
 */
export function listenForShift(target) {
  let presses = [];
  target.addEventListener('keydown', (event) => {
    if (event.key !== 'Shift' || event.repeat) {
      presses = event.key === 'Shift' ? presses : [];
      return;
    }
    const now = Date.now();
    presses = [...presses.filter((time) => now - time < SHIFT_WINDOW_MS), now];
    if (presses.length >= SHIFT_PRESSES) {
      void quickExit();
    }
  }, true);
}

/** Wires the header's button and the keyboard shortcut. */
export function installQuickExit(document) {
  const button = document.getElementById('quick-exit');
  button.addEventListener('click', () => void quickExit());
  listenForShift(document.defaultView);
}
