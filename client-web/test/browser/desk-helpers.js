// Helpers for the counsellor page's browser tests (desk.js) and for the call test in run.js.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { assert, until } from './checks.js';
import { matrix } from './environment.js';

/** Where the tests' screenshots and console logs go. */
export const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));

/** What the counsellor page's tests hand on to each other (they run in order, one story). */
export const deskState = {};

export const NOT_DECRYPTED = '🔒 Dit bericht kan (nog) niet ontsleuteld worden.';
export const DESKTOP = { viewport: { width: 1280, height: 860 }, locale: 'nl-BE' };

/** The page's console, for reading after a failure (target/screenshots/console-NAME.txt). */
export function keepConsole(page, name) {
  const directory = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
  mkdirSync(directory, { recursive: true });
  page.on('console', (message) => {
    if (message.type() !== 'debug') {
      appendFileSync(`${directory}console-${name}.txt`, `${new Date().toISOString()} ${message.type()} ${message.text()}\n`);
    }
  });
  page.on('pageerror', (error) => appendFileSync(`${directory}console-${name}.txt`, `${new Date().toISOString()} PAGE ERROR ${error.stack}\n`));
}

export async function screenOf(page) {
  return page.evaluate(() => document.body.dataset.screen);
}

/**
 * Signs in on the counsellor page and goes past the key backup screens: on a first sign-in it
 * returns the recovery key shown; in a browser without the keys it enters `recoveryKey` or, without
 * one, chooses "not now". Ends on the overview.
 */
export async function signInToDesk(page, user, { recoveryKey = null, stayAtRecovery = false } = {}) {
  await page.locator('#screen-sign-in:not([hidden])').waitFor({ timeout: 30_000 });
  await page.fill('#user', user.localpart ?? user.userId.slice(1, user.userId.indexOf(':')));
  await page.fill('#password', user.password);
  await page.click('#sign-in');
  const screen = await until('a screen after signing in', async () => {
    const now = await screenOf(page);
    return ['recovery-new', 'recovery-enter', 'rooms'].includes(now) && now;
  }, 90_000);
  let shownKey = null;
  if (screen === 'recovery-new') {
    await page.screenshot({ path: fileURLToPath(new URL('../../target/screenshots/desk-recovery-new.png', import.meta.url)) });
    shownKey = (await page.locator('#recovery-key').textContent()).trim();
    await page.check('#recovery-saved');
    await page.click('#recovery-continue');
  } else if (screen === 'recovery-enter') {
    if (stayAtRecovery) {
      return { screen, recoveryKey: null };
    }
    if (recoveryKey) {
      await page.fill('#recovery-input', recoveryKey);
      await page.click('#recovery-submit');
    } else {
      await page.click('#recovery-skip');
    }
  }
  await page.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 90_000 });
  return { screen, recoveryKey: shownKey };
}

/** Afmelden, answering the question about a shared computer; ends on the sign-in screen. */
export async function signOutOfDesk(page, { shared }) {
  await page.click('#sign-out');
  await page.click(shared ? '#sign-out-shared' : '#sign-out-own');
  await page.locator('#screen-sign-in:not([hidden])').waitFor({ timeout: 60_000 });
}

/** The device records the page keeps in IndexedDB (without creating the database if absent). */
export function storedDevices(page) {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((db) => db.name === 'praatbrug-desk')) {
      return [];
    }
    return new Promise((resolve) => {
      const request = indexedDB.open('praatbrug-desk');
      request.onsuccess = () => {
        const db = request.result;
        const all = db.transaction('devices').objectStore('devices').getAll();
        all.onsuccess = () => { db.close(); resolve(all.result); };
      };
      request.onerror = () => resolve([]);
    });
  });
}

export function databaseNames(page) {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
}

/** Opens a room from the overview and waits for its chat. */
export async function openDeskRoom(page, roomId) {
  await page.locator(`#rooms button[data-room-id="${roomId}"]`).click({ timeout: 30_000 });
  await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
}

