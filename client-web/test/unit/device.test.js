import { describe, expect, it } from 'vitest';
import { checkDeviceChoice } from '../../src/device-screens.js';
import {
  MAX_TRIES, MemoryKeeper, PinKeeper, PlainKeeper, Wiped, WrongPin, lockedBelongsTo, lockedTries, storedKind, validPin,
} from '../../src/keeper.js';

/** localStorage as the page sees it. */
function memoryStorage() {
  const items = new Map();
  return {
    getItem: (key) => (items.has(key) ? items.get(key) : null),
    setItem: (key, value) => items.set(key, String(value)),
    removeItem: (key) => items.delete(key),
    dump: () => JSON.stringify([...items]),
    get size() { return items.size; },
  };
}

const ACCOUNT = {
  code: 'K7P39QXM', name: 'Noor', homeserver: 'https://matrix.caw.example', userId: '@praatbrug_guest_ab12:caw.example',
  deviceId: 'GUESTDEV', accessToken: 'syt_secret_token', roomId: '!room:caw.example', knocked: true,
  storePrefix: 'praatbrug-client-GUESTDEV',
};
const FAST = 1000; // PBKDF2 iterations for the tests; the page uses PIN_ITERATIONS

describe('the device choice', () => {
  it('needs one of the two choices', () => {
    expect(checkDeviceChoice({ mode: null })).toEqual({ mode: 'errorDeviceChoice' });
    expect(checkDeviceChoice({ mode: 'shared', pin: '', pinAgain: '' })).toEqual({});
    expect(checkDeviceChoice({ mode: 'own', pin: '', pinAgain: '' })).toEqual({});
  });

  it('takes a PIN of 4 to 8 digits, typed twice the same', () => {
    expect(checkDeviceChoice({ mode: 'own', pin: '123', pinAgain: '123' })).toEqual({ pin: 'errorPinInvalid' });
    expect(checkDeviceChoice({ mode: 'own', pin: '12a4', pinAgain: '12a4' })).toEqual({ pin: 'errorPinInvalid' });
    expect(checkDeviceChoice({ mode: 'own', pin: '123456789', pinAgain: '123456789' })).toEqual({ pin: 'errorPinInvalid' });
    expect(checkDeviceChoice({ mode: 'own', pin: '2580', pinAgain: '2850' })).toEqual({ pin_again: 'errorPinMismatch' });
    expect(checkDeviceChoice({ mode: 'own', pin: '', pinAgain: '2580' })).toEqual({ pin: 'errorPinInvalid' });
    expect(checkDeviceChoice({ mode: 'own', pin: '25801234', pinAgain: '25801234' })).toEqual({});
    expect(validPin('0000')).toBe(true);
    expect(validPin(undefined)).toBe(false);
  });
});

describe('keeping the conversation on this device', () => {
  it('keeps nothing for a device that is not the client\'s alone, and keys in memory', () => {
    const keeper = new MemoryKeeper();
    keeper.save(ACCOUNT);
    expect(keeper.persistent).toBe(false);
    expect(keeper.cryptoOptions(ACCOUNT)).toEqual({ useIndexedDB: false });
  });

  it('keeps the account readable without a PIN, and says so', () => {
    const storage = memoryStorage();
    const keeper = new PlainKeeper(storage);
    keeper.save(ACCOUNT);
    expect(storedKind(storage)).toBe('plain');
    expect(keeper.load()).toEqual(ACCOUNT);
    expect(keeper.cryptoOptions(ACCOUNT)).toEqual({ cryptoDatabasePrefix: 'praatbrug-client-GUESTDEV' });
    keeper.forget();
    expect(storedKind(storage)).toBe(null);
  });

  it('seals the account under a PIN: nothing readable is stored, and the PIN opens it', async () => {
    const storage = memoryStorage();
    const keeper = await PinKeeper.create(storage, '2580', FAST);
    await keeper.save(ACCOUNT);
    expect(storedKind(storage)).toBe('locked');
    for (const secret of ['syt_secret_token', 'praatbrug_guest', 'Noor', 'K7P39QXM', '!room']) {
      expect(storage.dump()).not.toContain(secret);
    }
    const options = keeper.cryptoOptions(ACCOUNT);
    expect(options.storageKey).toBeInstanceOf(Uint8Array);
    expect(options.storageKey.length).toBe(32);
    const opened = await PinKeeper.unlock(storage, '2580');
    expect(opened.account).toEqual(ACCOUNT);
    // The same PIN gives the same store key: the SDK reopens its encrypted crypto store.
    expect(opened.keeper.cryptoOptions(ACCOUNT).storageKey).toEqual(options.storageKey);
  });

  it('knows whether a link belongs to the sealed conversation without opening it', async () => {
    const storage = memoryStorage();
    await (await PinKeeper.create(storage, '2580', FAST)).save(ACCOUNT);
    expect(await lockedBelongsTo(storage, 'k7p3-9qxm')).toBe(true);
    expect(await lockedBelongsTo(storage, null)).toBe(true);
    expect(await lockedBelongsTo(storage, 'AAAA2222')).toBe(false);
  });

  it('counts wrong PINs, forgives them after the right one, and wipes after the last', async () => {
    const storage = memoryStorage();
    await (await PinKeeper.create(storage, '2580', FAST)).save(ACCOUNT);
    await expect(PinKeeper.unlock(storage, '0000')).rejects.toMatchObject({ triesLeft: MAX_TRIES - 1 });
    expect(lockedTries(storage)).toBe(1);
    await PinKeeper.unlock(storage, '2580');
    expect(lockedTries(storage)).toBe(0);
    const left = [];
    for (let i = 0; i < MAX_TRIES - 1; i++) {
      const error = await PinKeeper.unlock(storage, `111${i}`).catch((e) => e);
      expect(error).toBeInstanceOf(WrongPin);
      left.push(error.triesLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    await expect(PinKeeper.unlock(storage, '2580x')).rejects.toBeInstanceOf(Wiped);
    expect(storage.size).toBe(0);
    // Gone for good: the right PIN no longer opens anything.
    await expect(PinKeeper.unlock(storage, '2580')).rejects.toBeInstanceOf(Wiped);
  });
});
