import { translate } from './i18n.js';

/**
 * The client's own rights on the page: the returning client's confirmation, and what the
 * organisation keeps (from the bridge's summary of the ledger: kinds, dates, durations; never
 * content). The line builders are pure, so the unit tests read them without a browser; the page
 * inserts every line as text, never as HTML.
 */

const LOCALES = { nl: 'nl-BE', en: 'en-GB' };
const ZONE = 'Europe/Brussels';

export function formatDay(ms, language) {
  return new Intl.DateTimeFormat(LOCALES[language] ?? 'nl-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE })
    .format(new Date(ms));
}

export function formatTime(ms, language) {
  return new Intl.DateTimeFormat(LOCALES[language] ?? 'nl-BE', { hour: '2-digit', minute: '2-digit', timeZone: ZONE })
    .format(new Date(ms));
}

/** Consent texts are versioned v1, v2, …; people read "versie 1". */
export function versionNumber(version) {
  return String(version ?? '').replace(/^v/i, '');
}

/** "Je gaf toestemming op 3 december 2026 (versie 1)." for a consent on record. */
export function givenLine(onRecord, language) {
  return translate(language, 'returningGiven', {
    day: formatDay(onRecord.given_at, language), version: versionNumber(onRecord.version),
  });
}

/** Why the form asks again, or null for a first consent. */
export function askAgainLine(onRecord, currentVersion, language) {
  if (onRecord?.status === 'withdrawn') {
    return translate(language, 'consentAgainWithdrawn');
  }
  if (onRecord?.status === 'new_version') {
    return translate(language, 'consentAgainNewVersion', { version: versionNumber(currentVersion) });
  }
  return null;
}

const CHANNELS = { link: 'rightsChannelLink', web: 'rightsChannelLink', matrix: 'rightsChannelMatrix', counsellor: 'rightsChannelCounsellor' };
const EVENTS = {
  knock_admitted: 'rightsAdmitted',
  knock_denied: 'rightsDenied',
  policy_violation_removed: 'rightsRemoved',
  referral_started: 'rightsReferral',
  personal_data_erased: 'rightsErased',
};

/** Every kept item as one sentence, in time order, then the label note. */
export function keptLines(summary, language) {
  const dated = [];
  const t = (key, values) => translate(language, key, values);
  for (const consent of summary.consents ?? []) {
    const values = {
      day: formatDay(consent.at, language), version: versionNumber(consent.version),
      channel: t(CHANNELS[consent.channel] ?? 'rightsChannelLink'),
    };
    const key = !consent.given ? 'rightsConsentWithdrawn' : consent.guardian ? 'rightsConsentGuardian' : 'rightsConsentGiven';
    dated.push([consent.at, t(key, values)]);
  }
  for (const session of summary.sessions ?? []) {
    const values = {
      day: formatDay(session.started_at, language), start: formatTime(session.started_at, language),
      end: session.ended_at ? formatTime(session.ended_at, language) : '',
      minutes: Math.round((session.duration_seconds ?? 0) / 60),
    };
    const key = !session.ended_at ? 'rightsSessionRunning'
      : (session.duration_seconds ?? 0) < 60 ? 'rightsSessionShort' : 'rightsSession';
    dated.push([session.started_at, t(key, values)]);
  }
  for (const event of summary.events ?? []) {
    if (EVENTS[event.kind]) {
      dated.push([event.at, t(EVENTS[event.kind], { day: formatDay(event.at, language) })]);
    }
  }
  dated.sort((a, b) => a[0] - b[0]);
  const lines = [];
  if (summary.record_since) {
    lines.push(t('rightsRecordSince', { day: formatDay(summary.record_since, language) }));
  }
  lines.push(...dated.map(([, line]) => line));
  if (summary.label) {
    lines.push(t('rightsLabel'));
  }
  return lines;
}

/** Whom to ask for a correction or erasure: the sentence, then the ways to reach them. */
export function askLines(summary, language) {
  const t = (key, values) => translate(language, key, values);
  const contact = summary.contact;
  const sentence = contact
    ? t('rightsAskContact', { contact: contact.contact, ref: summary.client_ref })
    : t('rightsAskCounsellor', { ref: summary.client_ref });
  const ways = [];
  if (contact?.email) ways.push(t('rightsEmail', { email: contact.email }));
  if (contact?.phone) ways.push(t('rightsPhone', { phone: contact.phone }));
  if (contact?.url) ways.push(t('rightsWebsite', { url: contact.url }));
  return { sentence, ways };
}

/** Fills the rights screen from the bridge's summary. */
export function renderRights(document, summary, language) {
  const $ = (id) => document.getElementById(id);
  const item = (text) => Object.assign(document.createElement('li'), { textContent: text });
  $('rights-intro').textContent = translate(language, 'rightsKeptIntro', { ref: summary.client_ref });
  $('rights-kept').replaceChildren(...keptLines(summary, language).map(item));
  $('rights-messages').textContent = translate(language, 'rightsMessages', { days: summary.messages_kept_days });
  const ask = askLines(summary, language);
  $('rights-ask').textContent = ask.sentence;
  $('rights-contact').replaceChildren(...ask.ways.map(item));
  $('rights-complaint').textContent = translate(language, 'rightsComplaint');
}
