import { describe, expect, it } from 'vitest';
import { checkForm } from '../../src/consent.js';
import { MESSAGES, pickLanguage, problemFor, translate } from '../../src/i18n.js';
import { belongsTo, codeFromHash, forgetConversation, loadConversation, saveConversation } from '../../src/stored.js';
import { cacheRule } from '../../src/sw-rules.js';

describe('words', () => {
  it('has every key in Dutch and English, and no empty text', () => {
    expect(Object.keys(MESSAGES.en).sort()).toEqual(Object.keys(MESSAGES.nl).sort());
    for (const language of ['nl', 'en']) {
      for (const [key, text] of Object.entries(MESSAGES[language])) {
        expect(text.trim(), `${language}.${key}`).not.toBe('');
      }
    }
  });

  it('is Dutch unless the browser prefers English', () => {
    expect(pickLanguage('nl-BE')).toBe('nl');
    expect(pickLanguage('fr-BE')).toBe('nl');
    expect(pickLanguage('en-GB')).toBe('en');
    expect(pickLanguage(undefined)).toBe('nl');
  });

  it('fills placeholders as text', () => {
    expect(translate('nl', 'typing', { name: '<b>An</b>' })).toBe('<b>An</b> is aan het typen…');
  });

  it('has a problem screen for every errcode the bridge sends', () => {
    const kinds = ['BE.PRAATBRUG.CODE_EXPIRED', 'BE.PRAATBRUG.CODE_USED', 'BE.PRAATBRUG.CODE_REPLACED',
      'BE.PRAATBRUG.SESSION_ENDED', 'M_NOT_FOUND', 'M_LIMIT_EXCEEDED', 'NO_CODE', 'M_UNKNOWN'].map(problemFor);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds) {
      expect(MESSAGES.nl[`problem${kind}Title`], kind).toBeTruthy();
      expect(MESSAGES.nl[`problem${kind}Text`], kind).toBeTruthy();
    }
  });
});

describe('consent form', () => {
  const good = { name: '  Bram  ', under12: false, guardianName: '', guardianConsents: false, agreed: true };

  it('accepts a first name and cleans its spaces', () => {
    expect(checkForm(good)).toEqual({ errors: {}, name: 'Bram', guardianName: null, guardianInSession: false });
  });

  it('asks for a name, and refuses markup and overlong names', () => {
    expect(checkForm({ ...good, name: ' ' }).errors).toEqual({ name: 'errorNameMissing' });
    expect(checkForm({ ...good, name: '<script>' }).errors).toEqual({ name: 'errorNameInvalid' });
    expect(checkForm({ ...good, name: 'a'.repeat(41) }).errors).toEqual({ name: 'errorNameInvalid' });
    expect(checkForm({ ...good, name: 'Zoë D’Haene-Van Acker' }).errors).toEqual({});
  });

  it('needs agreement', () => {
    expect(checkForm({ ...good, agreed: false }).errors).toEqual({ agreed: 'errorAgreed' });
  });

  it('needs a parent or guardian, by name and agreeing, under 12', () => {
    expect(checkForm({ ...good, under12: true }).errors)
      .toEqual({ guardian_name: 'errorGuardianMissing', guardian_consents: 'errorGuardianConsents' });
    const child = checkForm({ ...good, under12: true, guardianName: 'An Peeters', guardianConsents: true });
    expect(child).toEqual({ errors: {}, name: 'Bram', guardianName: 'An Peeters', guardianInSession: false });
  });

  it('in a family session, lets the parent on their own place agree instead of a name here', () => {
    const child = checkForm({ ...good, under12: true, guardianInSession: true });
    expect(child).toEqual({ errors: {}, name: 'Bram', guardianName: null, guardianInSession: true });
    // Only a child says so: an adult's form ignores it.
    expect(checkForm({ ...good, guardianInSession: true }).guardianInSession).toBe(false);
  });
});

describe('stored conversation', () => {
  const storage = () => {
    const values = new Map();
    return { getItem: (k) => values.get(k) ?? null, setItem: (k, v) => values.set(k, v), removeItem: (k) => values.delete(k) };
  };
  const account = { code: 'KX7P3MQ9', userId: '@g:caw.test', accessToken: 't', roomId: '!r:caw.test' };

  it('survives a reload and is gone once forgotten', () => {
    const local = storage();
    saveConversation(local, account);
    expect(loadConversation(local)).toEqual(account);
    forgetConversation(local);
    expect(loadConversation(local)).toBeNull();
  });

  it('ignores broken or partial entries', () => {
    const local = storage();
    local.setItem('praatbrug.conversation', '{not json');
    expect(loadConversation(local)).toBeNull();
    local.setItem('praatbrug.conversation', JSON.stringify({ userId: '@g:caw.test' }));
    expect(loadConversation(local)).toBeNull();
  });

  it('belongs to its own link (in any spelling) and to the bare start page', () => {
    expect(belongsTo(account, 'kx7p-3mq9')).toBe(true);
    expect(belongsTo(account, null)).toBe(true);
    expect(belongsTo(account, 'AAAA2222')).toBe(false);
    expect(belongsTo(null, 'KX7P3MQ9')).toBe(false);
  });

  it('reads the code from the fragment', () => {
    expect(codeFromHash('#KX7P-3MQ9')).toBe('KX7P3MQ9');
    expect(codeFromHash('')).toBeNull();
    expect(codeFromHash('#')).toBeNull();
  });
});

