import { ClientEvent, HttpApiEvent, createClient } from 'matrix-js-sdk';
import {
  cryptoPrefix, forgetDevice, loadDevice, loadDevices, markForWipe, markedForWipe, saveDevice, unmarkWipe,
} from './device-store.js';

/** An answer of the homeserver that was not 2xx, with its Matrix errcode. */
export class HomeserverError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.errcode = body?.errcode ?? null;
    this.softLogout = body?.soft_logout === true;
  }
}

export async function homeserverCall(homeserver, method, path, token, body) {
  const response = await fetch(`${homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new HomeserverError(response.status, json);
  }
  return json;
}

/**
 * The counsellor's own Matrix device in this browser, kept across reloads, closed tabs and
 * sign-outs on her own computer: one matrix-js-sdk client with the Rust crypto whose store lives in
 * IndexedDB. Room keys sent to the device while no page was open wait on the homeserver and are
 * read at the next sync, so what a client wrote in the evening is readable in the morning.
 *
 * Events: `ended` (the device was removed elsewhere, or its token revoked).
 */
export class DeskSession extends EventTarget {
  constructor(record, cryptoCallbacks) {
    super();
    this.record = record;
    this.cryptoCallbacks = cryptoCallbacks;
    this.client = null;
  }

  get userId() {
    return this.record.userId;
  }

  get deviceId() {
    return this.record.deviceId;
  }

  /**
   * The device this browser kept, still signed in: started again without a password. Returns null
   * (after cleaning up what no longer works) when there is none, or when it needs the password.
   */
  static async resume(cryptoCallbacks) {
    const record = await loadDevice();
    if (!record?.accessToken) {
      return null;
    }
    try {
      await homeserverCall(record.homeserver, 'GET', '/account/whoami', record.accessToken);
    } catch (error) {
      if (error.status !== 401) {
        throw error;
      }
      await forgetToken(record, error.softLogout);
      return null;
    }
    return new DeskSession(record, cryptoCallbacks);
  }

  /** The last counsellor who used this browser (to fill in the sign-in form), or null. */
  static async lastUser() {
    return (await loadDevice())?.userId ?? null;
  }

  /**
   * Signs in with the password. A counsellor who used this browser before gets the same device
   * back (Matrix's re-login with a known `device_id`), so its keys and what waited for it stay.
   */
  static async signIn(homeserver, user, password, cryptoCallbacks) {
    const login = (deviceId) => homeserverCall(homeserver, 'POST', '/login', null, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user },
      password,
      ...(deviceId ? { device_id: deviceId } : { initial_device_display_name: 'Praatbrug hulpverlener (browser)' }),
    });
    const kept = await keptDeviceOf(user);
    let answer = await login(kept?.deviceId ?? null);
    if (kept && (answer.user_id !== kept.userId || !(await deviceHasKeys(homeserver, answer)))) {
      // The homeserver lost the device (removed from another client), so the keys kept here
      // belong to nothing any more: start over with a new device.
      await homeserverCall(homeserver, 'POST', '/logout', answer.access_token, {}).catch(() => {});
      if (answer.user_id === kept.userId) {
        await wipeCrypto(homeserver, kept.userId, kept.deviceId);
        await forgetDevice(kept.userId);
      }
      answer = await login(null);
    }
    const displayName = (await homeserverCall(homeserver, 'GET',
      `/profile/${encodeURIComponent(answer.user_id)}/displayname`, answer.access_token).catch(() => ({}))).displayname;
    const record = {
      homeserver,
      userId: answer.user_id,
      deviceId: answer.device_id,
      accessToken: answer.access_token,
      displayName: displayName ?? answer.user_id,
    };
    await saveDevice(record);
    return new DeskSession(record, cryptoCallbacks);
  }

  /** Starts the client and resolves once the homeserver's first sync is in. */
  async start() {
    const { homeserver, userId, accessToken, deviceId } = this.record;
    const client = createClient({ baseUrl: homeserver, userId, accessToken, deviceId, cryptoCallbacks: this.cryptoCallbacks });
    this.client = client;
    await client.initRustCrypto({ cryptoDatabasePrefix: cryptoPrefix(userId, deviceId) });
    client.on(HttpApiEvent.SessionLoggedOut, () => this.dispatchEvent(new Event('ended')));
    const synced = new Promise((resolve) => {
      client.on(ClientEvent.Sync, (state, previous, data) => {
        if ((state === 'PREPARED' && !data?.fromCache) || state === 'SYNCING') {
          resolve();
        }
      });
    });
    await client.startClient({ initialSyncLimit: 40 });
    await synced;
    await saveDevice(this.record);
  }

  /**
   * Signing out on one's own computer, or locking the page: the client stops and the token is
   * forgotten here, the device and its keys stay. The password brings both back.
   */
  async lock() {
    this.client?.stopClient();
    await forgetToken(this.record, true);
  }

  /**
   * Signing out of a shared computer: the device is deleted on the homeserver (its token, keys and
   * waiting messages go with it) and every store of it is wiped from this browser. What it had
   * received is in the key backup if the counsellor set one up; `beforeDelete` waits for that.
   */
  async signOutShared(beforeDelete = async () => {}) {
    await beforeDelete().catch(() => {});
    const { homeserver, accessToken, deviceId, userId } = this.record;
    this.client?.stopClient();
    await homeserverCall(homeserver, 'POST', '/logout', accessToken, {}).catch(() => {});
    await forgetDevice(userId);
    await wipeCrypto(homeserver, userId, deviceId);
  }

  /** The device was removed elsewhere: nothing of it is any use here. */
  async wipe() {
    this.client?.stopClient();
    await wipeCrypto(this.record.homeserver, this.record.userId, this.record.deviceId);
    await forgetDevice(this.record.userId);
  }
}

/** This browser's kept device of the user typed in the form ("an" or "@an:caw.be"), if any. */
async function keptDeviceOf(user) {
  const typed = user.trim().toLowerCase();
  return (await loadDevices()).find((record) => record.userId.toLowerCase() === typed
    || record.userId.slice(1, record.userId.indexOf(':')).toLowerCase() === typed) ?? null;
}

async function forgetToken(record, keepDevice) {
  if (keepDevice) {
    await saveDevice({ ...record, accessToken: null });
  } else {
    await wipeCrypto(record.homeserver, record.userId, record.deviceId);
    await forgetDevice(record.userId);
  }
}

/**
 * Deletes a device's crypto store. The browser deletes a database only once every connection to it
 * is closed, and the stopped crypto may hold one until it is garbage-collected: so the wipe is
 * written down first and finished by `finishWipes()` when the page loads again (also after the tab
 * was closed meanwhile), before anything opens a store.
 */
async function wipeCrypto(homeserver, userId, deviceId) {
  const prefix = cryptoPrefix(userId, deviceId);
  markForWipe(prefix);
  const deleted = await Promise.race([
    createClient({ baseUrl: homeserver }).clearStores({ cryptoDatabasePrefix: prefix }).then(() => true, () => false),
    new Promise((resolve) => { setTimeout(() => resolve(false), 2_000); }),
  ]);
  if (deleted) {
    unmarkWipe(prefix);
  }
}

/** Finishes the wipes an earlier page could not (see wipeCrypto); call before any store is opened. */
export async function finishWipes(homeserver) {
  for (const prefix of markedForWipe()) {
    await createClient({ baseUrl: homeserver }).clearStores({ cryptoDatabasePrefix: prefix }).catch(() => {});
    unmarkWipe(prefix);
  }
}

/** Whether the homeserver still holds this device's encryption keys. */
async function deviceHasKeys(homeserver, login) {
  const answer = await homeserverCall(homeserver, 'POST', '/keys/query', login.access_token,
    { device_keys: { [login.user_id]: [login.device_id] } }).catch(() => null);
  return Boolean(answer?.device_keys?.[login.user_id]?.[login.device_id]);
}
