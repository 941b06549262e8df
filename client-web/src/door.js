/**
 * The door's rules without the DOM (unit-tested): which screen the door's status leads to, the
 * words for the wait, when the kept first question may go out, and the account a taken ticket
 * becomes.
 *
 * What this browser keeps while someone waits (through the same keeper as a conversation: nothing,
 * localStorage, or sealed under a PIN): `{ code: null, organisation, language, door: { ticket,
 * number, nickname, question, txn } }`. The question stays here alone until the counsellor who took
 * the ticket is in the room; `txn` makes sending it again after a reload one message, not two.
 */

const LOCALES = { nl: 'nl-BE', en: 'en-GB' };
const ZONE = 'Europe/Brussels';
export const QUESTION_MAX = 4000;
/** After a failed ask: wait this long before asking again. */
export const POLL_MS = 3000;
/** How long the bridge may hold an ask for the ticket until the line changes (it answers at once on a take). */
export const LINE_WAIT_MS = 20000;

/**
 * What the door shows for a status answer: `disabled` (no door here: the page says a code is
 * missing, as before), `closed` with the reason's words key, or `open`.
 */
export function doorView(status) {
  if (!status?.enabled) {
    return { kind: 'disabled' };
  }
  if (!status.open) {
    const reason = ['closed_hours', 'line_full', 'nobody_on_duty'].includes(status.reason) ? status.reason : 'closed_hours';
    return { kind: 'closed', reason, reasonKey: `doorClosed_${reason}` };
  }
  return { kind: 'open', reason: null, reasonKey: null };
}

/** The words key and values for the wait: honest when there is nothing to base an estimate on. */
export function waitWords(estimateMinutes) {
  if (estimateMinutes === null || estimateMinutes === undefined) {
    return ['doorWaitUnknown', {}];
  }
  if (estimateMinutes <= 1) {
    return ['doorWaitShort', {}];
  }
  return ['doorWaitMinutes', { minutes: Math.round(estimateMinutes) }];
}

/** "maandag 8 december om 09:00" (Brussels time), or null without a next opening. */
export function formatOpening(ms, language) {
  if (!ms) {
    return null;
  }
  const locale = LOCALES[language] ?? 'nl-BE';
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: ZONE })
    .format(new Date(ms));
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: ZONE })
    .format(new Date(ms));
  return { day, time };
}

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The opening hours per weekday in order, days without hours left out: `[{ day, spans }]`. */
export function hoursByDay(hours) {
  const byDay = new Map(DAYS.map((day) => [day, []]));
  for (const span of hours ?? []) {
    byDay.get(span.day)?.push(`${span.from}–${span.until}`);
  }
  return DAYS.filter((day) => byDay.get(day).length).map((day) => ({ day, spans: byDay.get(day) }));
}

/** A crisis number as a `tel:` address (digits and a leading + only). */
export function telHref(number) {
  return `tel:${String(number ?? '').replace(/[^\d+]/g, '')}`;
}

/** The first question as typed: an error key, or the text to keep (never sent to the bridge). */
export function checkQuestion(text) {
  const question = (text ?? '').trim();
  if (!question) {
    return { error: 'doorErrorQuestionMissing', question: null };
  }
  if (question.length > QUESTION_MAX) {
    return { error: 'doorErrorQuestionLong', question: null };
  }
  return { error: null, question };
}

/** What the browser keeps once it is in the line. */
export function lineRecord({ ticket, number, nickname, question, organisation, language }) {
  const txn = `door-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  return { code: null, organisation, language, door: { ticket, number, nickname, question, txn } };
}

/**
 * The account a taken ticket becomes: the guest device the bridge made, already invited to the
 * room (it joins, never knocks), with the kept question and the counsellor who took it.
 */
export function accountFromTaken(record, taken) {
  return {
    code: null,
    name: record.door.nickname,
    organisation: record.organisation,
    language: record.language,
    homeserver: taken.homeserver,
    userId: taken.user_id,
    deviceId: taken.device_id,
    accessToken: taken.access_token,
    roomId: taken.room_id,
    knocked: false,
    mayKnock: false,
    storePrefix: `praatbrug-client-${taken.device_id}`,
    door: {
      number: record.door.number,
      counsellorId: taken.counsellor_id,
      question: record.door.question,
      txn: record.door.txn,
    },
  };
}

/** The kept question, once the counsellor who took the ticket has joined the room; else null. */
export function questionDue(account, counsellorMembership) {
  const question = account?.door?.question;
  return question && counsellorMembership === 'join' ? question : null;
}

/** The account after the question went out: the question forgotten, the rest kept. */
export function withoutQuestion(account) {
  const { question, txn, ...door } = account.door ?? {};
  return { ...account, door };
}

/** Whether what the browser keeps is a place in the line (not yet a Matrix account). */
export function isLineRecord(stored) {
  return Boolean(stored?.door?.ticket) && !stored.userId;
}
