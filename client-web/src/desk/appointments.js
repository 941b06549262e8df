import { calendarFile, dayAndTime, hourOf } from '../appointment.js';
import { translate } from '../i18n.js';

/**
 * The counsellor's planned sessions on her page: read from the bridge
 * (`GET /_praatbrug/desk/v1/appointments`, her own token), shown as a list with her own calendar
 * file, and planned, moved and cancelled with the bot's own `!afspraak` commands (see Desk).
 */

/** One word of what she typed in a field: no spaces, so it cannot become a second argument. */
function word(value) {
  const trimmed = String(value ?? '').trim();
  return /^\S{1,24}$/.test(trimmed) ? trimmed : null;
}

/** `!afspraak <dag> <uur> [duur] [voor C-…]` from the plan form, or null when a field is not one word. */
export function planCommand({ day, time, length = '', ref = '' }) {
  const parts = [word(day), word(time)];
  if (parts.includes(null)) {
    return null;
  }
  if (String(length).trim()) {
    parts.push(word(length));
  }
  if (String(ref).trim()) {
    parts.push('voor', word(ref));
  }
  return parts.includes(null) ? null : `!afspraak ${parts.join(' ')}`;
}

/** `!afspraak verzet <room id> <dag> <uur> [duur]` from "dinsdag 15:00" typed in the dialog. */
export function moveCommand(roomId, typed) {
  const words = String(typed ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.length > 3 || words.some((w) => !word(w))) {
    return null;
  }
  return `!afspraak verzet ${roomId} ${words.join(' ')}`;
}

/** Her own calendar file: room handle and record (her agenda, not the client's phone). */
export function counsellorCalendar(appointment, language) {
  const who = appointment.client_ref ?? translate(language, 'deskNewClient');
  return calendarFile({
    startsAt: appointment.starts_at,
    endsAt: appointment.ends_at,
    opensAt: appointment.opens_at,
    uid: `${appointment.room_id.replace(/[^\w]/g, '')}-${appointment.starts_at}@praatbrug`,
    alarmMinutes: 10,
    language,
    summary: translate(language, 'deskCalendarSummary', { room: appointment.room_name, who }),
    description: translate(language, 'deskCalendarText', { hour: hourOf(appointment.opens_at) }),
  });
}

export class AppointmentsOfCounsellor {
  constructor(client, { url, onChange, fetchImpl = (...args) => fetch(...args) }) {
    this.client = client;
    this.url = url;
    this.onChange = onChange;
    this.fetch = fetchImpl;
    this.list = [];
  }

  async refresh() {
    const token = this.client.getAccessToken();
    if (!token) {
      return;
    }
    const response = await this.fetch(this.url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`appointments: HTTP ${response.status}`);
    }
    const { appointments = [] } = await response.json();
    const changed = JSON.stringify(appointments) !== JSON.stringify(this.list);
    this.list = appointments;
    if (changed) {
      this.onChange();
    }
  }

  ofRoom(roomId) {
    return this.list.find((appointment) => appointment.room_id === roomId) ?? null;
  }
}

/** Draws the list into `#appointments`; `actions` has `move(appointment)` and `cancel(appointment)`. */
export function renderAppointments(document, list, { language, actions }) {
  const ul = document.getElementById('appointments');
  const t = (key, values) => translate(language, key, values);
  ul.querySelectorAll('a[href^="blob:"]').forEach((a) => URL.revokeObjectURL(a.href));
  ul.replaceChildren(...list.map((appointment) => {
    const li = document.createElement('li');
    li.dataset.room = appointment.room_id;
    const when = document.createElement('span');
    when.className = 'appointment-when';
    when.textContent = `${dayAndTime(appointment.starts_at, language)}–${hourOf(appointment.ends_at)}`;
    const what = document.createElement('span');
    what.className = 'appointment-room';
    what.textContent = ` — ${appointment.room_name} — ${appointment.client_ref ?? t('deskNewClient')}`;
    const ics = document.createElement('a');
    ics.className = 'button secondary small';
    ics.dataset.action = 'appointment-ics';
    ics.download = `afspraak-${appointment.room_name}.ics`;
    ics.href = URL.createObjectURL(new Blob([counsellorCalendar(appointment, language)], { type: 'text/calendar;charset=utf-8' }));
    ics.textContent = t('deskAppointmentCalendar');
    const move = document.createElement('button');
    move.type = 'button';
    move.className = 'secondary small';
    move.dataset.action = 'appointment-move';
    move.textContent = t('deskAppointmentMove');
    move.addEventListener('click', () => actions.move(appointment));
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'danger small';
    cancel.dataset.action = 'appointment-cancel';
    cancel.textContent = t('deskAppointmentCancel');
    cancel.addEventListener('click', () => actions.cancel(appointment));
    li.append(when, what, ' ', ics, ' ', move, ' ', cancel);
    return li;
  }));
  document.getElementById('no-appointments').hidden = list.length > 0;
}
