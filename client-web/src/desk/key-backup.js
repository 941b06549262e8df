import { decodeRecoveryKey } from 'matrix-js-sdk/lib/crypto-api/index.js';

/**
 * Server-side key backup for the counsellor's conversations, entirely through matrix-js-sdk's
 * crypto API (secret storage, key backup, cross-signing, dehydrated devices): the page writes no
 * cryptography of its own.
 *
 * - At the first sign-in the page makes a recovery key. It encrypts the account's secret storage,
 *   which holds the cross-signing keys and the key backup's decryption key; every room key this
 *   device receives is uploaded to the backup, encrypted for that decryption key.
 * - In a new browser the recovery key opens secret storage: the device is cross-signed, and the
 *   backup's keys make the earlier conversations readable.
 * - Where the homeserver allows it (MSC3814), a dehydrated device waits on the server, encrypted
 *   under a key in secret storage, for room keys sent while no browser of the counsellor exists
 *   (after signing out of a shared computer); the next recovery key entry reads them.
 */

/** The recovery key the counsellor typed is not one, or not this account's. */
export class RecoveryKeyError extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason; // 'format' | 'mismatch'
  }
}

/** Uploading the cross-signing keys needs the account password, which the page does not have. */
export class PasswordNeeded extends Error {}

/**
 * The secret storage key, in memory for this page's life only (never stored): the SDK asks for it
 * several times while setting up or restoring.
 */
export class SecretKeys {
  constructor() {
    this.keys = new Map();
    this.callbacks = {
      getSecretStorageKey: async ({ keys }) => {
        const keyId = Object.keys(keys).find((id) => this.keys.has(id));
        return keyId ? [keyId, this.keys.get(keyId)] : null;
      },
      cacheSecretStorageKey: (keyId, keyInfo, key) => this.keys.set(keyId, key),
    };
  }

  forget() {
    for (const key of this.keys.values()) {
      key.fill(0);
    }
    this.keys.clear();
  }
}

/**
 * What this device needs: `setup` (the account has no secret storage yet: first sign-in),
 * `restore` (the account has it, this device cannot use it yet: new browser), or `ready`.
 */
export async function backupState(client) {
  const crypto = client.getCrypto();
  await accountDataCurrent(client, 'm.secret_storage.default_key');
  if (!(await client.secretStorage.getDefaultKeyId())) {
    return 'setup';
  }
  const check = await crypto.checkKeyBackupAndEnable();
  const hasKey = Boolean(await crypto.getSessionBackupPrivateKey());
  const active = await crypto.getActiveSessionBackupVersion();
  const crossSigned = await crypto.isCrossSigningReady();
  return check && hasKey && active && crossSigned ? 'ready' : 'restore';
}

/**
 * Waits until the client's copy of account data `type` matches the homeserver's. Synapse answers a
 * repeated first /sync of the same device from a cache for two minutes, so a counsellor who signs
 * in again right after signing out would otherwise get the account data of her previous sign-in:
 * without her secret storage, the page would think this her first sign-in and make a new one.
 */
async function accountDataCurrent(client, type, timeoutMs = 30_000) {
  const path = `/user/${encodeURIComponent(client.getUserId())}/account_data/${encodeURIComponent(type)}`;
  const onServer = await client.http.authedRequest('GET', path).catch((error) => {
    if (error?.errcode === 'M_NOT_FOUND' || error?.httpStatus === 404) {
      return null;
    }
    throw error;
  });
  const same = () => JSON.stringify(client.getAccountData(type)?.getContent() ?? null) === JSON.stringify(onServer);
  if (!onServer || same()) {
    return;
  }
  await new Promise((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      client.off('accountData', check);
      resolve();
    }
    function check() {
      if (same()) {
        done();
      }
    }
    client.on('accountData', check);
  });
}

/** The user-interactive authentication for uploading cross-signing keys, with the password. */
export function passwordAuth(userId, password) {
  return async (makeRequest) => {
    try {
      await makeRequest(null); // a first upload needs no password (MSC3967)
    } catch (error) {
      if (error?.httpStatus !== 401 || !error.data?.flows) {
        throw error;
      }
      if (!password) {
        throw new PasswordNeeded('password needed');
      }
      await makeRequest({
        type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password, session: error.data.session,
      });
    }
  };
}

