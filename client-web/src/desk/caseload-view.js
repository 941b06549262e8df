import { translate } from '../i18n.js';
import { caseloadRow, isCounsellingRoom, sortCaseload } from './caseload.js';

/**
 * The caseload table on the counsellor page: one row per counselling room, the rooms that need her
 * first. Rows are kept per room and redrawn only when what they show changed, so keyboard focus
 * stays where it was while messages come in.
 *
 * `actions` carries out what the buttons ask: `{ open, admit, deny, copyLink, newCode, end, label,
 * nextSession }`, each given the row (and for admit/deny the person knocking). `records(roomId)`
 * gives the client record behind a room, if the bridge has one.
 */
export class CaseloadView {
  constructor(document, { me, bot, language, links, records = () => null, actions }) {
    this.document = document;
    this.me = me;
    this.bot = bot;
    this.language = language;
    this.links = links; // () => Map roomId → { link, at }
    this.records = records;
    this.actions = actions;
    this.body = document.getElementById('rooms');
    this.rows = [];
  }

  /** Rows for the counselling rooms among `rooms` (matrix-js-sdk Room objects). */
  rowsOf(rooms) {
    return sortCaseload(rooms.map((room) => snapshotOf(room, this.me))
      .filter((room) => isCounsellingRoom(room, this.bot))
      .map((room) => caseloadRow(room, { me: this.me, bot: this.bot, record: this.records(room.roomId) })));
  }

  render(rooms) {
    this.rows = this.rowsOf(rooms);
    const links = this.links();
    const focused = this.document.activeElement;
    const kept = new Map([...this.body.children].map((tr) => [tr.dataset.room, tr]));
    for (const row of this.rows) {
      const link = row.state === 'absent' ? links.get(row.roomId) ?? null : null;
      const signature = JSON.stringify([row, Boolean(link), this.language, minuteOf(row.lastActivity)]);
      let tr = kept.get(row.roomId);
      kept.delete(row.roomId);
      if (!tr) {
        tr = this.document.createElement('tr');
        tr.dataset.room = row.roomId;
      }
      if (tr.dataset.signature !== signature) {
        tr.dataset.signature = signature;
        tr.dataset.state = row.state;
        tr.replaceChildren(...this.#cells(row, link));
      }
      this.body.append(tr); // in sorted order
    }
    kept.forEach((tr) => tr.remove());
    if (focused?.isConnected && this.document.activeElement !== focused) {
      focused.focus();
    }
    this.document.getElementById('no-rooms').hidden = this.rows.length > 0;
    return this.rows;
  }

  #t(key, values) {
    return translate(this.language, key, values);
  }