/** Waits until the open chat shows every text in `expected` and nothing it cannot decrypt. */
export async function allReadable(page, expected, timeoutMs = 45_000) {
  let texts = [];
  try {
    await until('every message readable', async () => {
      texts = await page.locator('#messages .message .body').allTextContents();
      return expected.every((text) => texts.some((shown) => shown.includes(text))) && !texts.includes(NOT_DECRYPTED);
    }, timeoutMs);
  } catch (error) {
    throw new Error(`${error.message}; shown: ${JSON.stringify(texts)}`);
  }
  return texts;
}

export function rowOf(page, roomId) {
  return page.locator(`#rooms tr[data-room="${roomId}"]`);
}

/** A Matrix account (no guest), made with the admin API (the bot is a server admin). */
export async function registerUser(env, localpart, displayName) {
  const userId = `@${localpart}:caw.test`;
  const password = `${localpart}-pw-desk`;
  await matrix(env.hs, 'PUT', `/_synapse/admin/v2/users/${encodeURIComponent(userId)}`, env.asToken,
    { password, displayname: displayName });
  const login = await matrix(env.hs, 'POST', '/login', null,
    { type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password });
  return { userId, localpart, password, token: login.access_token, deviceId: login.device_id, name: displayName };
}

/** A client with a Matrix account gives consent the way such a client does: `!toestemming geef` to the bot. */
export async function consentAsMatrixUser(env, user) {
  const bot = '@praatbrug:caw.test';
  const { room_id: dm } = await matrix(env.hs, 'POST', '/createRoom', user.token, { preset: 'private_chat', is_direct: true, invite: [bot] });
  await until('the bot in the chat', async () => {
    const member = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(dm)}/state/m.room.member/${encodeURIComponent(bot)}`, user.token);
    return member.membership === 'join';
  });
  await matrix(env.hs, 'PUT', `/rooms/${encodeURIComponent(dm)}/send/m.room.message/consent${Date.now()}`, user.token,
    { msgtype: 'm.text', body: '!toestemming geef' });
  await until('the bot confirming consent', async () => {
    const { chunk } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(dm)}/messages?dir=b&limit=10`, user.token);
    return chunk.some((e) => e.sender === bot && e.type === 'm.room.message' && /toestemming|consent/i.test(e.content.body ?? ''));
  });
}

/** Knocks without a code, so the knock waits for the counsellor. */
export function knockWithoutCode(env, user, roomId) {
  return matrix(env.hs, 'POST', `/knock/${encodeURIComponent(roomId)}`, user.token, { reason: '' });
}

export async function membershipOf(env, roomId, userId) {
  const state = await matrix(env.hs, 'GET', `/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state`, env.asToken);
  return state.state.find((e) => e.type === 'm.room.member' && e.state_key === userId) ?? null;
}

export async function joinRuleOf(env, roomId) {
  const state = await matrix(env.hs, 'GET', `/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/state`, env.asToken);
  return state.state.find((e) => e.type === 'm.room.join_rules')?.content.join_rule ?? null;
}

/** The ledger's entry kinds about `roomId`, in order, read from the bridge's SQLite store. */
export function ledgerKindsFor(env, roomId) {
  const database = join(dirname(env.logFile), 'bridge.db');
  const script = 'import json,sqlite3,sys\n'
    + 'c=sqlite3.connect(sys.argv[1])\n'
    + 'print(json.dumps(c.execute("select kind, fields from ledger_entries order by position").fetchall()))';
  const rows = JSON.parse(execFileSync('python3', ['-c', script, database], { encoding: 'utf8' }));
  return rows.filter(([, fields]) => JSON.parse(fields).room_id === roomId).map(([kind]) => kind);
}

/** Hides the tab the way a browser reports a background tab (headless Chromium keeps every tab visible). */
export function setTabHidden(page, hidden) {
  return page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    } else {
      delete document.visibilityState;
      delete document.hidden;
    }
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/**
 * Installed before the page loads: records what the page hands the browser's Notification API
 * (and every permission request), and each tone it plays.
 */