/**
 * First sign-in: cross-signing, secret storage under a new recovery key, a new key backup, and a
 * dehydrated device. Returns the recovery key, to be shown once.
 */
export async function setUpBackup(client, auth) {
  const crypto = client.getCrypto();
  const generated = await crypto.createRecoveryKeyFromPassphrase();
  await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: auth });
  await crypto.bootstrapSecretStorage({
    createSecretStorageKey: async () => generated,
    setupNewSecretStorage: true,
    setupNewKeyBackup: true,
  });
  await keepDehydratedDevice(client, { createNewKey: true });
  return generated.encodedPrivateKey;
}

/**
 * A lost recovery key: everything is made anew (earlier conversations stay unreadable on new
 * devices; this device keeps what it has). Returns the new recovery key.
 */
export async function resetBackup(client, auth) {
  const crypto = client.getCrypto();
  const generated = await crypto.createRecoveryKeyFromPassphrase();
  await crypto.resetEncryption(auth);
  await crypto.bootstrapSecretStorage({
    createSecretStorageKey: async () => generated,
    setupNewSecretStorage: true,
    setupNewKeyBackup: false,
  });
  await keepDehydratedDevice(client, { createNewKey: true });
  return generated.encodedPrivateKey;
}

/**
 * A new browser: the recovery key opens secret storage; the device is cross-signed and every key
 * in the backup (and in the dehydrated device) is imported. Returns how many keys came back.
 */
export async function restoreWithRecoveryKey(client, keys, typed, onProgress = () => {}) {
  let key;
  try {
    key = decodeRecoveryKey(typed.trim());
  } catch {
    throw new RecoveryKeyError('format');
  }
  const keyId = await client.secretStorage.getDefaultKeyId();
  const described = keyId ? await client.secretStorage.getKey(keyId) : null;
  if (!described || !(await client.secretStorage.checkKey(key, described[1]))) {
    throw new RecoveryKeyError('mismatch');
  }
  keys.keys.set(keyId, key);
  const crypto = client.getCrypto();
  await crypto.bootstrapCrossSigning({});
  let imported = 0;
  if (await crypto.getKeyBackupInfo()) {
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    await crypto.checkKeyBackupAndEnable();
    const result = await crypto.restoreKeyBackup({
      progressCallback: (progress) => {
        if (progress.stage === 'load_keys') {
          onProgress(progress.successes + progress.failures, progress.total);
        }
      },
    });
    imported = result.imported;
  } else {
    await crypto.resetKeyBackup();
  }
  await keepDehydratedDevice(client, {});
  return imported;
}

/**
 * Reads the dehydrated device left on the server (room keys sent while the counsellor had no
 * device) and leaves a fresh one. Does nothing where the homeserver has no dehydrated devices.
 *
 * @param options `{ createNewKey: true }` at setup; `{}` right after the recovery key opened secret
 *     storage; `{ onlyIfKeyCached: true }` on an ordinary start (the key is in this device's store)
 */
export async function keepDehydratedDevice(client, options) {
  const crypto = client.getCrypto();
  try {
    if (!(await crypto.isDehydrationSupported())) {
      return false;
    }
    await crypto.startDehydration(options);
    return true;
  } catch (error) {
    console.warn('Praatbrug: no dehydrated device', error);
    return false;
  }
}

/**
 * Waits (at most `timeoutMs`) until every room key this device holds is in the backup, so a
 * shared computer can be left without losing what only this device received.
 */
export async function flushBackup(client, timeoutMs = 20_000) {
  const crypto = client.getCrypto();
  if (!(await crypto.getActiveSessionBackupVersion())) {
    return false;
  }
  // The SDK offers no "wait for backup" call; its Rust machine counts what is backed up.
  const machine = crypto.olmMachine;
  if (typeof machine?.roomKeyCounts !== 'function') {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    return true;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await machine.roomKeyCounts();
    if (counts.backedUp >= counts.total) {
      return true;
    }
    if (Date.now() > deadline) {
      return false;
    }
    await crypto.checkKeyBackupAndEnable();
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
