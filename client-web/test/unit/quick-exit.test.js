import { describe, expect, it, vi } from 'vitest';
import { listenForShift, onQuickExit, setExitUrl } from '../../src/quick-exit.js';

/** The page as quickExit sees it: a title, a body, and a location that is replaced. */
function fakePage() {
  const replaced = [];
  globalThis.document = { title: 'Chat', body: { replaceChildren: vi.fn() } };
  globalThis.window = { location: { replace: (url) => replaced.push(url) } };
  return replaced;
}

function keys(target, ...names) {
  for (const name of names) {
    const [key, repeat] = name === 'Shift(held)' ? ['Shift', true] : [name, false];
    target.dispatchEvent(Object.assign(new Event('keydown'), { key, repeat }));
  }
}

describe('quick exit', () => {
  it('leaves on three presses of Shift, not on fewer, a held Shift or Shift between other keys', async () => {
    const replaced = fakePage();
    const target = new EventTarget();
    listenForShift(target);
    const order = [];
    onQuickExit(() => order.push('camera and microphone'));
    onQuickExit(() => { order.push('wipe'); return new Promise((resolve) => setTimeout(resolve, 10)); });
    setExitUrl('javascript:alert(1)'); // refused: only an http(s) site
    setExitUrl('https://weer.example/');

    keys(target, 'Shift', 'Shift(held)', 'Shift(held)', 'a', 'Shift', 'Shift', 'b', 'Shift');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replaced).toEqual([]);
    expect(order).toEqual([]);

    keys(target, 'Shift', 'Shift', 'Shift');
    await vi.waitFor(() => expect(replaced).toEqual(['https://weer.example/']));
    expect(order).toEqual(['camera and microphone', 'wipe']);
    expect(document.body.replaceChildren).toHaveBeenCalled();
    expect(document.title).toBe('');

    keys(target, 'Shift', 'Shift', 'Shift'); // already leaving: once is enough
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(replaced).toHaveLength(1);
  });
});
