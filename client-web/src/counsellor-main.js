import { ClientEvent } from 'matrix-js-sdk';
import { CallHost } from './call-host.js';
import { ChatView } from './chat.js';
import { Conversation } from './conversation.js';
import { Desk } from './desk/desk.js';
import { DoorDesk } from './desk/door-desk.js';
import {
  PasswordNeeded, SecretKeys, backupState, flushBackup, keepDehydratedDevice, passwordAuth, setUpBackup,
} from './desk/key-backup.js';
import { askRecoveryKey, showNewRecoveryKey } from './desk/recovery-screens.js';
import { DeskSession, SsoUnreachable, finishWipes } from './desk/session.js';
import { IdleLock } from './desk/idle-lock.js';
import { IncomingVerification } from './desk/incoming-verification.js';
import { applyLanguage, pickLanguage, translate } from './i18n.js';
import { bindCallToggle, show as showScreen } from './screens.js';

/**
 * The counsellor page: a light Matrix client for organisations (and the demo) without a Matrix web
 * client of their own. The browser keeps the counsellor's device (access token and Rust crypto
 * store in IndexedDB) across reloads, closed tabs and sign-outs on her own computer; a key backup
 * under her recovery key brings the history to any other browser. Around it: her caseload, with
 * the bot's commands as buttons, and signals while the tab is in the background.
 */
const $ = (id) => document.getElementById(id);
const FLASH = 'praatbrug.desk.flash';
// Set while a single sign-on is under way only to get a new device (the kept one was lost).
const FRESH_DEVICE = 'praatbrug.desk.freshDevice';
let language = localStorage.getItem('praatbrug.language') ?? pickLanguage(navigator.language);
const keys = new SecretKeys();
let session = null;
let desk = null;
let door = null;
let open = null; // { conversation, chat, roomId }
let restoreSkipped = false;
let usesSso = false;

const show = (screen) => showScreen(document, screen);
const t = (key, values) => translate(language, key, values);

async function main() {
  applyLanguage(document, language);
  $('language').addEventListener('click', switchLanguage);
  $('lock').addEventListener('click', () => lock('locked'));
  $('sign-out').addEventListener('click', askSignOut);
  const config = await (await fetch(new URL('../_praatbrug/desk/v1/config', document.baseURI))).json();
  if (!(await holdDeviceLock())) {
    show('other-tab');
    return;
  }
  await finishWipes(config.homeserver);
  const loginToken = takeLoginToken();
  if (loginToken) {
    if (!(await signInWithToken(config, loginToken))) {
      return;
    }
  } else {
    try {
      session = await DeskSession.resume(keys.callbacks);
    } catch {
      session = null; // homeserver unreachable: sign in again once it answers
    }
  }
  try {
    if (session) {
      await enter(config, null);
    } else {
      await showSignIn(config);
    }
  } catch (error) {
    startFailed(error);
  }
}

/** The homeserver did not answer while starting: say so, and offer to try again. */
function startFailed(error) {
  console.warn('Praatbrug: could not start', error);
  $('starting-status').textContent = t('deskStartFailed');
  $('starting-retry').hidden = false;
  $('starting-retry').onclick = () => window.location.reload();
  show('starting');
  $('starting-retry').focus();
}

function switchLanguage() {
  language = language === 'nl' ? 'en' : 'nl';
  localStorage.setItem('praatbrug.language', language);
  applyLanguage(document, language);
  desk?.setLanguage(language);
  door?.setLanguage();
  open?.chat.setLanguage(language);
}

/**
 * One device per browser: two tabs on one crypto store would corrupt it, so a second tab of the
 * page says so instead of starting (Web Locks; released when the tab closes or reloads).
 */
function holdDeviceLock() {
  if (!navigator.locks) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    navigator.locks.request('praatbrug-desk-device', { ifAvailable: true }, (held) => {
      resolve(Boolean(held));
      return held ? new Promise(() => {}) : undefined;
    });
  });
}

