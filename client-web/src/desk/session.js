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
      ...deviceFields(deviceId),
    });
    const kept = await keptDeviceOf(user);
    return DeskSession.#finishSignIn(homeserver, await login(kept?.deviceId ?? null), kept, login, cryptoCallbacks);
  }

  /** How staff sign in on this homeserver: `{ sso, password }` from its login flows. */
  static async signInFlows(homeserver) {
    const { flows = [] } = await homeserverCall(homeserver, 'GET', '/login', null);
    const types = new Set(flows.map((flow) => flow.type));
    return { sso: types.has('m.login.sso') && types.has('m.login.token'), password: types.has('m.login.password') };
  }

  /**
   * The address of the homeserver's single sign-on (the organisation's identity provider, which
   * asks for the password and the one-time code), coming back to `returnUrl` with a login token.
   * Throws `SsoUnreachable` when the homeserver cannot start it (identity provider down).
   */
  static async ssoAddress(homeserver, returnUrl) {
    const address = `${homeserver}/_matrix/client/v3/login/sso/redirect?redirectUrl=${encodeURIComponent(returnUrl)}`;
    // The bridge asks the homeserver whether it reaches the identity provider (the homeserver's
    // redirect carries no CORS headers, so the page cannot see that itself).
    const answer = await fetch(new URL('../_praatbrug/desk/v1/sso-ready', document.baseURI), { cache: 'no-store' })
      .then((response) => response.json()).catch(() => null);
    if (!answer?.ready) {
      throw new SsoUnreachable('the identity provider cannot be reached');
    }
    return address;
  }

  /**
   * Signs in with the login token single sign-on returned. This browser's kept device (of the last
   * counsellor who used it) comes back when the token is hers; `fresh` asks for a new device.
   * Returns null when the kept device was lost on the homeserver: the caller signs in once more
   * (the identity provider's session makes that a redirect without questions) with `fresh`.
   */
  static async signInWithToken(homeserver, loginToken, cryptoCallbacks, { fresh = false } = {}) {
    const kept = fresh ? null : await loadDevice();
    const login = (deviceId) => homeserverCall(homeserver, 'POST', '/login', null, {
      type: 'm.login.token', token: loginToken, ...deviceFields(deviceId),
    });
    const answer = await login(kept?.deviceId ?? null);
    if (kept && answer.user_id !== kept.userId) {
      // Another counsellor's token: her device, not the kept one (device ids are per account).
      return DeskSession.#finishSignIn(homeserver, answer, null, null, cryptoCallbacks);
    }
    return DeskSession.#finishSignIn(homeserver, answer, kept, null, cryptoCallbacks);
  }

  static async #finishSignIn(homeserver, first, kept, login, cryptoCallbacks) {
    let answer = first;
    if (kept && (answer.user_id !== kept.userId || !(await deviceHasKeys(homeserver, answer)))) {
      // The homeserver lost the device (removed from another client), so the keys kept here
      // belong to nothing any more: start over with a new device.
      await homeserverCall(homeserver, 'POST', '/logout', answer.access_token, {}).catch(() => {});
      if (answer.user_id === kept.userId) {
        await wipeCrypto(homeserver, kept.userId, kept.deviceId);
        await forgetDevice(kept.userId);
      }
      if (!login) {
        return null; // a login token is used up: the caller signs in again for a new device
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

/** The identity provider (behind the homeserver's single sign-on) did not answer. */
export class SsoUnreachable extends Error {}

function deviceFields(deviceId) {
  return deviceId ? { device_id: deviceId } : { initial_device_display_name: 'Praatbrug hulpverlener (browser)' };
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
