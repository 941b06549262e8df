import { CallHost } from './call-host.js';
import { ChatView } from './chat.js';
import { Conversation } from './conversation.js';
import { applyLanguage, pickLanguage, translate } from './i18n.js';
import { bindCallToggle, show as showScreen } from './screens.js';

/**
 * The counsellor page: a light Matrix client for the counsellor's side of a counselling room, for
 * organisations (and the demo) without a Matrix web client of their own. Sign in with the
 * organisation's account, pick a counselling room, then the same end-to-end encrypted chat and call
 * widget as the client page. The session lives in this tab only (sessionStorage); signing out
 * ends it on the homeserver and wipes the keys from the browser.
 */
const SESSION = 'praatbrug.counsellor';
const $ = (id) => document.getElementById(id);
let language = sessionStorage.getItem('praatbrug.language') ?? pickLanguage(navigator.language);
let conversation = null;

const show = (screen) => showScreen(document, screen);

async function matrix(session, method, path, body) {
  const response = await fetch(`${session.homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(session.accessToken ? { Authorization: `Bearer ${session.accessToken}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw Object.assign(new Error(json.error ?? `HTTP ${response.status}`), { errcode: json.errcode, status: response.status });
  }
  return json;
}

async function main() {
  applyLanguage(document, language);
  $('language').addEventListener('click', () => {
    language = language === 'nl' ? 'en' : 'nl';
    sessionStorage.setItem('praatbrug.language', language);
    applyLanguage(document, language);
  });
  $('sign-out').addEventListener('click', signOut);
  const config = await (await fetch(new URL('../_praatbrug/entry/v1/config', document.baseURI))).json();
  const saved = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
  if (saved) {
    await showRooms(saved);
    return;
  }
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sign-in').disabled = true;
    try {
      const login = await matrix({ homeserver: config.homeserver }, 'POST', '/login', {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: $('user').value.trim() },
        password: $('password').value,
        initial_device_display_name: 'Praatbrug hulpverlener (browser)',
      });
      $('password').value = '';
      const session = { homeserver: config.homeserver, userId: login.user_id, accessToken: login.access_token, deviceId: login.device_id };
      // The name the client sees under the counsellor's video.
      session.displayName = (await matrix(session, 'GET', `/profile/${encodeURIComponent(login.user_id)}/displayname`)
        .catch(() => ({}))).displayname ?? login.user_id;
      sessionStorage.setItem(SESSION, JSON.stringify(session));
      await showRooms(session);
    } catch {
      $('sign-in-error').textContent = translate(language, 'signInFailed');
      $('sign-in-error').hidden = false;
    } finally {
      $('sign-in').disabled = false;
    }
  });
  show('sign-in');
}

/** Counselling rooms (join rule knock) the counsellor is in or invited to. */
async function showRooms(session) {
  $('who').textContent = session.userId;
  $('sign-out').hidden = false;
  const filter = JSON.stringify({ room: { timeline: { limit: 1 }, ephemeral: { types: [] } }, presence: { types: [] } });
  const sync = await matrix(session, 'GET', `/sync?timeout=0&filter=${encodeURIComponent(filter)}`);
  const rooms = [];
  for (const [roomId, room] of Object.entries(sync.rooms?.join ?? {})) {
    rooms.push({ roomId, state: [...(room.state?.events ?? []), ...(room.timeline?.events ?? [])], invited: false });
  }
  for (const [roomId, room] of Object.entries(sync.rooms?.invite ?? {})) {
    rooms.push({ roomId, state: room.invite_state?.events ?? [], invited: true });
  }
  const list = $('rooms');
  list.replaceChildren();
  for (const room of rooms) {
    const joinRule = room.state.find((e) => e.type === 'm.room.join_rules')?.content?.join_rule;
    if (joinRule !== 'knock') {
      continue;
    }
    const name = room.state.find((e) => e.type === 'm.room.name')?.content?.name ?? room.roomId;
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary room';
    button.dataset.roomId = room.roomId;
    button.textContent = room.invited ? `${name} (${translate(language, 'invited')})` : name;
    button.addEventListener('click', () => openRoom(session, room.roomId));
    item.append(button);
    list.append(item);
  }
  $('no-rooms').hidden = list.children.length > 0;
  show('rooms');
}

async function openRoom(session, roomId) {
  show('waiting');
  const account = { ...session, roomId, mayKnock: false };
  conversation = new Conversation(account);
  const chat = new ChatView(document, conversation, language);
  const call = new CallHost({ container: $('call'), conversation, language, displayName: session.displayName ?? session.userId });
  conversation.addEventListener('signal', (event) => call.feed(event.detail));
  conversation.addEventListener('state', (event) => {
    if (event.detail === 'joined') {
      chat.bind();
      chat.showAll(conversation.messages());
      $('peer-name').textContent = conversation.peerName() ?? '—';
      bindCallToggle(document, call, () => language);
      show('chat');
    } else if (event.detail === 'ended') {
      show('ended');
    }
  });
  await conversation.start();
}

async function signOut() {
  const session = JSON.parse(sessionStorage.getItem(SESSION) ?? 'null');
  await conversation?.wipe();
  if (session) {
    await matrix(session, 'POST', '/logout', {}).catch(() => {});
  }
  sessionStorage.removeItem(SESSION);
  window.location.reload();
}

main();
