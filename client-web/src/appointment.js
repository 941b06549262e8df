/**
 * A planned session on the client page: when it starts in words ("Je gesprek begint dinsdag
 * 10 december om 14:00"), how long until then, and a calendar file with a reminder.
 *
 * Pure except for `showAppointment`, which fills the screen. Times are shown in Europe/Brussels,
 * wherever the phone thinks it is: the counsellor planned them there.
 */

export const ZONE = 'Europe/Brussels';
const LOCALES = { nl: 'nl-BE', en: 'en-GB' };

function parts(ms, language) {
  const format = new Intl.DateTimeFormat(LOCALES[language] ?? 'nl-BE', {
    timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
}

/** `dinsdag 10 december om 14:00` / `Tuesday 10 December at 14:00`. */
export function dayAndTime(ms, language) {
  const p = parts(ms, language);
  return language === 'en'
    ? `${p.weekday} ${p.day} ${p.month} at ${p.hour}:${p.minute}`
    : `${p.weekday} ${p.day} ${p.month} om ${p.hour}:${p.minute}`;
}

/** `14:00` in Brussels. */
export function hourOf(ms) {
  const p = parts(ms, 'nl');
  return `${p.hour}:${p.minute}`;
}

/** `nog 2 dagen en 3 uur`, `nog 1 uur en 5 minuten`, `nog 4 minuten`; null once it is time. */
export function countdown(msLeft, language) {
  if (msLeft <= 0) {
    return null;
  }
  const minutes = Math.ceil(msLeft / 60000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const nl = language !== 'en';
  const unit = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const d = nl ? unit(days, 'dag', 'dagen') : unit(days, 'day', 'days');
  const h = nl ? unit(hours, 'uur', 'uur') : unit(hours, 'hour', 'hours');
  const m = nl ? unit(rest, 'minuut', 'minuten') : unit(rest, 'minute', 'minutes');
  const and = nl ? 'en' : 'and';
  const left = days > 0 ? (hours > 0 ? `${d} ${and} ${h}` : d)
    : hours > 0 ? (rest > 0 ? `${h} ${and} ${m}` : h) : m;
  return nl ? `nog ${left}` : `${left} to go`;
}

function icsTime(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function icsText(text) {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\n/g, '\\n');
}

/**
 * An iCalendar file for the client's own agenda, reminding them `alarmMinutes` before. It says
 * only "Afspraak" and when the link opens: a shared phone's calendar must not give the
 * conversation away (no organisation, no link, no counsellor).
 */
export function calendarFile({
  startsAt, endsAt, opensAt, uid, now = Date.now(), alarmMinutes = 15, language = 'nl', summary: title = null, description: text = null,
}) {
  const en = language === 'en';
  const summary = title ?? (en ? 'Appointment' : 'Afspraak');
  const description = text ?? (en
    ? `Open the link you were given, from ${hourOf(opensAt)}.`
    : `Open de link die je kreeg, vanaf ${hourOf(opensAt)}.`);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Praatbrug//Afspraak//NL',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${icsTime(now)}`,
    `DTSTART:${icsTime(startsAt)}`,
    `DTEND:${icsTime(endsAt)}`,
    `SUMMARY:${icsText(summary)}`,
    `DESCRIPTION:${icsText(description)}`,
    'BEGIN:VALARM',
    'ACTION:DISPLAY',
    `DESCRIPTION:${icsText(summary)}`,
    `TRIGGER:-PT${alarmMinutes}M`,
    'END:VALARM',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A stable uid per appointment that reveals nothing: a hash of its start and the link. */
export async function calendarUid(startsAt, code) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${startsAt}|${code}`));
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex}@praatbrug`;
}

/**
 * Fills the appointment screen and keeps its countdown going; calls `whenOpen` once the link's
 * window opens. Returns a function that stops the timers.
 */
export function showAppointment(document, appointment, { language, translate, uid, whenOpen, now = () => Date.now() }) {
  const $ = (id) => document.getElementById(id);
  const draw = () => {
    const lang = language();
    $('appointment-when').textContent = translate(lang, 'appointmentStarts', { when: dayAndTime(appointment.starts_at, lang) });
    $('appointment-opens').textContent = translate(lang, 'appointmentOpens', { hour: hourOf(appointment.opens_at) });
    $('appointment-countdown').textContent = countdown(appointment.starts_at - now(), lang) ?? '';
    const file = calendarFile({
      startsAt: appointment.starts_at, endsAt: appointment.ends_at, opensAt: appointment.opens_at,
      uid, language: lang,
    });
    const link = $('appointment-ics');
    if (link.dataset.file !== file) {
      if (link.href.startsWith('blob:')) {
        URL.revokeObjectURL(link.href);
      }
      link.href = URL.createObjectURL(new Blob([file], { type: 'text/calendar;charset=utf-8' }));
      link.dataset.file = file;
    }
  };
  draw();
  const ticking = setInterval(draw, 15000);
  const opening = setTimeout(() => {
    clearInterval(ticking);
    whenOpen();
  }, Math.max(0, Math.min(appointment.opens_at - now() + 500, 2 ** 31 - 1)));
  return { redraw: draw, stop: () => { clearInterval(ticking); clearTimeout(opening); } };
}
