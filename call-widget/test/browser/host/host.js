// A minimal Matrix client that hosts the call widget the way Element does, for browser tests:
// it loads the widget in a cross-origin iframe, answers the widget API with matrix-widget-api's
// ClientWidgetApi, sends the widget's events to the real Synapse and feeds it the room's events
// from /sync. It approves every capability the widget asks for and records them (Element asks
// the user instead). No end-to-end encryption: test rooms are unencrypted.
//
// `echo=local` makes it deliver like matrix-js-sdk (the client page and the counsellor page): our
// own events reach the widget at once, before the homeserver has them, and others' events come in
// any order within `jitter` ms, as decryption finishes. Without it, it delivers like Element: room
// order, our own events as the homeserver echoes them.
import { ClientWidgetApi, Widget, WidgetDriver } from 'matrix-widget-api';

const query = new URLSearchParams(window.location.search);
const homeserver = query.get('hs');
const token = query.get('token');
const roomId = query.get('room');
const userId = query.get('user');
const displayName = query.get('name');
const SIGNAL = 'be.praatbrug.call.signal';
const localEcho = query.get('echo') === 'local';
const sentTransactions = new Set();
const jitter = Number(query.get('jitter') ?? 0);

document.getElementById('who').textContent = `${displayName} (${userId})`;

async function matrix(method, path, body) {
  const response = await fetch(`${homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  }
  return response.json();
}

let txn = 0;
class SynapseDriver extends WidgetDriver {
  async validateCapabilities(requested) {
    window.grantedCapabilities = [...requested];
    return requested;
  }

  async sendEvent(type, content, stateKey, targetRoom) {
    const room = encodeURIComponent(targetRoom ?? roomId);
    const id = `host${Date.now()}.${txn++}`;
    if (localEcho) {
      sentTransactions.add(id);
      api.feedEvent({ type, content, sender: userId, event_id: `~${id}`, origin_server_ts: Date.now(), room_id: roomId }, roomId)
        .catch(() => {});
    }
    const { event_id: eventId } = await matrix('PUT', `/rooms/${room}/send/${encodeURIComponent(type)}/${id}`, content);
    return { roomId: targetRoom ?? roomId, eventId };
  }

  async* getTurnServers() {
    const turn = await matrix('GET', '/voip/turnServer');
    if (query.get('turn')) {
      turn.uris = [query.get('turn')];
    }
    if (turn.uris?.length) {
      window.turnServers = turn.uris;
      yield { uris: turn.uris, username: turn.username, password: turn.password };
    }
  }
}

const widget = new Widget({
  id: 'praatbrug_call',
  creatorUserId: userId,
  type: 'm.custom',
  url: query.get('widget'),
  waitForIframeLoad: false,
  data: {},
});
const url = new URL(widget.getCompleteUrl({
  widgetRoomId: roomId, currentUserId: userId, userDisplayName: displayName, clientLanguage: query.get('lang') ?? 'nl',
}));
url.searchParams.set('widgetId', widget.id);
url.searchParams.set('parentUrl', window.location.href.split('#')[0]);

const iframe = document.createElement('iframe');
iframe.allow = 'camera; microphone; display-capture; autoplay';
document.body.append(iframe);
const api = new ClientWidgetApi(widget, iframe, new SynapseDriver());
api.on('ready', () => { window.widgetReady = true; });
iframe.src = url.href;

// Synapse answers an identical /sync request from its response cache for a while, and every page
// of one test user shares a token: without something unique in the filter, a new page would get an
// old page's sync position and replay events from before it loaded, which Element never does.
const filter = JSON.stringify({
  event_fields: ['type', 'content', 'sender', 'origin_server_ts', 'event_id', 'room_id', 'unsigned.transaction_id',
    `unused_${crypto.randomUUID()}`],
  presence: { types: [] },
  account_data: { types: [] },
  room: {
    rooms: [roomId],
    timeline: { types: [SIGNAL], limit: 50 },
    state: { types: [] },
    ephemeral: { types: [] },
    account_data: { types: [] },
  },
});

async function syncLoop() {
  // Start from now: like Element, the widget sees only events that arrive while it runs.
  let since = (await matrix('GET', `/sync?timeout=0&filter=${encodeURIComponent(filter)}`)).next_batch;
  for (;;) {
    const sync = await matrix('GET', `/sync?timeout=30000&since=${since}&filter=${encodeURIComponent(filter)}`);
    since = sync.next_batch;
    for (const event of sync.rooms?.join?.[roomId]?.timeline?.events ?? []) {
      if (localEcho && sentTransactions.has(event.unsigned?.transaction_id)) {
        continue; // already delivered when sent
      }
      const feed = () => api.feedEvent({ ...event, room_id: roomId }, roomId).catch(() => {});
      if (jitter > 0) {
        setTimeout(feed, Math.random() * jitter);
      } else {
        await feed();
      }
    }
  }
}
syncLoop().catch((error) => {
  document.getElementById('who').textContent += ` — sync failed: ${error.message}`;
});
