import { describe, expect, it, vi } from 'vitest';
import { IdleLock } from '../../src/desk/idle-lock.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, pass: (ms) => { now += ms; } };
}

describe('IdleLock', () => {
  it('locks once, only after the whole idle time without activity', () => {
    const time = clock();
    const onIdle = vi.fn();
    const idle = new IdleLock({ limitMs: 15 * 60_000, onIdle, now: time.now });
    time.pass(15 * 60_000 - 1);
    expect(idle.check()).toBe(false);
    time.pass(1);
    expect(idle.check()).toBe(true);
    time.pass(60_000);
    expect(idle.check()).toBe(false);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('activity starts the idle time again', () => {
    const time = clock();
    const onIdle = vi.fn();
    const idle = new IdleLock({ limitMs: 60_000, onIdle, now: time.now });
    for (let i = 0; i < 10; i++) {
      time.pass(50_000);
      idle.touch();
      expect(idle.check()).toBe(false);
    }
    time.pass(60_000);
    expect(idle.check()).toBe(true);
  });

  it('a page that slept (closed laptop) locks at its first look after waking', () => {
    const time = clock();
    const onIdle = vi.fn();
    const idle = new IdleLock({ limitMs: 60_000, onIdle, now: time.now });
    time.pass(8 * 60 * 60_000);
    expect(idle.check()).toBe(true);
  });

  it('never locks during a video call; the idle time starts when the call is closed', () => {
    const time = clock();
    const onIdle = vi.fn();
    let inCall = true;
    const idle = new IdleLock({ limitMs: 60_000, onIdle, busy: () => inCall, now: time.now });
    for (let i = 0; i < 45; i++) {
      time.pass(60_000);
      expect(idle.check()).toBe(false);
    }
    inCall = false;
    time.pass(59_000);
    expect(idle.check()).toBe(false);
    time.pass(1_000);
    expect(idle.check()).toBe(true);
  });

  it('a policy without an idle time never locks', () => {
    const time = clock();
    const onIdle = vi.fn();
    const idle = new IdleLock({ limitMs: 0, onIdle, now: time.now });
    time.pass(365 * 24 * 60 * 60_000);
    expect(idle.check()).toBe(false);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it('watches key presses and pointer use on the page, and looks when the tab comes back', () => {
    const time = clock();
    const onIdle = vi.fn();
    const idle = new IdleLock({ limitMs: 60_000, onIdle, now: time.now });
    const target = new EventTarget();
    const stop = idle.watch(target, 1_000_000);
    time.pass(59_000);
    target.dispatchEvent(new Event('keydown'));
    time.pass(59_000);
    target.dispatchEvent(new Event('visibilitychange'));
    expect(onIdle).not.toHaveBeenCalled();
    time.pass(1_000);
    target.dispatchEvent(new Event('visibilitychange'));
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });
});
