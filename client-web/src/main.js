import { EntryError, checkCode, createGuest } from './api.js';
import { calendarUid, showAppointment } from './appointment.js';
import { countUnseen, loadAppearance } from './appearance.js';
import { CallHost } from './call-host.js';
import { ChatView } from './chat.js';
import { checkForm, renderConsentText } from './consent.js';
import { Conversation } from './conversation.js';
import { guardOnThisDevice } from './device-guard.js';
import { askDevice, askPin } from './device-screens.js';
import { isLineRecord } from './door.js';
import { leaveLineAsPageCloses } from './door-api.js';
import { deliverQuestion, openDoor, waitInLine } from './door-flow.js';
import { applyLanguage, pickLanguage, problemFor, translate } from './i18n.js';
import { PlainKeeper, deleteCryptoDatabases, lockedBelongsTo, storedKind, wipeDevice } from './keeper.js';
import { installQuickExit } from './quick-exit.js';
import { askAgainLine, givenLine } from './rights.js';
import { bindRights } from './rights-screen.js';
import { bindCallToggle, show as showScreen } from './screens.js';
import { belongsTo, codeFromHash, loadConversation } from './stored.js';

const storage = window.localStorage;
const $ = (id) => document.getElementById(id);
let language = pickLanguage(navigator.language);
let redraw = () => {};
/** The conversation on screen and where it is kept (memory, localStorage, or sealed under a PIN). */
let current = null;

const show = (screen) => showScreen(document, screen);
/** What the door (door-flow.js) and the rights screen (rights-screen.js) need of this page. */
const page = {
  document,
  language: () => language,
  setRedraw: (draw) => { redraw = draw; redraw(); },
  show,
  askDevice: () => askDevice(document, storage, () => language),
  enter: (account, keeper) => enter(account, keeper),
};

function setLanguage(next) {
  language = next;
  // Kept with the conversation (sealed with it under a PIN), never on its own.
  if (current) {
    current.account.language = language;
    void current.keeper.save(current.account);
  }
  applyLanguage(document, language);
  redraw();
}

function showProblem(kind) {
  redraw = () => {
    $('problem-title').textContent = translate(language, `problem${kind}Title`);
    $('problem-text').textContent = translate(language, `problem${kind}Text`);
    $('problem-next').textContent = translate(language, 'problemNext');
  };
  redraw();
  document.body.dataset.problem = kind;
  show('problem');
}

/** Too early for a planned session: when it is, a countdown, a calendar file; in at the hour. */
async function waitForAppointment(code, appointment) {
  const uid = await calendarUid(appointment.starts_at, code);
  const screen = showAppointment(document, appointment, {
    language: () => language, translate, uid,
    // The window opened: the page starts again with the same link and goes in.
    whenOpen: () => window.location.reload(),
  });
  redraw = screen.redraw;
  document.body.dataset.appointment = String(appointment.starts_at);
  show('appointment');
}

async function main() {
  applyLanguage(document, language);
  $('language').addEventListener('click', () => setLanguage(language === 'nl' ? 'en' : 'nl'));
  installQuickExit(document);
  void loadAppearance(document);
  // A new link opened in this same tab changes only the #fragment: start again with it.
  window.addEventListener('hashchange', () => window.location.reload());
  storage.removeItem('praatbrug.language'); // an earlier version kept it on its own

  const code = codeFromHash(window.location.hash);
  const kind = storedKind(storage);
  if (kind === 'plain') {
    const stored = loadConversation(storage);
    if (belongsTo(stored, code)) {
      await resume(stored, new PlainKeeper(storage));
      return;
    }
    if (isLineRecord(stored)) {
      leaveLineAsPageCloses(stored.door.ticket); // a link replaces a place in the door's line
    }
  } else if (kind === 'locked' && await lockedBelongsTo(storage, code)) {
    let opened;
    try {
      opened = await askPin(document, storage, () => language);
    } catch {
      show('wiped'); // too many wrong PINs: this device's copy is gone
      return;
    }
    language = opened.account.language ?? language;
    applyLanguage(document, language);
    await resume(opened.account, opened.keeper);
    return;
  }
  // A new link replaces an old conversation on this device; without one, leftovers of a quick
  // exit that could not finish deleting go now.
  await (kind ? wipeDevice(storage) : deleteCryptoDatabases());
  if (!code) {
    // No link: the organisation's door, if it has one (issue #27).
    if (!(await openDoor(page))) {
      showProblem('NoCode');
    }
    return;
  }
  let info;
  try {
    info = await checkCode(code);
  } catch (error) {
    if (error instanceof EntryError && error.errcode === 'BE.PRAATBRUG.APPOINTMENT_NOT_YET' && error.appointment) {
      await waitForAppointment(code, error.appointment);
      return;
    }
    showProblem(problemFor(error instanceof EntryError ? error.errcode : 'M_UNKNOWN'));
    return;
  }
  // First: whether this device is the client's alone (and a PIN), then consent.
  const keeper = await askDevice(document, storage, () => language);
  if (info.consent.on_record?.status === 'given') {
    showReturning(code, info, keeper);
  } else {
    showConsent(code, info, keeper);
  }
}