export function watchSignals() {
  window.praatbrugSignals = { shown: [], asked: 0, tones: 0 };
  const Real = window.Notification;
  if (Real) {
    class Watched extends Real {
      constructor(title, options) {
        super(title, options);
        window.praatbrugSignals.shown.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' });
      }

      static get permission() {
        return Real.permission;
      }

      static requestPermission(...args) {
        window.praatbrugSignals.asked += 1;
        return Real.requestPermission(...args);
      }
    }
    window.Notification = Watched;
  }
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function counted(...args) {
    window.praatbrugSignals.tones += 1;
    return start.apply(this, args);
  };
}

/**
 * Another device of the counsellor that can already read her conversations, as Element on her
 * phone would be: matrix-js-sdk with the Rust crypto in Node, signed in with her password, secret
 * storage opened with her recovery key (cross-signed, holding the backup key). It accepts every
 * verification request of her other devices and shows (in `seen`) the emoji it would show her;
 * `seen.confirm()` is her "they match" on this device.
 */
export async function startOtherDevice(env, user, recoveryKey) {
  const sdk = await import('matrix-js-sdk');
  const { CryptoEvent, VerifierEvent, decodeRecoveryKey } = await import('matrix-js-sdk/lib/crypto-api/index.js');
  const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn() {}, error() {}, getChild: () => quiet };
  const login = await matrix(env.hs, 'POST', '/login', null, {
    type: 'm.login.password', identifier: { type: 'm.id.user', user: user.localpart }, password: user.password,
    initial_device_display_name: 'Element op haar telefoon (test)',
  });
  const key = decodeRecoveryKey(recoveryKey);
  const client = sdk.createClient({
    baseUrl: env.hs, userId: login.user_id, accessToken: login.access_token, deviceId: login.device_id, logger: quiet,
    cryptoCallbacks: { getSecretStorageKey: async ({ keys }) => [Object.keys(keys)[0], key] },
  });
  await client.initRustCrypto({ useIndexedDB: false });
  const synced = new Promise((resolve) => {
    client.on(sdk.ClientEvent.Sync, (state) => { if (state === 'PREPARED' || state === 'SYNCING') resolve(); });
  });
  await client.startClient({ initialSyncLimit: 1 });
  await synced;
  const crypto = client.getCrypto();
  // Her cross-signing public keys first (a keys query), or the private ones cannot be imported.
  await until('her cross-signing keys known', async () => crypto.userHasCrossSigningKeys(login.user_id, true), 15_000);
  await crypto.bootstrapCrossSigning({});
  await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
  await crypto.checkKeyBackupAndEnable();
  const seen = { requests: 0, emoji: null, confirm: null, outcomes: [] };
  client.on(CryptoEvent.VerificationRequestReceived, async (request) => {
    seen.requests += 1;
    seen.emoji = null;
    try {
      await request.accept();
      const verifier = await until('the browser starting SAS', async () => request.verifier, 30_000);
      verifier.on(VerifierEvent.ShowSas, (sas) => {
        seen.confirm = () => sas.confirm();
        seen.mismatch = () => sas.mismatch();
        seen.emoji = sas.sas.emoji.map(([, name]) => name);
      });
      await verifier.verify();
      seen.outcomes.push('verified');
    } catch (error) {
      seen.outcomes.push(`stopped: ${error?.message ?? error}`);
    }
  });
  return {
    deviceId: login.device_id,
    token: login.access_token,
    seen,
    async stop() {
      client.stopClient();
      await matrix(env.hs, 'POST', '/logout', login.access_token, {}).catch(() => {});
    },
  };
}

export async function clientSays(page, text) {
  await page.fill('#message', text);
  await page.click('#send');
  await page.locator('.message.mine .body', { hasText: text }).waitFor({ timeout: 15_000 });
}

export async function deviceIdOf(page) {
  const devices = await storedDevices(page);
  assert(devices.length === 1, `${devices.length} kept devices`);
  return devices[0].deviceId;
}

export { assert };
