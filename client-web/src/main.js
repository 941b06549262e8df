import { EntryError, checkCode, createGuest } from './api.js';
import { CallHost } from './call-host.js';
import { ChatView } from './chat.js';
import { checkForm, renderConsentText } from './consent.js';
import { Conversation } from './conversation.js';
import { applyLanguage, pickLanguage, problemFor, translate } from './i18n.js';
import { bindCallToggle, show as showScreen } from './screens.js';
import { belongsTo, codeFromHash, forgetConversation, loadConversation, saveConversation } from './stored.js';

const storage = window.localStorage;
const $ = (id) => document.getElementById(id);
let language = storage.getItem('praatbrug.language') ?? pickLanguage(navigator.language);
let redraw = () => {};

const show = (screen) => showScreen(document, screen);

function setLanguage(next) {
  language = next;
  storage.setItem('praatbrug.language', language);
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

async function main() {
  applyLanguage(document, language);
  $('language').addEventListener('click', () => setLanguage(language === 'nl' ? 'en' : 'nl'));
  // The page shell works offline once installed; messages and keys never go through the worker.
  navigator.serviceWorker?.register('./sw.js', { scope: './' }).catch(() => {});

  const code = codeFromHash(window.location.hash);
  const stored = loadConversation(storage);
  if (stored && belongsTo(stored, code)) {
    await enter(stored);
    return;
  }
  if (stored) {
    // A new link replaces an old conversation on this device.
    await new Conversation(stored).wipe();
    forgetConversation(storage);
  }
  if (!code) {
    showProblem('NoCode');
    return;
  }
  try {
    showConsent(code, await checkCode(code));
  } catch (error) {
    showProblem(problemFor(error instanceof EntryError ? error.errcode : 'M_UNKNOWN'));
  }
}

function showConsent(code, info) {
  $('organisation').textContent = info.organisation.toUpperCase();
  redraw = () => {
    const text = info.consent.texts[language] ?? info.consent.texts.nl;
    $('consent-text').replaceChildren(renderConsentText(document, text));
  };
  redraw();
  $('under-12').addEventListener('change', (event) => { $('guardian').hidden = !event.target.checked; });
  $('consent-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const checked = checkForm({
      name: $('name').value,
      under12: $('under-12').checked,
      guardianName: $('guardian-name').value,
      guardianConsents: $('guardian-consents').checked,
      agreed: $('agreed').checked,
    });
    if (showFieldErrors(checked.errors)) {
      return;
    }
    $('consent-submit').disabled = true;
    try {
      const device = await createGuest({
        code,
        name: checked.name,
        under_12: $('under-12').checked,
        guardian_name: checked.guardianName,
        guardian_consents: $('guardian-consents').checked,
        agreed: true,
        consent_version: info.consent.version,
        language: info.consent.texts[language] ? language : 'nl',
      });
      const account = {
        code,
        name: checked.name,
        organisation: info.organisation,
        homeserver: device.homeserver,
        userId: device.user_id,
        deviceId: device.device_id,
        accessToken: device.access_token,
        roomId: device.room_id,
        knocked: false,
      };
      saveConversation(storage, account);
      await enter(account);
    } catch (error) {
      $('consent-submit').disabled = false;
      onGuestError(error);
    }
  });
  show('consent');
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

function onGuestError(error) {
  const errcode = error instanceof EntryError ? error.errcode : 'NETWORK';
  if (errcode === 'M_INVALID_PARAM' && error.field) {
    showFieldErrors({ [error.field]: error.field === 'name' ? 'errorNameInvalid' : 'errorGuardianInvalid' });
    return;
  }
  const formError = $('form-error');
  if (errcode === 'NETWORK' || errcode === 'M_UNKNOWN') {
    formError.textContent = translate(language, 'errorNetwork');
    formError.hidden = false;
  } else if (errcode === 'BE.PRAATBRUG.CONSENT_OUTDATED') {
    window.location.reload();
  } else {
    showProblem(problemFor(errcode));
  }
}

async function enter(account) {
  $('organisation').textContent = account.organisation?.toUpperCase() ?? '';
  redraw = () => {};
  $('waiting-status').textContent = translate(language, 'waitingConnecting');
  show('waiting');
  const conversation = new Conversation(account);
  const chat = new ChatView(document, conversation, language);
  const call = new CallHost({ container: $('call'), conversation, language, displayName: account.name });
  let chatBound = false;
  conversation.addEventListener('knocked', () => saveConversation(storage, account));
  conversation.addEventListener('signal', (event) => call.feed(event.detail));
  conversation.addEventListener('state', async (event) => {
    const state = event.detail;
    document.body.dataset.conversation = state;
    if (state === 'waiting') {
      $('waiting-status').textContent = translate(language, 'waitingText');
      show('waiting');
    } else if (state === 'joined') {
      if (!chatBound) {
        chatBound = true;
        chat.bind();
        bindCallToggle(document, call, () => language);
        chat.showAll(conversation.messages());
      }
      $('peer-name').textContent = conversation.peerName() ?? translate(language, 'counsellor');
      redraw = () => chat.setLanguage(language);
      show('chat');
    } else if (state === 'ended') {
      await conversation.wipe();
      forgetConversation(storage);
      redraw = () => {};
      show('ended');
    }
  });
  try {
    await conversation.start();
  } catch (error) {
    // A token the homeserver no longer knows: the conversation ended while the page was closed.
    if (error?.errcode === 'M_UNKNOWN_TOKEN' || error?.httpStatus === 401) {
      await conversation.wipe();
      forgetConversation(storage);
      show('ended');
      return;
    }
    showProblem('Server');
  }
}

main();
