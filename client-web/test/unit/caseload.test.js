import { describe, expect, it } from 'vitest';
import { caseloadRow, isCounsellingRoom, needingAttention, sortCaseload, unreadCount } from '../../src/desk/caseload.js';
import { parseCodeNotice } from '../../src/desk/bot-channel.js';
import { DESK_WORDS } from '../../src/desk/words.js';
import { SAS_NAMES_NL, sasName } from '../../src/desk/sas-names.js';

const ME = '@an:caw.test';
const BOT = '@praatbrug:caw.test';
const GUEST = '@praatbrug_guest_abc:caw.test';

function room({ joinRule = 'knock', members = [], timeline = [], readUpTo = null, topic = 'Gesprek via Praatbrug', name = 'frisse-zilveren-boom' } = {}) {
  return {
    roomId: `!${name}:caw.test`,
    name,
    creator: BOT,
    topic,
    joinRule,
    members: [
      { userId: ME, name: 'Hulpverlener An', membership: 'join', powerLevel: 50, ts: 1 },
      { userId: BOT, name: 'Praatbrug', membership: 'join', powerLevel: 100, ts: 1 },
      ...members,
    ],
    timeline,
    readUpTo,
  };
}

const message = (id, sender, ts) => ({ id, sender, kind: 'message', ts });

describe('caseload rows', () => {
  it('shows a knock as waiting, with who knocks', () => {
    const row = caseloadRow(room({ members: [{ userId: GUEST, name: 'Bram', membership: 'knock', ts: 50 }] }), { me: ME, bot: BOT });
    expect(row.state).toBe('waiting');
    expect(row.knockers).toEqual([{ userId: GUEST, name: 'Bram', since: 50 }]);
    expect(row.client).toBeNull();
  });

  it('names the client who is in, and not a referral partner who outranks them', () => {
    const row = caseloadRow(room({ members: [
      { userId: '@partner:clb.test', name: 'Partner', membership: 'join', powerLevel: 50, ts: 60 },
      { userId: GUEST, name: 'Bram', membership: 'join', powerLevel: 0, ts: 50 },
    ] }), { me: ME, bot: BOT });
    expect(row.state).toBe('present');
    expect(row.client.name).toBe('Bram');
  });

  it('tells why a room is away: nobody yet, admitted but not in, or the client left', () => {
    expect(caseloadRow(room(), { me: ME, bot: BOT })).toMatchObject({ state: 'absent', detail: 'new', client: null });
    expect(caseloadRow(room({ members: [{ userId: GUEST, name: 'Bram', membership: 'invite' }] }), { me: ME, bot: BOT }))
      .toMatchObject({ state: 'absent', detail: 'invited' });
    expect(caseloadRow(room({ members: [{ userId: GUEST, name: 'Bram', membership: 'leave' }] }), { me: ME, bot: BOT }))
      .toMatchObject({ state: 'absent', detail: 'left', client: { name: 'Bram' } });
  });

  it('does not name someone turned away at the door as the client who left', () => {
    const row = caseloadRow(room({ members: [{ userId: GUEST, name: 'Dirk', membership: 'leave', previous: 'knock', ts: 9 }] }), { me: ME, bot: BOT });
    expect(row).toMatchObject({ state: 'absent', detail: 'new', client: null });
  });

  it('is ended once the room no longer takes knocks', () => {
    const row = caseloadRow(room({ joinRule: 'invite', members: [{ userId: GUEST, name: 'Bram', membership: 'leave' }] }), { me: ME, bot: BOT });
    expect(row.state).toBe('ended');
  });

  it('counts the client messages after the read mark, not the bot, not before her own message', () => {
    const timeline = [message('$1', GUEST, 1), message('$2', ME, 2), message('$3', GUEST, 3), message('$4', BOT, 4),
      message('$5', GUEST, 5), { id: '$6', sender: GUEST, kind: 'other', ts: 6 }];
    expect(unreadCount(room({ timeline }), ME, BOT)).toBe(2);
    expect(unreadCount(room({ timeline, readUpTo: '$3' }), ME, BOT)).toBe(1);
    expect(unreadCount(room({ timeline, readUpTo: '$6' }), ME, BOT)).toBe(0);
  });

  it('carries the room\'s client record, and no label once the record was erased', () => {
    expect(caseloadRow(room(), { me: ME, bot: BOT }).record).toBeNull();
    const record = { ref: 'C-7K3P-9Q2M', label: 'Sara, 3B', sessions: 2, erased: false };
    expect(caseloadRow(room(), { me: ME, bot: BOT, record }).record).toEqual(record);
    expect(caseloadRow(room(), { me: ME, bot: BOT, record: { ...record, erased: true } }).record)
      .toEqual({ ref: 'C-7K3P-9Q2M', label: null, sessions: 2, erased: true });
    expect(caseloadRow(room(), { me: ME, bot: BOT, record: { ref: 'C-7K3P-9Q2M', label: '' } }).record)
      .toEqual({ ref: 'C-7K3P-9Q2M', label: null, sessions: 0, erased: false });
  });

  it('leaves out overleg rooms and rooms the bot did not make', () => {
    expect(isCounsellingRoom(room(), BOT)).toBe(true);
    expect(isCounsellingRoom(room({ topic: 'Overleg via Praatbrug / Consultation via Praatbrug' }), BOT)).toBe(false);
    expect(isCounsellingRoom({ ...room(), creator: ME }, BOT)).toBe(false);
  });
});