/** The login token single sign-on brought back, taken out of the address bar (and history). */
function takeLoginToken() {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('loginToken');
  if (token) {
    url.searchParams.delete('loginToken');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return token;
}

/** Finishes a single sign-on; false when the page went elsewhere or shows the sign-in again. */
async function signInWithToken(config, loginToken) {
  const fresh = sessionStorage.getItem(FRESH_DEVICE) === '1';
  sessionStorage.removeItem(FRESH_DEVICE);
  try {
    session = await DeskSession.signInWithToken(config.homeserver, loginToken, keys.callbacks, { fresh });
  } catch (error) {
    console.warn('Praatbrug: login token refused', error);
    session = null;
    await showSignIn(config, t('signInTokenFailed'));
    return false;
  }
  if (!session && !fresh) {
    // The kept device was lost on the homeserver: once more through single sign-on for a new one.
    sessionStorage.setItem(FRESH_DEVICE, '1');
    await goToSso(config);
    return false;
  }
  return true;
}

async function goToSso(config) {
  $('sign-in-sso-error').hidden = true;
  $('sign-in-sso').disabled = true;
  try {
    window.location.assign(await DeskSession.ssoAddress(config.homeserver, pageAddress()));
  } catch (error) {
    if (!(error instanceof SsoUnreachable)) {
      console.warn('Praatbrug: single sign-on', error);
    }
    $('sign-in-sso-error').textContent = t('signInSsoUnreachable');
    $('sign-in-sso-error').hidden = false;
    $('sign-in-sso').disabled = false;
    show('sign-in');
  }
}

function pageAddress() {
  return window.location.href.split('#')[0].split('?')[0];
}

async function showSignIn(config, error = null) {
  const flows = await DeskSession.signInFlows(config.homeserver).catch(() => ({ sso: false, password: true }));
  $('sign-in-form').hidden = !flows.password;
  $('sign-in-sso-block').hidden = !flows.sso;
  $('sign-in-sso').onclick = () => goToSso(config);
  $('sign-in-sso-error').textContent = error ?? '';
  $('sign-in-sso-error').hidden = !error;
  const flash = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  $('sign-in-flash').hidden = !flash;
  $('sign-in-flash').textContent = flash ? t(`deskFlash_${flash}`) : '';
  const last = await DeskSession.lastUser().catch(() => null);
  if (last) {
    $('user').value = last.slice(1, last.indexOf(':'));
  }
  $('sign-in-kept').hidden = !last;
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sign-in').disabled = true;
    $('sign-in-error').hidden = true;
    const password = $('password').value;
    try {
      session = await DeskSession.signIn(config.homeserver, $('user').value.trim(), password, keys.callbacks);
    } catch {
      $('sign-in-error').textContent = t('signInFailed');
      $('sign-in-error').hidden = false;
      $('sign-in').disabled = false;
      return;
    }
    $('password').value = '';
    await enter(config, password).catch(startFailed);
  });
  show('sign-in');
  if (!flows.password) {
    $('sign-in-sso').focus();
    return;
  }
  (last ? $('password') : $('user')).focus();
}

/** Starts the device; on the first sign-in sets up the key backup, in a new browser restores it. */
async function enter(config, password) {
  show('starting');
  usesSso = !password && (await DeskSession.signInFlows(config.homeserver).catch(() => ({ sso: false }))).sso;
  await session.start();
  session.addEventListener('ended', () => wipeAndLeave(usesSso ? 'ended' : 'gone'));
  $('who').textContent = session.record.displayName ?? session.userId;
  $('lock').hidden = false;
  $('sign-out').hidden = false;
  // The policy's idle time: a page left open locks and asks to sign in again; never during a call.
  new IdleLock({ limitMs: (config.idle_lock_seconds ?? 0) * 1000, onIdle: () => lock('idle'),
    busy: () => Boolean(open?.call?.iframe) }).watch(document);
  const client = session.client;
  const state = await backupState(client);
  console.info(`praatbrug: key backup ${state}`);
  if (state === 'setup') {
    try {
      const recoveryKey = await setUpBackup(client, passwordAuth(session.userId, password));
      await showNewRecoveryKey(recoveryKey, () => language);
    } catch (error) {
      // The account has cross-signing keys from elsewhere: replacing them needs the password.
      if (error instanceof PasswordNeeded) {
        await lock('needPassword');
        return;
      }
      throw error;
    }
  } else if (state === 'restore') {
    restoreSkipped = (await askRecoveryKey(client, keys, { language: () => language, password: () => password })) === 'skipped';
  } else {
    // After the next sync: a first sync of this device repeated within minutes may be Synapse's
    // cached answer, without the latest secret storage (see key-backup.js).
    client.once(ClientEvent.Sync, () => keepDehydratedDevice(client, { onlyIfKeyCached: true }));
  }
  password = null;
  openDesk(config);
}