function showConsent(code, info, keeper) {
  $('organisation').textContent = info.organisation.toUpperCase();
  redraw = () => {
    const text = info.consent.texts[language] ?? info.consent.texts.nl;
    $('consent-text').replaceChildren(renderConsentText(document, text));
    // A client asked again says why: a withdrawal, or a new version of the text.
    const again = askAgainLine(info.consent.on_record, info.consent.version, language);
    $('consent-again').hidden = !again;
    $('consent-again').textContent = again ?? '';
  };
  redraw();
  $('under-12').addEventListener('change', (event) => { $('guardian').hidden = !event.target.checked; });
  // In a family session where a parent or guardian has a place of their own, they agree there.
  $('guardian-in-session-label').hidden = info.parent_in_session !== true;
  $('guardian-in-session').addEventListener('change', (event) => { $('guardian-here').hidden = event.target.checked; });
  $('consent-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const checked = checkForm({
      name: $('name').value,
      under12: $('under-12').checked,
      guardianName: $('guardian-name').value,
      guardianConsents: $('guardian-consents').checked,
      agreed: $('agreed').checked,
      guardianInSession: info.parent_in_session === true && $('guardian-in-session').checked,
    });
    if (showFieldErrors(checked.errors)) {
      return;
    }
    $('consent-submit').disabled = true;
    try {
      await startWith(code, info, keeper, checked.name, {
        name: checked.name,
        under_12: $('under-12').checked,
        guardian_name: checked.guardianName,
        guardian_consents: $('guardian-consents').checked,
        guardian_in_session: checked.guardianInSession,
        agreed: true,
      });
    } catch (error) {
      $('consent-submit').disabled = false;
      onGuestError(error, 'form-error');
    }
  });
  show('consent');
}

/**
 * A returning client whose consent to the current text is on record: the date and version, the
 * text still readable, and one button to continue (a name is optional: the counsellor knows them).
 */
function showReturning(code, info, keeper) {
  $('organisation').textContent = info.organisation.toUpperCase();
  redraw = () => {
    $('returning-given').textContent = givenLine(info.consent.on_record, language);
    const text = info.consent.texts[language] ?? info.consent.texts.nl;
    $('returning-text').replaceChildren(renderConsentText(document, text));
  };
  redraw();
  $('returning-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const typed = $('returning-name').value;
    const checked = checkForm({ name: typed || 'x', under12: false, agreed: true });
    const nameError = typed.trim() ? checked.errors.name : null;
    $('returning-name-error').hidden = !nameError;
    $('returning-name-error').textContent = nameError ? translate(language, nameError) : '';
    if (nameError) {
      $('returning-name').focus();
      return;
    }
    $('returning-continue').disabled = true;
    const name = typed.trim() ? checked.name : '';
    try {
      await startWith(code, info, keeper, name || translate(language, 'clientDefaultName'),
        { name, consent_on_record: true });
    } catch (error) {
      $('returning-continue').disabled = false;
      onGuestError(error, 'returning-error');
    }
  });
  show('returning');
}

/** Asks the bridge for this browser's guest account and enters the conversation with it. */
async function startWith(code, info, keeper, shownName, request) {
  const device = await createGuest({
    code,
    ...request,
    consent_version: info.consent.version,
    language: info.consent.texts[language] ? language : 'nl',
  });
  const account = {
    code,
    name: shownName,
    organisation: info.organisation,
    homeserver: device.homeserver,
    userId: device.user_id,
    deviceId: device.device_id,
    accessToken: device.access_token,
    roomId: device.room_id,
    knocked: false,
    language,
    // Not the counsellor page's prefix: wiping this page's leftovers must never touch that.
    storePrefix: `praatbrug-client-${device.device_id}`,
  };
  await keeper.save(account);
  await enter(account, keeper);
}

/** Shows each field's problem next to it; true when there was any. */
function showFieldErrors(errors) {
  for (const field of ['name', 'guardian_name', 'guardian_consents', 'agreed']) {
    const element = $(`${field.replace(/_/g, '-')}-error`);
    element.hidden = !errors[field];
    element.textContent = errors[field] ? translate(language, errors[field]) : '';
  }
  const first = Object.keys(errors)[0];
  if (first) {
    $(first.replace(/_/g, '-')).focus();
  }
  return Boolean(first);
}

