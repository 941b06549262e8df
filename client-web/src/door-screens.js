import { doorView, formatOpening, hoursByDay, telHref, waitWords } from './door.js';
import { translate } from './i18n.js';

/**
 * Drawing the door's screens from the bridge's answers: the door itself (who answers, the wait,
 * what is kept, the crisis numbers, and why it is closed), and the place in the waiting line.
 * Everything goes in as text; crisis numbers become `tel:` links a phone can call at once.
 */

const DAY_NAMES = {
  nl: { mon: 'maandag', tue: 'dinsdag', wed: 'woensdag', thu: 'donderdag', fri: 'vrijdag', sat: 'zaterdag', sun: 'zondag' },
  en: { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' },
};

/** The crisis numbers as a list of call links: "Zelfmoordlijn: 1813 (dag en nacht, gratis)". */
export function renderCrisis(document, list, crisis) {
  list.replaceChildren(...(crisis ?? []).map((entry) => {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = telHref(entry.number);
    link.textContent = entry.name && entry.name !== entry.number ? `${entry.name}: ${entry.number}` : entry.number;
    item.append(link);
    if (entry.note) {
      const note = document.createElement('small');
      note.textContent = ` (${entry.note})`;
      item.append(note);
    }
    return item;
  }));
}

/** The door for `status` in `language`; returns the view (open or closed, and why). */
export function renderDoor(document, status, language) {
  const $ = (id) => document.getElementById(id);
  const t = (key, values) => translate(language, key, values);
  const view = doorView(status);
  const organisation = (status.organisation ?? '').toUpperCase();
  $('door-who').textContent = t('doorWho', { organisation });
  $('door-closed').hidden = view.kind !== 'closed';
  $('door-closed-why').textContent = view.reasonKey ? t(view.reasonKey) : '';
  const opening = view.kind === 'closed' ? formatOpening(status.next_opening, language) : null;
  $('door-next-opening').hidden = !opening;
  $('door-next-opening').textContent = opening ? t('doorNextOpening', opening) : '';
  renderCrisis(document, $('door-crisis'), status.crisis);
  $('door-open-info').hidden = view.kind !== 'open';
  const [waitKey, waitValues] = waitWords(status.estimate_minutes);
  $('door-wait').textContent = t(waitKey, waitValues);
  $('door-waiting').textContent = t('doorWaiting', { waiting: status.waiting ?? 0, onDuty: status.on_duty ?? 0 });
  $('door-kept').textContent = t('doorKept', { days: status.retention_days ?? '—' });
  const days = hoursByDay(status.hours);
  $('door-hours-block').hidden = days.length === 0;
  $('door-hours').replaceChildren(...days.map(({ day, spans }) => {
    const item = document.createElement('li');
    item.textContent = `${DAY_NAMES[language]?.[day] ?? day}: ${spans.join(', ')}`;
    return item;
  }));
  // Closed: no way to ask a question here, only the numbers and the way in with a code.
  $('door-start').hidden = view.kind !== 'open';
  document.body.dataset.door = view.kind === 'closed' ? view.reason : view.kind;
  return view;
}

/** The consent screen as the door uses it: a nickname, the first question, no guardian. */
export function consentForDoor(document) {
  const $ = (id) => document.getElementById(id);
  $('consent-intro').dataset.i18n = 'doorConsentIntro';
  $('name-label').dataset.i18n = 'doorNicknameLabel';
  $('name-hint').dataset.i18n = 'doorNicknameHint';
  $('name').autocomplete = 'off';
  $('consent-submit').dataset.i18n = 'doorSubmit';
  $('under-12-label').hidden = true;
  $('question-block').hidden = false;
}

/** The waiting screen for a ticket's state (`waiting`): number, place, estimate. */
export function renderLine(document, state, language, { persistent, problem = false }) {
  const $ = (id) => document.getElementById(id);
  const t = (key, values) => translate(language, key, values);
  $('line-number').textContent = state?.number ? t('lineNumber', { number: state.number }) : '';
  if (state?.place) {
    $('line-place').textContent = state.place === 1 ? t('linePlaceFirst') : t('linePlace', { place: state.place });
    const [waitKey, waitValues] = waitWords(state.estimate_minutes);
    $('line-estimate').textContent = t(waitKey, waitValues);
  } else {
    $('line-place').textContent = t('lineChecking');
    $('line-estimate').textContent = '';
  }
  $('line-problem').hidden = !problem;
  $('line-problem').textContent = problem ? t('lineOffline') : '';
  $('line-next').textContent = t(persistent ? 'lineNext' : 'lineNextShared');
  document.body.dataset.place = String(state?.place ?? '');
}

/** The screen after the line: left on purpose, or the ticket is gone (404). */
export function renderLineGone(document, language, left) {
  const $ = (id) => document.getElementById(id);
  $('line-gone-heading').dataset.i18n = left ? 'lineLeftHeading' : 'lineGoneHeading';
  $('line-gone-text').dataset.i18n = left ? 'lineLeftText' : 'lineGoneText';
  $('line-gone-heading').textContent = translate(language, $('line-gone-heading').dataset.i18n);
  $('line-gone-text').textContent = translate(language, $('line-gone-text').dataset.i18n);
  document.body.dataset.line = left ? 'left' : 'gone';
}
