import { describe, expect, it } from 'vitest';
import { answersTake, dutyCommand, lineRows, parseTakeReply, takeCommand, waitedWords } from '../../src/desk/door-line.js';

const WON = '✅ Opgenomen: nr. 7 (Lotte) komt naar gesprek frisse-zilveren-boom (!AbCd.ef_gh=:caw.test); je bent uitgenodigd. '
  + '✅ Taken: no. 7 (Lotte) is coming to session frisse-zilveren-boom (!AbCd.ef_gh=:caw.test); you are invited.';
const LOST = '⛔ Nummer 7 is al opgenomen door een collega (of heeft de wachtrij verlaten). '
  + '⛔ Number 7 was already taken by a colleague (or left the line).';

describe('the door on the counsellor page', () => {
  it('gives the bot\'s own commands', () => {
    expect(dutyCommand(true)).toBe('!deur dienst aan');
    expect(dutyCommand(false)).toBe('!deur dienst uit');
    expect(takeCommand(7)).toBe('!deur opnemen 7');
  });

  it('reads the room out of a won take', () => {
    expect(parseTakeReply(WON)).toEqual({ ok: true, number: 7, roomId: '!AbCd.ef_gh=:caw.test' });
  });

  it('reads the number, not a nickname that looks like one', () => {
    const tricky = WON.replaceAll('(Lotte)', '(nr. 3)');
    expect(parseTakeReply(tricky)).toEqual({ ok: true, number: 7, roomId: '!AbCd.ef_gh=:caw.test' });
  });

  it('reads a lost take as taken by a colleague', () => {
    expect(parseTakeReply(LOST)).toEqual({ ok: false, taken: true, number: 7 });
  });

  it('leaves other answers to the bot\'s own words', () => {
    expect(parseTakeReply('🟢 Je hebt deurdienst tot je ze beëindigt.')).toBeNull();
    expect(parseTakeReply('⛔ Je hebt geen deurdienst.')).toBeNull();
    expect(parseTakeReply(undefined)).toBeNull();
    // A room id alone is not a take (e.g. a new room's link).
    expect(parseTakeReply('Gespreksruimte klaar: !x:caw.test')).toBeNull();
  });

  it('matches an answer to the number it was about', () => {
    expect(answersTake(parseTakeReply(WON), 7)).toBe(true);
    expect(answersTake(parseTakeReply(WON), '7')).toBe(true);
    expect(answersTake(parseTakeReply(LOST), 8)).toBe(false);
    expect(answersTake(null, 7)).toBe(false);
  });

  it('says how long someone waited, in whole minutes', () => {
    const now = 1_765_000_000_000;
    expect(waitedWords(now - 20_000, now)).toEqual(['deskDoorWaitedShort', {}]);
    expect(waitedWords(now - 4 * 60_000 - 5_000, now)).toEqual(['deskDoorWaited', { minutes: 4 }]);
    expect(waitedWords(now + 5_000, now)).toEqual(['deskDoorWaitedShort', {}]);
  });

  it('shows the line oldest first, with number, nickname and wait only', () => {
    const now = 1_765_000_000_000;
    const rows = lineRows([
      { number: 9, nickname: 'Sam', waiting_since: now - 60_000 },
      { number: 7, nickname: 'Lotte', waiting_since: now - 5 * 60_000, question: 'never shown' },
    ], now);
    expect(rows).toEqual([
      { number: 7, nickname: 'Lotte', waited: ['deskDoorWaited', { minutes: 5 }] },
      { number: 9, nickname: 'Sam', waited: ['deskDoorWaited', { minutes: 1 }] },
    ]);
    expect(lineRows(undefined, now)).toEqual([]);
  });
});
