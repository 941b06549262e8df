import { describe, expect, it } from 'vitest';
import {
  QUESTION_MAX, accountFromTaken, checkQuestion, doorView, formatOpening, hoursByDay, isLineRecord, lineRecord,
  questionDue, telHref, waitWords, withoutQuestion,
} from '../../src/door.js';
import { PinKeeper, PlainKeeper, lockedBelongsTo, storedKind } from '../../src/keeper.js';
import { MESSAGES } from '../../src/i18n.js';
import { loadConversation } from '../../src/stored.js';

function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    dump: () => JSON.stringify([...items]),
  };
}

const OPEN = {
  enabled: true, open: true, reason: null, organisation: 'caw', waiting: 3, places: 10, on_duty: 2, estimate_minutes: 12,
  hours: [], next_opening: null, retention_days: 30, crisis: [], consent: { version: 'v1', texts: { nl: 'x', en: 'y' } },
};
const TAKEN = {
  state: 'taken', user_id: '@praatbrug_guest_d00r:caw.test', device_id: 'DOORDEV', access_token: 'syt_door',
  homeserver: 'http://127.0.0.2:18808', room_id: '!kamer:caw.test', counsellor_id: '@eva:caw.test',
};
const record = () => lineRecord({
  ticket: 'T1CKET', number: 7, nickname: 'Lotte', question: 'Ik slaap slecht sinds de verhuis.', organisation: 'caw', language: 'nl',
});

describe('the door\'s screen', () => {
  it('is not there without a door, so the page says the link lacks a code as before', () => {
    expect(doorView({ enabled: false }).kind).toBe('disabled');
    expect(doorView(null).kind).toBe('disabled');
  });

  it('takes questions only when open', () => {
    expect(doorView(OPEN)).toEqual({ kind: 'open', reason: null, reasonKey: null });
  });

  it('says why it is closed, in words that exist in both languages', () => {
    for (const reason of ['closed_hours', 'line_full', 'nobody_on_duty']) {
      const view = doorView({ ...OPEN, open: false, reason });
      expect(view).toMatchObject({ kind: 'closed', reason });
      expect(MESSAGES.nl[view.reasonKey]).toBeTruthy();
      expect(MESSAGES.en[view.reasonKey]).toBeTruthy();
    }
    expect(doorView({ ...OPEN, open: false, reason: 'something new' }).reason).toBe('closed_hours');
  });

  it('is honest about the wait when nothing to base an estimate on', () => {
    expect(waitWords(null)).toEqual(['doorWaitUnknown', {}]);
    expect(waitWords(undefined)).toEqual(['doorWaitUnknown', {}]);
    expect(waitWords(0)).toEqual(['doorWaitShort', {}]);
    expect(waitWords(12)).toEqual(['doorWaitMinutes', { minutes: 12 }]);
  });

  it('names the next opening in Brussels time', () => {
    // Monday 8 December 2025, 09:00 in Brussels = 08:00 UTC.
    const monday = Date.UTC(2025, 11, 8, 8, 0);
    expect(formatOpening(monday, 'nl')).toEqual({ day: 'maandag 8 december', time: '09:00' });
    expect(formatOpening(monday, 'en').time).toBe('09:00');
    expect(formatOpening(null, 'nl')).toBeNull();
  });

  it('lists the hours per weekday in order, closed days left out', () => {
    const hours = [{ day: 'tue', from: '13:00', until: '17:00' }, { day: 'mon', from: '09:00', until: '12:00' },
      { day: 'mon', from: '13:00', until: '17:00' }];
    expect(hoursByDay(hours)).toEqual([
      { day: 'mon', spans: ['09:00–12:00', '13:00–17:00'] }, { day: 'tue', spans: ['13:00–17:00'] }]);
  });

  it('makes crisis numbers callable', () => {
    expect(telHref('1813')).toBe('tel:1813');
    expect(telHref('+32 78 15 15 15')).toBe('tel:+3278151515');
  });
});

describe('the first question', () => {
  it('must be there and not too long', () => {
    expect(checkQuestion('   ').error).toBe('doorErrorQuestionMissing');
    expect(checkQuestion('x'.repeat(QUESTION_MAX + 1)).error).toBe('doorErrorQuestionLong');
    expect(checkQuestion('  Hoe vraag ik een leefloon aan?  ')).toEqual({ error: null, question: 'Hoe vraag ik een leefloon aan?' });
  });

  it('is kept with the ticket, with a transaction id of its own', () => {
    const kept = record();
    expect(kept.door).toMatchObject({ ticket: 'T1CKET', number: 7, nickname: 'Lotte', question: 'Ik slaap slecht sinds de verhuis.' });
    expect(kept.door.txn).toMatch(/^door-[0-9a-f]{24}$/);
    expect(record().door.txn).not.toBe(kept.door.txn);
    expect(isLineRecord(kept)).toBe(true);
  });

  it('goes out only once the counsellor who took the ticket has joined', () => {
    const account = accountFromTaken(record(), TAKEN);
    expect(questionDue(account, undefined)).toBeNull();
    expect(questionDue(account, 'invite')).toBeNull();
    expect(questionDue(account, 'leave')).toBeNull();
    expect(questionDue(account, 'join')).toBe('Ik slaap slecht sinds de verhuis.');
  });

  it('is forgotten once sent, and then never due again', () => {
    const sent = withoutQuestion(accountFromTaken(record(), TAKEN));
    expect(sent.door).toEqual({ number: 7, counsellorId: '@eva:caw.test' });
    expect(JSON.stringify(sent)).not.toContain('verhuis');
    expect(questionDue(sent, 'join')).toBeNull();
  });
});

describe('a taken ticket', () => {
  it('becomes a guest account that joins its room and never knocks', () => {
    const account = accountFromTaken(record(), TAKEN);
    expect(account).toMatchObject({
      code: null, name: 'Lotte', userId: TAKEN.user_id, deviceId: 'DOORDEV', accessToken: 'syt_door', roomId: '!kamer:caw.test',
      homeserver: TAKEN.homeserver, mayKnock: false, knocked: false, storePrefix: 'praatbrug-client-DOORDEV',
    });
    expect(account.door.counsellorId).toBe('@eva:caw.test');
    expect(isLineRecord(account)).toBe(false);
  });
});

describe('the line across sittings (the same keepers as a conversation)', () => {
  it('keeps a place in the line in localStorage without a PIN', () => {
    const storage = memoryStorage();
    new PlainKeeper(storage).save(record());
    expect(storedKind(storage)).toBe('plain');
    expect(loadConversation(storage).door.ticket).toBe('T1CKET');
  });

  it('seals the ticket and the question under a PIN; opening /binnen/ without a code finds it', async () => {
    const storage = memoryStorage();
    const keeper = await PinKeeper.create(storage, '2580', 1000);
    await keeper.save(record());
    expect(storedKind(storage)).toBe('locked');
    expect(storage.dump()).not.toContain('T1CKET');
    expect(storage.dump()).not.toContain('verhuis');
    expect(await lockedBelongsTo(storage, null)).toBe(true);
    const opened = await PinKeeper.unlock(storage, '2580');
    expect(opened.account.door.question).toBe('Ik slaap slecht sinds de verhuis.');
  });

  it('is not mistaken for a conversation without a ticket', () => {
    const storage = memoryStorage();
    storage.setItem('praatbrug.conversation', JSON.stringify({ door: { number: 7 } }));
    expect(loadConversation(storage)).toBeNull();
  });
});