  #cells(row, link) {
    const d = this.document;
    const name = row.client?.name ?? (row.state === 'waiting' ? row.knockers[0]?.name : null);
    const head = d.createElement('th');
    head.scope = 'row';
    const open = button(d, 'room-open', null, () => this.actions.open(row));
    open.dataset.roomId = row.roomId;
    const who = d.createElement('span');
    who.className = 'client-name';
    who.textContent = name ?? this.#t('deskNoClient');
    const where = d.createElement('span');
    where.className = 'room-name';
    where.textContent = row.name;
    open.append(who);
    if (row.record) {
      open.append(this.#recordLine(row.record));
    }
    open.append(where);
    head.append(open);

    const state = d.createElement('td');
    const label = d.createElement('span');
    label.className = `state state-${row.state}`;
    label.textContent = this.#t(`deskState_${row.state}`);
    state.append(label);
    const detail = this.#detail(row);
    if (detail) {
      const small = d.createElement('small');
      small.textContent = detail;
      state.append(d.createElement('br'), small);
    }

    const unread = d.createElement('td');
    unread.className = 'unread';
    if (row.unread > 0) {
      const badge = d.createElement('span');
      badge.className = 'badge';
      badge.textContent = String(row.unread);
      badge.setAttribute('aria-label', this.#t(row.unread === 1 ? 'deskUnreadOne' : 'deskUnreadMany', { count: row.unread }));
      unread.append(badge);
    } else {
      unread.textContent = '—';
      unread.setAttribute('aria-label', this.#t('deskUnreadNone'));
    }

    const when = d.createElement('td');
    if (row.lastActivity) {
      const time = d.createElement('time');
      time.dateTime = new Date(row.lastActivity).toISOString();
      time.textContent = formatWhen(row.lastActivity, this.language, this.#t('deskYesterday'));
      when.append(time);
    }

    const cell = d.createElement('td');
    const actions = d.createElement('div');
    actions.className = 'actions';
    cell.append(actions);
    for (const knocker of row.state === 'waiting' ? row.knockers : []) {
      actions.append(
        button(d, 'primary small', this.#t('deskAdmit', { name: knocker.name }), () => this.actions.admit(row, knocker), 'admit'),
        button(d, 'secondary small', this.#t('deskDeny', { name: knocker.name }), () => this.actions.deny(row, knocker), 'deny'),
      );
    }
    if (row.state === 'absent') {
      if (link) {
        actions.append(button(d, 'secondary small', this.#t('deskCopyLink'), () => this.actions.copyLink(row, link.link), 'copy-link'));
      }
      actions.append(button(d, 'secondary small', this.#t('deskNewCode'), () => this.actions.newCode(row), 'new-code'));
    }
    if (row.state === 'ended' && row.record && !row.record.erased) {
      actions.append(button(d, 'secondary small', this.#t('deskNextSession'), () => this.actions.nextSession(row), 'next-session'));
    }
    if (row.record && !row.record.erased) {
      const labelButton = button(d, 'secondary small', this.#t(row.record.label ? 'deskLabelChange' : 'deskLabelAdd'),
        () => this.actions.label(row), 'label');
      labelButton.setAttribute('aria-label', this.#t('deskLabelFor', { ref: row.record.ref }));
      actions.append(labelButton);
    }
    if (row.state !== 'ended') {
      actions.append(button(d, 'danger small', this.#t('deskEnd'), () => this.actions.end(row), 'end'));
    }
    return [head, state, unread, when, cell];
  }

  /** "Sara, 3B · C-7K3P-9Q2M · 3e gesprek": the counsellor's label, the record, its sessions. */
  #recordLine(record) {
    const line = this.document.createElement('span');
    line.className = 'client-record';
    const parts = [];
    if (record.label) {
      const label = this.document.createElement('span');
      label.className = 'record-label';
      label.textContent = record.label;
      parts.push(label);
    }
    const ref = this.document.createElement('span');
    ref.className = 'record-ref';
    ref.textContent = record.ref;
    parts.push(ref);
    const sessions = this.document.createElement('span');
    sessions.className = 'record-sessions';
    sessions.textContent = record.erased ? this.#t('deskRecordErased')
      : this.#t(record.sessions === 1 ? 'deskSessionsOne' : 'deskSessionsMany', { count: record.sessions });
    parts.push(sessions);
    parts.forEach((part, i) => line.append(...(i === 0 ? [part] : [' · ', part])));
    return line;
  }

  #detail(row) {
    if (row.state === 'waiting') {
      return this.#t('deskKnocking', { name: row.knockers.map((k) => k.name).join(', ') });
    }
    if (row.state === 'absent') {
      return this.#t(`deskAbsent_${row.detail}`);
    }
    return null;
  }
}

function button(d, className, text, onClick, action = null) {
  const element = d.createElement('button');
  element.type = 'button';
  element.className = className;
  if (text) {
    element.textContent = text;
  }
  if (action) {
    element.dataset.action = action;
  }
  element.addEventListener('click', onClick);
  return element;
}

const minuteOf = (ts) => Math.floor(ts / 60_000);

function formatWhen(ts, language, yesterdayWord) {
  const locale = language === 'en' ? 'en-GB' : 'nl-BE';
  const date = new Date(ts);
  const time = date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) {
    return time;
  }
  if (date.toDateString() === yesterday.toDateString()) {
    return `${yesterdayWord} ${time}`;
  }
  return `${date.toLocaleDateString(locale, { day: 'numeric', month: 'short' })} ${time}`;
}

/** The plain snapshot the caseload rules read, from a matrix-js-sdk room. */
export function snapshotOf(room, me) {
  const state = room.currentState;
  const create = state.getStateEvents('m.room.create', '');
  return {
    roomId: room.roomId,
    name: room.name,
    creator: create?.getSender() ?? null,
    topic: state.getStateEvents('m.room.topic', '')?.getContent().topic ?? '',
    joinRule: room.getJoinRule(),
    members: state.getMembers().map((member) => {
      const event = member.events.member;
      return {
        userId: member.userId,
        // A member who left or was removed keeps the name they had (in the event's previous content).
        name: event?.getContent().displayname ?? event?.getPrevContent()?.displayname ?? member.rawDisplayName ?? member.userId,
        membership: member.membership,
        previous: event?.getPrevContent()?.membership ?? null,
        powerLevel: member.powerLevel,
        ts: event?.getTs() ?? 0,
      };
    }),
    timeline: room.getLiveTimeline().getEvents().map((event) => ({
      id: event.getId(),
      sender: event.getSender(),
      kind: kindOf(event),
      ts: event.getTs(),
    })),
    readUpTo: room.getEventReadUpTo(me),
  };
}

function kindOf(event) {
  const type = event.getType();
  if (type === 'm.room.message' || (type === 'm.room.encrypted' && !event.isBeingDecrypted())) {
    return 'message';
  }
  return type === 'm.room.member' ? 'member' : 'other';
}
