import { forgetConversation, loadConversation, normaliseCode, saveConversation } from './stored.js';

/**
 * Where this browser keeps the one conversation it takes part in, as the client chose at the start:
 *
 * - `MemoryKeeper` ("this device is not only mine"): nothing beyond the open tab. The account lives
 *   in memory and the Matrix keys in the SDK's in-memory crypto store; closing the tab leaves
 *   nothing in localStorage, sessionStorage or IndexedDB.
 * - `PlainKeeper` (own device, no PIN): the account in localStorage and the keys in IndexedDB, so a
 *   refresh or a closed tab brings the client back.
 * - `PinKeeper` (own device with a PIN): the same, but the account is sealed with AES-GCM and the
 *   SDK encrypts its IndexedDB crypto store itself (`storageKey`), both under keys derived from the
 *   PIN with PBKDF2. A few wrong PINs wipe this device's copy (the conversation on the server stays).
 *
 * All key work is WebCrypto (PBKDF2, HKDF, AES-GCM) and matrix-js-sdk's own store encryption.
 */

const LOCKED = 'praatbrug.locked';
export const MAX_TRIES = 5;
export const PIN_ITERATIONS = 600_000;
// This page's crypto databases (the counsellor page, same origin, uses other names).
const DATABASE_PREFIX = 'praatbrug-client-';

export class WrongPin extends Error {
  constructor(triesLeft) {
    super('wrong PIN');
    this.triesLeft = triesLeft;
  }
}

export class Wiped extends Error {
  constructor() {
    super('wiped after too many wrong PINs');
  }
}

/** Whether `pin` is an acceptable PIN: 4 to 8 digits. */
export function validPin(pin) {
  return /^\d{4,8}$/.test(pin ?? '');
}

/** What this browser holds: 'locked' (sealed under a PIN), 'plain', or null (nothing). */
export function storedKind(storage) {
  if (storage.getItem(LOCKED)) {
    return 'locked';
  }
  return loadConversation(storage) ? 'plain' : null;
}

export class MemoryKeeper {
  get persistent() { return false; }

  save() {}

  forget() {}

  cryptoOptions() {
    return { useIndexedDB: false };
  }
}

export class PlainKeeper {
  constructor(storage) {
    this.storage = storage;
  }

  get persistent() { return true; }

  load() {
    return loadConversation(this.storage);
  }

  save(account) {
    saveConversation(this.storage, account);
  }

  forget() {
    forgetConversation(this.storage);
  }

  cryptoOptions(account) {
    return { cryptoDatabasePrefix: cryptoPrefix(account) };
  }
}

export class PinKeeper {
  constructor(storage, record, accountKey, storeKey) {
    this.storage = storage;
    this.record = record;
    this.accountKey = accountKey;
    this.storeKey = storeKey;
  }

  get persistent() { return true; }

  /** A new PIN for a conversation about to start (nothing is written until `save`). */
  static async create(storage, pin, iterations = PIN_ITERATIONS) {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const keys = await deriveKeys(pin, salt, iterations);
    return new PinKeeper(storage, { v: 1, salt: b64(salt), iterations, tries: 0 }, keys.account, keys.store);
  }

  /**
   * Opens the sealed conversation with `pin`: the keeper and the account. A wrong PIN counts a
   * try (`WrongPin` with the tries left); the last one wipes this device's copy (`Wiped`).
   */
  static async unlock(storage, pin) {
    const record = readLocked(storage);
    if (!record) {
      throw new Wiped();
    }
    const keys = await deriveKeys(pin ?? '', unb64(record.salt), record.iterations);
    try {
      const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(record.iv) }, keys.account,
        unb64(record.data));
      const account = JSON.parse(new TextDecoder().decode(plain));
      record.tries = 0;
      storage.setItem(LOCKED, JSON.stringify(record));
      return { keeper: new PinKeeper(storage, record, keys.account, keys.store), account };
    } catch {
      record.tries = (record.tries ?? 0) + 1;
      if (record.tries >= MAX_TRIES) {
        await wipeDevice(storage);
        throw new Wiped();
      }
      storage.setItem(LOCKED, JSON.stringify(record));
      throw new WrongPin(MAX_TRIES - record.tries);
    }
  }

  async save(account) {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, this.accountKey,
      new TextEncoder().encode(JSON.stringify(account)));
    this.record = { ...this.record, iv: b64(iv), data: b64(new Uint8Array(data)), code: await codeHash(account.code) };
    this.storage.setItem(LOCKED, JSON.stringify(this.record));
  }

  forget() {
    this.storage.removeItem(LOCKED);
  }

  cryptoOptions(account) {
    return { cryptoDatabasePrefix: cryptoPrefix(account), storageKey: this.storeKey };
  }
}

/** Whether the sealed conversation belongs to the link being opened (a link without code: yes). */
export async function lockedBelongsTo(storage, code) {
  const record = readLocked(storage);
  return Boolean(record) && (!code || record.code === await codeHash(code));
}

/** The sealed conversation's wrong tries so far (0 when none is stored). */
export function lockedTries(storage) {
  return readLocked(storage)?.tries ?? 0;
}

/**
 * Removes every trace of a conversation from this browser without opening it: the account
 * (sealed or plain) and the SDK's crypto databases. Also used at start for leftovers (a quick exit
 * that could not finish deleting a database).
 */
export async function wipeDevice(storage) {
  const plain = loadConversation(storage);
  storage.removeItem(LOCKED);
  forgetConversation(storage);
  await deleteCryptoDatabases(plain ? cryptoPrefix(plain) : DATABASE_PREFIX);
}

export async function deleteCryptoDatabases(prefix = DATABASE_PREFIX) {
  const databases = await globalThis.indexedDB?.databases?.().catch(() => []) ?? [];
  const ours = (name) => name?.startsWith(DATABASE_PREFIX) || name?.startsWith(prefix);
  await Promise.all(databases.filter((db) => ours(db.name)).map((db) =>
    new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(db.name);
      request.onsuccess = resolve;
      request.onerror = resolve;
      request.onblocked = resolve;
    })));
}

/** The account's crypto database prefix (conversations stored before PINs existed: the old name). */
function cryptoPrefix(account) {
  return account.storePrefix ?? `praatbrug-${account.deviceId}`;
}

function readLocked(storage) {
  try {
    const record = JSON.parse(storage.getItem(LOCKED) ?? 'null');
    return record?.v === 1 && record.salt && record.iterations ? record : null;
  } catch {
    return null;
  }
}

/**
 * PBKDF2 (SHA-256) turns the PIN into one secret; HKDF splits it into the account's AES-GCM key
 * (not extractable) and the 32 bytes the SDK encrypts its crypto store with.
 */
async function deriveKeys(pin, salt, iterations) {
  const pinKey = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const secret = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, pinKey, 256);
  const hkdf = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey', 'deriveBits']);
  const info = (label) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(label) });
  const account = await crypto.subtle.deriveKey(info('praatbrug account v1'), hkdf,
    { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const store = new Uint8Array(await crypto.subtle.deriveBits(info('praatbrug crypto store v1'), hkdf, 256));
  return { account, store };
}

async function codeHash(code) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`praatbrug:${normaliseCode(code)}`));
  return b64(new Uint8Array(digest));
}

function b64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

function unb64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}