function onGuestError(error, formErrorId) {
  const errcode = error instanceof EntryError ? error.errcode : 'NETWORK';
  if (errcode === 'M_INVALID_PARAM' && error.field && formErrorId === 'form-error') {
    showFieldErrors({ [error.field]: error.field === 'name' ? 'errorNameInvalid' : 'errorGuardianInvalid' });
    return;
  }
  const formError = $(formErrorId);
  if (errcode === 'NETWORK' || errcode === 'M_UNKNOWN') {
    formError.textContent = translate(language, 'errorNetwork');
    formError.hidden = false;
  } else if (errcode === 'BE.PRAATBRUG.CONSENT_OUTDATED' || errcode === 'BE.PRAATBRUG.CONSENT_NEEDED') {
    // The text changed, or the consent on record is no longer in force: read and agree again.
    window.location.reload();
  } else {
    showProblem(problemFor(errcode));
  }
}

/** The ended screen; after a withdrawal it says that the withdrawal was recorded. */
function showEnded(withdrawn) {
  $('ended-heading').dataset.i18n = withdrawn ? 'endedWithdrawnHeading' : 'endedHeading';
  $('ended-text').dataset.i18n = withdrawn ? 'endedWithdrawnText' : 'endedText';
  $('ended-next').dataset.i18n = withdrawn ? 'endedWithdrawnNext' : 'endedNext';
  applyLanguage(document, language);
  redraw = () => {};
  document.body.dataset.ended = withdrawn ? 'withdrawn' : 'ended';
  show('ended');
}

/** Back on this device: a place in the door's line, or a conversation. */
async function resume(account, keeper) {
  if (isLineRecord(account)) {
    $('organisation').textContent = account.organisation?.toUpperCase() ?? '';
    waitInLine(page, account, keeper);
    return;
  }
  await enter(account, keeper);
}

async function enter(account, keeper) {
  current = { account, keeper };
  $('organisation').textContent = account.organisation?.toUpperCase() ?? '';
  redraw = () => {};
  $('waiting-status').textContent = translate(language, 'waitingConnecting');
  $('waiting-next').dataset.i18n = keeper.persistent ? 'waitingNext' : 'waitingNextShared';
  $('waiting-next').textContent = translate(language, $('waiting-next').dataset.i18n);
  show('waiting');
  const conversation = new Conversation(account, { cryptoOptions: keeper.cryptoOptions(account) });
  const chat = new ChatView(document, conversation, language);
  const call = new CallHost({ container: $('call'), conversation, language, displayName: account.name });
  guardOnThisDevice({ account, keeper, conversation, call, language: () => language });
  if (account.door) {
    // Came through the door: invited by the bot once a counsellor took the ticket.
    $('waiting-heading').dataset.i18n = 'doorTaken';
    $('waiting-heading').textContent = translate(language, 'doorTaken');
    deliverQuestion(conversation, account, keeper, (key) => {
      $('door-note').dataset.i18n = key;
      $('door-note').textContent = translate(language, key);
      $('door-note').hidden = false;
    });
  }
  countUnseen(document, conversation);
  let chatBound = false;
  let withdrawing = false;
  const ended = async () => {
    await conversation.wipe();
    keeper.forget();
    showEnded(withdrawing);
  };
  const backToConversation = () => {
    if (conversation.state === 'joined') {
      redraw = () => chat.setLanguage(language);
      show('chat');
    } else if (conversation.state !== 'ended') {
      redraw = () => {};
      show('waiting');
    }
  };
  bindRights(page, account, {
    back: backToConversation,
    withdrawing: () => { withdrawing = true; },
    withdrawn: () => (conversation.state === 'ended' ? showEnded(true) : ended()),
    failed: () => { withdrawing = false; },
  });
  conversation.addEventListener('knocked', () => keeper.save(account));
  conversation.addEventListener('signal', (event) => call.feed(event.detail));
  conversation.addEventListener('state', async (event) => {
    const state = event.detail;
    document.body.dataset.conversation = state;
    const onRights = document.body.dataset.screen === 'rights';
    if (state === 'waiting') {
      $('waiting-status').textContent = translate(language, 'waitingText');
      if (!onRights) show('waiting');
    } else if (state === 'joined') {
      if (!chatBound) {
        chatBound = true;
        chat.bind();
        bindCallToggle(document, call, () => language);
        chat.showAll(conversation.messages());
      }
      $('peer-name').textContent = conversation.peerName() ?? translate(language, 'counsellor');
      if (!onRights) {
        redraw = () => chat.setLanguage(language);
        show('chat');
      }
    } else if (state === 'ended') {
      await ended();
    }
  });
  try {
    await conversation.start();
  } catch (error) {
    // A token the homeserver no longer knows: the conversation ended while the page was closed.
    if (error?.errcode === 'M_UNKNOWN_TOKEN' || error?.httpStatus === 401) {
      await conversation.wipe();
      keeper.forget();
      showEnded(false);
      return;
    }
    showProblem('Server');
  }
}

main();