describe('caseload order', () => {
  const row = (name, state, unread, lastActivity) => ({ name, state, unread, lastActivity });

  it('puts knocks first, then unread, then present, away and ended, newest first within each', () => {
    const sorted = sortCaseload([
      row('ended', 'ended', 0, 90), row('away', 'absent', 0, 80), row('present-old', 'present', 0, 10),
      row('present-new', 'present', 0, 70), row('unread', 'present', 2, 5), row('knock', 'waiting', 0, 1),
      row('ended-unread', 'ended', 1, 99),
    ]);
    expect(sorted.map((r) => r.name)).toEqual(['knock', 'unread', 'present-new', 'present-old', 'away', 'ended-unread', 'ended']);
    expect(needingAttention(sorted)).toBe(2);
  });
});

describe('bot answers', () => {
  it('finds the room and the client link in the answer to !gesprek nieuw', () => {
    const body = "✅ Gespreksruimte 'frisse-zilveren-boom' (beleid caw) staat klaar; je bent uitgenodigd.\n"
      + 'Klopcode voor de cliënt: KX7P-3MQ9 (één keer te gebruiken, geldig tot 05/12 14:30).\n'
      + 'Cliënt met Matrix-account: aankloppen op !AbCdEf:caw.test met de code als reden.\n'
      + 'Cliënt zonder app: http://127.0.0.1:29331/binnen/#KX7P3MQ9\n\n✅ Counselling room …';
    expect(parseCodeNotice(body)).toEqual({ roomId: '!AbCdEf:caw.test', link: 'http://127.0.0.1:29331/binnen/#KX7P3MQ9' });
    expect(parseCodeNotice('✅ @x:caw.test wordt toegelaten')).toBeNull();
  });
});

describe('counsellor page words', () => {
  it('has every key in both languages', () => {
    expect(Object.keys(DESK_WORDS.en).sort()).toEqual(Object.keys(DESK_WORDS.nl).sort());
  });

  it('names all 64 symbols of emoji verification in Dutch, and leaves English as it is', () => {
    expect(Object.keys(SAS_NAMES_NL)).toHaveLength(64);
    expect(new Set(Object.values(SAS_NAMES_NL)).size).toBe(64);
    expect(sasName('Light Bulb', 'nl')).toBe('Gloeilamp');
    expect(sasName('Light Bulb', 'en')).toBe('Light Bulb');
    expect(sasName('Something new', 'nl')).toBe('Something new');
  });

  it('never puts a client name or message text in a notification, only the room', () => {
    for (const language of ['nl', 'en']) {
      expect(DESK_WORDS[language].notifyMessage.match(/\{(\w+)\}/g)).toEqual(['{room}']);
      expect(DESK_WORDS[language].notifyKnock.match(/\{(\w+)\}/g)).toEqual(['{room}']);
    }
  });
});
