/**
 * The caseload overview's rules, as pure functions over plain room snapshots (no SDK, no DOM), so
 * they are unit-tested and later columns (the client's record, the next appointment) only add
 * fields to a row.
 *
 * A room snapshot: `{ roomId, name, creator, topic, joinRule, members: [{ userId, name, membership,
 * previous, powerLevel, ts }], timeline: [{ id, sender, kind: 'message' | 'member' | 'other', ts }], readUpTo }`
 * where `readUpTo` is the event the counsellor read up to (her read receipt), if known, and
 * `previous` a member's membership before the current one.
 *
 * The bridge adds what it keeps about the room's client (see records.js): `{ ref, label, sessions,
 * erased }`, the client record, or null while the room has none (nobody came in yet).
 */

/** The states a counselling room can be in, most urgent first. */
export const STATES = ['waiting', 'present', 'absent', 'ended'];

/**
 * Counselling rooms are the ones the bot made; of those, overleg rooms (professionals only) are
 * not part of a caseload.
 */
export function isCounsellingRoom(room, bot) {
  return room.creator === bot && !/^Overleg\b/.test(room.topic ?? '');
}

/** One row of the overview for a counselling room; `record` is the room's client record, if any. */
export function caseloadRow(room, { me, bot, record = null }) {
  const others = room.members.filter((member) => member.userId !== me && member.userId !== bot);
  const knockers = others.filter((member) => member.membership === 'knock')
    .map(({ userId, name, ts }) => ({ userId, name, since: ts }));
  const byPowerThenTime = (a, b) => (a.powerLevel ?? 0) - (b.powerLevel ?? 0) || (b.ts ?? 0) - (a.ts ?? 0);
  // The client is the least powerful other person (a referral partner outranks the client).
  const present = others.filter((member) => member.membership === 'join').sort(byPowerThenTime)[0] ?? null;
  const invited = others.filter((member) => member.membership === 'invite').sort(byPowerThenTime)[0] ?? null;
  // Someone turned away at the door (or who withdrew the knock) never was the room's client.
  const former = others.filter((member) => (member.membership === 'leave' || member.membership === 'ban')
    && member.previous !== 'knock')
    .sort((a, b) => (b.ts ?? 0) - (a.ts ?? 0))[0] ?? null;
  let state;
  if (room.joinRule !== 'knock') {
    state = 'ended';
  } else if (knockers.length > 0) {
    state = 'waiting';
  } else if (present) {
    state = 'present';
  } else {
    state = 'absent';
  }
  const client = present ?? invited ?? (state === 'waiting' ? null : former);
  return {
    roomId: room.roomId,
    name: room.name,
    state,
    // Why absent: nobody came yet, admitted but not in yet, or the client left.
    detail: state !== 'absent' ? null : invited ? 'invited' : former ? 'left' : 'new',
    client: client ? { userId: client.userId, name: client.name } : null,
    record: record ? recordOf(record) : null,
    knockers,
    unread: unreadCount(room, me, bot),
    lastActivity: lastActivity(room, me),
  };
}

/** The record as a row shows it; a record whose data was erased shows no label and takes no new session. */
export function recordOf({ ref, label = null, sessions = 0, erased = false }) {
  return { ref, label: erased ? null : label || null, sessions, erased: Boolean(erased) };
}

/** Messages of others (the client) after the counsellor's read mark; the bot's notices do not count. */
export function unreadCount(room, me, bot) {
  let count = 0;
  for (let i = room.timeline.length - 1; i >= 0; i -= 1) {
    const event = room.timeline[i];
    if (event.id === room.readUpTo || event.sender === me) {
      // Her own message means she has seen what came before it.
      break;
    }
    if (event.kind === 'message' && event.sender !== bot) {
      count += 1;
    }
  }
  return count;
}

/** When someone other than the counsellor last wrote, knocked, came in or left; else when the room began. */
export function lastActivity(room, me) {
  let latest = 0;
  for (const event of room.timeline) {
    if ((event.kind === 'message' || event.kind === 'member') && event.sender !== me) {
      latest = Math.max(latest, event.ts);
    }
  }
  return latest || (room.timeline[0]?.ts ?? 0);
}

/** What needs the counsellor first: knocks, then unread messages, then clients who are in. */
export function sortCaseload(rows) {
  const rank = (row) => {
    if (row.state === 'waiting') return 0;
    if (row.state !== 'ended' && row.unread > 0) return 1;
    if (row.state === 'present') return 2;
    if (row.state === 'absent') return 3;
    return row.unread > 0 ? 4 : 5;
  };
  return [...rows].sort((a, b) => rank(a) - rank(b) || b.lastActivity - a.lastActivity
    || (a.name ?? '').localeCompare(b.name ?? ''));
}

/** How many rooms need the counsellor (a knock or unread messages), for the title and the back button. */
export function needingAttention(rows) {
  return rows.filter((row) => row.state === 'waiting' || (row.state !== 'ended' && row.unread > 0)).length;
}