function openDesk(config) {
  desk = new Desk(session.client, { bot: config.bot_user_id, language: () => language, open: openRoom });
  desk.onChange = (count) => {
    for (const badge of document.querySelectorAll('.attention-count')) {
      badge.textContent = count > 0 ? `(${count})` : '';
    }
  };
  desk.start();
  // The door's waiting line (issue #27), through the same chat with the bot.
  door = new DoorDesk(session.client, { channel: desk.channel, ready: desk.channelReady, language: () => language, open: openRoom });
  door.start();
  new IncomingVerification(session.client, { language: () => language }).start();
  $('restore-offer').hidden = !restoreSkipped;
  $('restore-open').addEventListener('click', async () => {
    const outcome = await askRecoveryKey(session.client, keys, { language: () => language, password: () => null });
    restoreSkipped = outcome === 'skipped';
    $('restore-offer').hidden = !restoreSkipped;
    showRooms();
  });
  document.addEventListener('click', (event) => {
    if (event.target.closest('.back-to-rooms')) {
      showRooms();
    }
  });
  showRooms();
}

function showRooms() {
  const previous = open?.roomId;
  closeRoom();
  desk.render();
  show('rooms');
  const back = previous && document.querySelector(`#rooms button[data-room-id="${CSS.escape(previous)}"]`);
  (back || $('new-room')).focus();
}

function closeRoom() {
  if (open) {
    open.conversation.wipe(); // stops listening; the shared client keeps running
    $('screen-chat').replaceChildren();
    open = null;
  }
}

async function openRoom(roomId) {
  closeRoom();
  show('waiting');
  const section = $('screen-chat');
  section.replaceChildren($('chat-template').content.cloneNode(true));
  applyLanguage(document, language);
  desk.render(); // fills the back button's count
  // Files in the room are fetched and registered with her own token.
  const { homeserver, accessToken } = session.record;
  const account = { userId: session.userId, roomId, mayKnock: false, homeserver, accessToken };
  const conversation = new Conversation(account, { sharedClient: session.client });
  const chat = new ChatView(document, conversation, language);
  const call = new CallHost({
    container: $('call'), conversation, language, displayName: session.record.displayName ?? session.userId, moderator: true,
  });
  // Someone taken out of a family session's call (the button under their video) leaves the room too.
  window.praatbrugRemoved = (userId, name) => desk.removeParticipant(roomId, userId, name);
  open = { conversation, chat, roomId, call };
  conversation.addEventListener('signal', (event) => call.feed(event.detail));
  conversation.addEventListener('state', (event) => {
    if (open?.conversation !== conversation) {
      return;
    }
    if (event.detail === 'joined') {
      chat.bind();
      chat.showAll(conversation.messages());
      $('peer-name').textContent = conversation.peerName() ?? desk.row(roomId)?.client?.name ?? '—';
      const ended = desk.row(roomId)?.state === 'ended';
      $('composer').hidden = ended;
      $('call-toggle').hidden = ended;
      $('chat-ended').hidden = !ended;
      bindCallToggle(document, call, () => language);
      $('older').addEventListener('click', () => readFurtherBack(conversation, chat));
      show('chat');
      $(ended ? 'older' : 'message').focus();
    } else if (event.detail === 'ended') {
      show('ended');
    }
  });
  await conversation.start();
}

/** Earlier messages than the first sync brought (each opened room starts with the last few dozen). */
async function readFurtherBack(conversation, chat) {
  const list = $('messages');
  const fromBottom = list.scrollHeight - list.scrollTop;
  const more = await session.client.scrollback(conversation.room, 30).catch(() => null);
  chat.showAll(conversation.messages());
  list.scrollTop = list.scrollHeight - fromBottom;
  if (!more?.getLiveTimeline().getPaginationToken('b')) {
    $('older').hidden = true;
  }
}

function askSignOut() {
  const dialog = $('sign-out-dialog');
  const buttons = ['sign-out-own', 'sign-out-shared', 'sign-out-cancel'].map($);
  buttons.forEach((button) => { button.disabled = false; });
  $('sign-out-progress').hidden = true;
  $('sign-out-no-backup').hidden = !restoreSkipped;
  $('sign-out-own').onclick = () => { dialog.close(); lock('signedOut'); };
  $('sign-out-cancel').onclick = () => dialog.close();
  $('sign-out-shared').onclick = async () => {
    buttons.forEach((button) => { button.disabled = true; });
    $('sign-out-progress').hidden = false;
    closeRoom();
    await session.signOutShared(() => flushBackup(session.client));
    keys.forget();
    sessionStorage.setItem(FLASH, 'wiped');
    window.location.reload();
  };
  dialog.showModal();
  $('sign-out-own').focus();
}

/** Locking, or signing out on one's own computer: the device stays, the password brings it back. */
async function lock(flash) {
  closeRoom();
  await session?.lock();
  keys.forget();
  sessionStorage.setItem(FLASH, flash);
  window.location.reload();
}

async function wipeAndLeave(flash) {
  closeRoom();
  await session?.wipe();
  keys.forget();
  sessionStorage.setItem(FLASH, flash);
  window.location.reload();
}

main();
