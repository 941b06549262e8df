/**
 * The door's waiting line on the counsellor page, as pure functions (unit-tested): the bot
 * commands the buttons give, the bot's answer to a take, and how long someone has waited. The
 * line itself comes from `GET /_praatbrug/desk/v1/door`: number, nickname and since when only,
 * never the question (which never reaches the bridge).
 */

const ROOM_ID = /(![\w.=~-]+:[\w.:-]*[\w])/;

export function dutyCommand(on) {
  return `!deur dienst ${on ? 'aan' : 'uit'}`;
}

export function takeCommand(number) {
  return `!deur opnemen ${number}`;
}

/**
 * The bot's answer to `!deur opnemen`: `{ ok: true, number, roomId }` when she got the person,
 * `{ ok: false, taken: true, number }` when a colleague was first (or the person left), else null
 * (another notice, or a refusal the page shows in the bot's own words).
 */
export function parseTakeReply(body) {
  const text = body ?? '';
  const numbered = /\bnr\.\s*(\d+)|\bNummer\s+(\d+)|\bno\.\s*(\d+)|\bnumber\s+(\d+)/i.exec(text);
  const number = numbered ? Number(numbered.slice(1).find(Boolean)) : null;
  const room = ROOM_ID.exec(text);
  if (/Opgenomen:/.test(text) && room) {
    return { ok: true, number, roomId: room[1] };
  }
  if (/al opgenomen|already (been )?taken/i.test(text)) {
    return { ok: false, taken: true, number };
  }
  return null;
}

/** Whether `parsed` answers the take of `number` (an answer without a number is taken as ours). */
export function answersTake(parsed, number) {
  return Boolean(parsed) && (parsed.number === null || parsed.number === Number(number));
}

/** The words key and values for how long someone has waited: "wacht 4 min." or "wacht net". */
export function waitedWords(since, now) {
  const minutes = Math.floor(Math.max(0, now - (since ?? now)) / 60_000);
  return minutes < 1 ? ['deskDoorWaitedShort', {}] : ['deskDoorWaited', { minutes }];
}

/** The line as the block shows it: oldest first, numbers as given. */
export function lineRows(line, now) {
  return [...(line ?? [])]
    .sort((a, b) => (a.waiting_since ?? 0) - (b.waiting_since ?? 0) || a.number - b.number)
    .map((entry) => ({ number: entry.number, nickname: entry.nickname, waited: waitedWords(entry.waiting_since, now) }));
}
