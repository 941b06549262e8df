/**
 * The counsellor page's device records, in this browser's IndexedDB: per counsellor the Matrix
 * device this browser is (its id, so the same device comes back at the next sign-in) and, while
 * signed in, its access token. Encryption keys are not here: they live in the Rust crypto store
 * (IndexedDB too, see `cryptoPrefix`). Messages are never stored.
 *
 * A record without a token is a device that is kept but locked (signed out on one's own computer):
 * the password brings the same device, and every room key that waited for it, back.
 */
const DATABASE = 'praatbrug-desk';
const DEVICES = 'devices';

/** Where the Rust crypto keeps this device's keys (its IndexedDB names start with this). */
export function cryptoPrefix(userId, deviceId) {
  return `praatbrug-desk-${userId}-${deviceId}`;
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(DEVICES, { keyPath: 'userId' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(DEVICES, mode);
      const result = work(transaction.objectStore(DEVICES));
      transaction.oncomplete = () => resolve(result.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** Whether the database exists (looking must not create it again after a wipe). */
async function exists() {
  if (typeof indexedDB.databases !== 'function') {
    return true;
  }
  return (await indexedDB.databases()).some((db) => db.name === DATABASE);
}

/** Every kept device, the one used last first. */
export async function loadDevices() {
  if (!(await exists())) {
    return [];
  }
  const all = await transact('readonly', (store) => store.getAll());
  return all.sort((a, b) => (b.usedAt ?? 0) - (a.usedAt ?? 0));
}

/** The record of `userId`, or (without a user) the one used last; null when there is none. */
export async function loadDevice(userId = null) {
  if (userId) {
    return (await exists()) ? (await transact('readonly', (store) => store.get(userId))) ?? null : null;
  }
  return (await loadDevices())[0] ?? null;
}

export function saveDevice(record) {
  return transact('readwrite', (store) => store.put({ ...record, usedAt: Date.now() }));
}

/** Forgets the device of `userId`; the database goes too once no device is left. */
export async function forgetDevice(userId) {
  if (!(await exists())) {
    return;
  }
  await transact('readwrite', (store) => store.delete(userId));
  const left = await transact('readonly', (store) => store.count());
  if (left === 0) {
    await new Promise((resolve) => {
      const request = indexedDB.deleteDatabase(DATABASE);
      request.onsuccess = request.onerror = request.onblocked = () => resolve();
    });
  }
}

/**
 * Crypto stores still to be deleted (their name prefixes), in localStorage so that a wipe the
 * browser could not finish at once is finished at the next load of the page.
 */
const WIPES = 'praatbrug.desk.wipe';

export function markedForWipe() {
  try {
    const list = JSON.parse(localStorage.getItem(WIPES) ?? '[]');
    return Array.isArray(list) ? list.filter((prefix) => typeof prefix === 'string' && prefix.startsWith('praatbrug-desk-')) : [];
  } catch {
    return [];
  }
}

export function markForWipe(prefix) {
  localStorage.setItem(WIPES, JSON.stringify([...new Set([...markedForWipe(), prefix])]));
}

export function unmarkWipe(prefix) {
  const left = markedForWipe().filter((marked) => marked !== prefix);
  if (left.length) {
    localStorage.setItem(WIPES, JSON.stringify(left));
  } else {
    localStorage.removeItem(WIPES);
  }
}