describe('service worker', () => {
  const scope = 'https://praatbrug.caw.example/binnen/';
  const get = (url, mode = 'no-cors') => ({ method: 'GET', url, mode });

  it('keeps the page shell', () => {
    expect(cacheRule(get(scope, 'navigate'), scope)).toBe('network-first');
    expect(cacheRule(get(`${scope}assets/index-abc.js`), scope)).toBe('cache-first');
    expect(cacheRule(get(`${scope}icon-192.png`), scope)).toBe('cache-first');
    expect(cacheRule(get(`${scope}manifest.webmanifest`), scope)).toBe('cache-first');
  });

  it('never touches messages, keys or API answers', () => {
    expect(cacheRule(get('https://matrix.caw.example/_matrix/client/v3/sync'), scope)).toBeNull();
    expect(cacheRule(get('https://praatbrug.caw.example/_praatbrug/entry/v1/code'), scope)).toBeNull();
    expect(cacheRule({ method: 'POST', url: `${scope}assets/x.js`, mode: 'cors' }, scope)).toBeNull();
    expect(cacheRule(get('https://praatbrug.caw.example/widget/call/'), scope)).toBeNull();
    expect(cacheRule(get(`${scope}sw.js`), scope)).toBeNull();
  });
});

describe('the client\'s own rights', async () => {
  const { askAgainLine, askLines, givenLine, keptLines, versionNumber } = await import('../../src/rights.js');
  const day = Date.UTC(2026, 11, 3, 9, 5);
  const summary = {
    client_ref: 'C-7K3P-9Q2M',
    record_since: day,
    consents: [
      { given: true, at: day, version: 'v1', channel: 'link', guardian: false },
      { given: false, at: day + 7 * 86_400_000, version: 'v1', channel: 'link', guardian: false },
    ],
    sessions: [
      { started_at: day + 60_000, ended_at: day + 60_000 + 45 * 60_000, duration_seconds: 2700 },
      { started_at: day + 86_400_000, ended_at: null, duration_seconds: null },
    ],
    events: [{ kind: 'knock_admitted', at: day + 30_000 }, { kind: 'retention_purge', at: day }],
    label: true,
    messages_kept_days: 30,
    contact: { contact: 'de verantwoordelijke voor gegevensbescherming van het CAW', email: 'privacy@caw.test', phone: null, url: null },
  };

  it('says when and to which version a returning client consented', () => {
    expect(givenLine({ status: 'given', given_at: day, version: 'v1' }, 'nl'))
      .toBe('Je gaf toestemming op 3 december 2026 (versie 1).');
    expect(givenLine({ status: 'given', given_at: day, version: 'v1' }, 'en'))
      .toBe('You gave your consent on 3 December 2026 (version 1).');
    expect(versionNumber('v12')).toBe('12');
  });

  it('says why consent is asked again, and nothing for a first consent', () => {
    expect(askAgainLine({ status: 'withdrawn' }, 'v1', 'nl')).toContain('trok je toestemming eerder in');
    expect(askAgainLine({ status: 'new_version' }, 'v2', 'nl')).toContain('versie 2');
    expect(askAgainLine({ status: 'none' }, 'v1', 'nl')).toBeNull();
    expect(askAgainLine(undefined, 'v1', 'nl')).toBeNull();
  });

  it('lists what is kept in time order, with dates and durations, never more', () => {
    const lines = keptLines(summary, 'nl');
    expect(lines[0]).toBe('Een cliëntdossier bij de organisatie sinds 3 december 2026.');
    expect(lines[1]).toBe('Toestemming gegeven op 3 december 2026 (versie 1, via deze pagina).');
    expect(lines[2]).toBe('Binnengelaten met je code op 3 december 2026.');
    expect(lines[3]).toBe('Gesprek op 3 december 2026 van 10:06 tot 10:51 (45 min.), met je hulpverlener.');
    expect(lines[4]).toContain('4 december 2026 vanaf 10:05 (nu bezig)');
    expect(lines[5]).toBe('Toestemming ingetrokken op 10 december 2026.');
    expect(lines.at(-1)).toContain('korte notitie');
    expect(lines).toHaveLength(7);
    const short = keptLines({ ...summary, sessions: [{ started_at: day, ended_at: day + 20_000, duration_seconds: 20 }] }, 'en');
    expect(short.some((line) => line.includes('(under a minute)'))).toBe(true);
  });

  it('names whom to ask for a correction or erasure, with the reference', () => {
    const ask = askLines(summary, 'nl');
    expect(ask.sentence).toContain('van het CAW');
    expect(ask.sentence).toContain('C-7K3P-9Q2M');
    expect(ask.ways).toEqual(['E-mail: privacy@caw.test']);
    expect(askLines({ ...summary, contact: null }, 'en').sentence).toContain('Ask your counsellor');
  });
});
