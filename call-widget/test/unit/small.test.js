import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { LANGUAGES, MESSAGES, otherLanguage, translate } from '../../src/i18n.js';
import { pickLanguage, readParams } from '../../src/params.js';
import { CAPABILITIES } from '../../src/signalling.js';
import { Timers, formatDuration } from '../../src/timer.js';

describe('texts', () => {
  it('has every key in Dutch and English', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.nl).sort());
    for (const language of LANGUAGES) {
      for (const [key, text] of Object.entries(MESSAGES[language])) {
        expect(text.trim(), `${language}.${key}`).not.toBe('');
      }
    }
  });

  it('fills placeholders as plain text', () => {
    expect(translate('nl', 'endedByOther', { name: '<b>Jan</b>' })).toBe('<b>Jan</b> heeft het gesprek beëindigd.');
    expect(translate('en', 'duration', { time: '1:05' })).toBe('Duration: 1:05');
  });

  it('says on the start screen that the call is not recorded, in both languages', () => {
    expect(translate('nl', 'notRecorded')).toMatch(/niet opgenomen/);
    expect(translate('en', 'notRecorded')).toMatch(/not recorded/);
  });

  it('switches between the two languages', () => {
    expect(otherLanguage('nl')).toBe('en');
    expect(otherLanguage('en')).toBe('nl');
  });
});

describe('widget URL parameters', () => {
  it('reads what the host client filled in', () => {
    const params = readParams('?widgetId=w1&parentUrl=https%3A%2F%2Fchat.caw.test%2F%23%2Froom&userId=%40c%3Acaw.test'
      + '&displayName=Counsellor&roomId=!r%3Acaw.test&lang=en-GB');
    expect(params).toEqual({
      widgetId: 'w1', clientOrigin: 'https://chat.caw.test', userId: '@c:caw.test', displayName: 'Counsellor',
      roomId: '!r:caw.test', language: 'en', relayOnly: false, people: 2, moderator: false, counsellor: null,
    });
  });

  it('makes a group call only of 3 or 4 people, whatever else the URL says', () => {
    expect(readParams('?people=3').people).toBe(3);
    expect(readParams('?people=4').people).toBe(4);
    for (const odd of ['5', '1', '-4', 'x', '4e1', '']) {
      expect(readParams(`?people=${odd}`).people).toBe(2);
    }
  });

  it('treats unfilled template variables as absent', () => {
    const params = readParams('?widgetId=w1&userId=%40c%3Acaw.test&displayName=%24matrix_display_name&lang=%24lang');
    expect(params.displayName).toBe('@c:caw.test');
    expect(params.language).toBe('nl');
    expect(params.clientOrigin).toBeNull();
  });

  it('is Dutch unless the host runs in English', () => {
    expect(pickLanguage('nl-BE')).toBe('nl');
    expect(pickLanguage('fr')).toBe('nl');
    expect(pickLanguage('en')).toBe('en');
    expect(pickLanguage(null)).toBe('nl');
  });

  it('reads relay-only', () => {
    expect(readParams('?relayOnly=true').relayOnly).toBe(true);
  });
});

describe('call timer', () => {
  it('shows minutes and seconds, then hours without a limit', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65_400)).toBe('1:05');
    expect(formatDuration(3_600_000 * 3 + 61_000)).toBe('3:01:01');
    expect(formatDuration(-5)).toBe('0:00');
  });
});

describe('what the widget may do', () => {
  it('asks only to send and receive its signal event and for TURN credentials', () => {
    expect(CAPABILITIES).toEqual([
      'org.matrix.msc2762.send.event:be.praatbrug.call.signal',
      'org.matrix.msc2762.receive.event:be.praatbrug.call.signal',
      'town.robin.msc3846.turn_servers',
    ]);
  });

  it('has no recording or streaming code path', () => {
    const sources = readdirSync(new URL('../../src/', import.meta.url))
      .map((name) => readFileSync(new URL(`../../src/${name}`, import.meta.url), 'utf8'));
    for (const source of sources) {
      expect(source).not.toMatch(/MediaRecorder|rtmp:|new WebSocket|sendBeacon/);
    }
  });
});

describe('call timers', () => {
  it('keeps one timer per name, replaces a one-shot set again, and clears everything on hang-up', () => {
    vi.useFakeTimers();
    try {
      const timers = new Timers();
      const ran = [];
      timers.every('stats', 1000, () => ran.push('stats'));
      timers.every('stats', 10, () => ran.push('second stats'));
      timers.later('restart', 500, () => ran.push('restart early'));
      timers.later('restart', 1500, () => ran.push('restart'));
      expect(timers.pending('restart')).toBe(true);
      vi.advanceTimersByTime(1600);
      expect(ran).toEqual(['stats', 'restart']);
      expect(timers.pending('restart')).toBe(false);
      timers.later('gone', 100, () => ran.push('gone'));
      timers.clear();
      vi.advanceTimersByTime(5000);
      expect(ran).toEqual(['stats', 'restart']);
      expect(timers.pending('gone')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});
