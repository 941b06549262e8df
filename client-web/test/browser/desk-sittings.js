// The counsellor page across sittings: her device kept in the browser (sign-out on her own
// computer, reload, reopened tab, lock), a colleague on the same browser, a shared computer left
// clean, and a new browser opened with the recovery key or confirmed by another of her devices.
// Real Chromium, real Synapse, the real bridge. Listed in desk.js's deskTests, in story order.
import { assert, until } from './checks.js';
import {
  DESKTOP, NOT_DECRYPTED, SHOTS, allReadable, clientSays, databaseNames, deskState as state, deviceIdOf, keepConsole,
  openDeskRoom, registerUser, rowOf, screenOf, signInToDesk, signOutOfDesk, startOtherDevice, storedDevices, watchSignals,
} from './desk-helpers.js';
import { matrix } from './environment.js';

export async function firstSignIn({ browser, env }) {
  state.lien = await registerUser(env, 'lien', 'Hulpverlener Lien');
  state.deskContext = await browser.newContext(DESKTOP);
  await state.deskContext.addInitScript(watchSignals);
  const desk = await state.deskContext.newPage();
  keepConsole(desk, 'desk-1');
  state.desk = desk;
  await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  const signedIn = await signInToDesk(desk, state.lien);
  assert(signedIn.screen === 'recovery-new', `the first sign-in showed ${signedIn.screen}, not the recovery key`);
  assert(/^(\w{4} ){11}\w{4}$/.test(signedIn.recoveryKey), `recovery key "${signedIn.recoveryKey}"`);
  state.recoveryKey = signedIn.recoveryKey;
  assert(await desk.locator('#recovery-key').textContent() === '', 'the recovery key is still on the page');
  // Notifications are offered with an explanation; nothing was asked on page load.
  await desk.locator('#notify-offer:not([hidden])').waitFor();
  assert((await desk.locator('#notify-offer').textContent()).includes('nooit de naam van de cliënt'), 'no explanation');
  assert(await desk.evaluate(() => window.praatbrugSignals.asked) === 0, 'notification permission asked on load');
  // On the server: secret storage, a key backup, cross-signing, and (MSC3814) a dehydrated device.
  const { token, userId } = state.lien;
  const backup = await matrix(env.hs, 'GET', '/room_keys/version', token);
  assert(backup.algorithm === 'm.megolm_backup.v1.curve25519-aes-sha2', `backup ${JSON.stringify(backup)}`);
  const defaultKey = await matrix(env.hs, 'GET', `/user/${encodeURIComponent(userId)}/account_data/m.secret_storage.default_key`, token);
  assert(defaultKey.key, 'no secret storage key');
  const keys = await matrix(env.hs, 'POST', '/keys/query', token, { device_keys: { [userId]: [] } });
  assert(keys.master_keys?.[userId], 'no cross-signing keys');
  const dehydrated = await matrix(env.hs, 'GET', '/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device', token);
  assert(dehydrated.device_id, 'no dehydrated device');
  // The test's own login (to look) goes again; it never had keys.
  await matrix(env.hs, 'POST', '/logout', token, {});
  return `recovery key shown once; backup version ${backup.version}, dehydrated device ${dehydrated.device_id}`;
}

export async function ownComputer({ env }) {
  const { deskContext, client } = state;
  let desk = state.desk;
  const deviceId = await deviceIdOf(desk);
  await desk.click('#sign-out');
  await desk.screenshot({ path: `${SHOTS}desk-sign-out.png` });
  await desk.click('#sign-out-cancel');
  await signOutOfDesk(desk, { shared: false });
  const kept = await storedDevices(desk);
  assert(kept.length === 1 && kept[0].deviceId === deviceId && !kept[0].accessToken, 'the device was not kept without its token');
  await clientSays(client, 'Terwijl je weg was schreef ik dit.');
  const again = await signInToDesk(desk, state.lien);
  assert(again.screen === 'rooms', `signing in again showed ${again.screen}`);
  assert(await deviceIdOf(desk) === deviceId, 'signing in again made a new device');
  await until('the message of meanwhile counted', async () =>
    (await rowOf(desk, state.roomId).locator('.unread').textContent()).trim() === '2');
  const everything = ['end-to-end versleuteld', 'Dag Bram, fijn dat je er bent.', 'Hallo, ik ben er.',
    'Dit is geheim: ik slaap slecht.', 'Terwijl je weg was schreef ik dit.'];
  await openDeskRoom(desk, state.roomId);
  await allReadable(desk, everything);
  // A reload, then a closed and reopened tab: the same device, everything readable.
  await desk.reload();
  await desk.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 60_000 });
  assert(await deviceIdOf(desk) === deviceId, 'a reload made a new device');
  await openDeskRoom(desk, state.roomId);
  await allReadable(desk, everything);
  await desk.close();
  desk = await deskContext.newPage();
  keepConsole(desk, 'desk-2');
  state.desk = desk;
  await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  await desk.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 60_000 });
  assert(await deviceIdOf(desk) === deviceId, 'a reopened tab made a new device');
  await openDeskRoom(desk, state.roomId);
  await allReadable(desk, everything);
  // "Vergrendel": the same, in one click.
  await desk.click('#lock');
  await desk.locator('#screen-sign-in:not([hidden])').waitFor({ timeout: 30_000 });
  assert((await desk.locator('#sign-in-flash').textContent()).includes('Vergrendeld'), 'not told the page is locked');
  assert(!(await storedDevices(desk))[0].accessToken, 'the locked page kept its token');
  await signInToDesk(desk, state.lien);
  assert(await deviceIdOf(desk) === deviceId, 'unlocking made a new device');
  state.everything = everything;
  state.deviceId = deviceId;
  return `device ${deviceId} kept across sign-out, reload, a reopened tab and the lock`;
}

/** A colleague signs in on the same browser while Lien's device is kept: two devices, neither sees the other. */
export async function colleagueOnTheSameBrowser({ env }) {
  const { desk } = state;
  await signOutOfDesk(desk, { shared: false });
  const jan = await registerUser(env, 'jan', 'Hulpverlener Jan');
  const janIn = await signInToDesk(desk, jan);
  assert(janIn.screen === 'recovery-new', `Jan's first sign-in showed ${janIn.screen}`);
  const both = await storedDevices(desk);
  const janDevice = both.find((device) => device.userId === jan.userId);
  const lienDevice = both.find((device) => device.userId === state.lien.userId);
  assert(both.length === 2 && janDevice.deviceId !== state.deviceId && lienDevice.deviceId === state.deviceId
    && !lienDevice.accessToken, `kept devices: ${JSON.stringify(both.map(({ userId, deviceId }) => [userId, deviceId]))}`);
  assert(await desk.locator(`#rooms tr[data-room="${state.roomId}"]`).count() === 0, 'Jan sees Lien\'s room');
  // Jan leaves the shared way: only his device and stores go.
  await signOutOfDesk(desk, { shared: true });
  const left = await storedDevices(desk);
  assert(left.length === 1 && left[0].userId === state.lien.userId && left[0].deviceId === state.deviceId, 'Lien\'s kept device went too');
  assert(!(await databaseNames(desk)).some((name) => name.includes(jan.userId)), 'Jan\'s crypto store is still here');
  assert(await desk.evaluate(() => localStorage.getItem('praatbrug.desk.wipe')) === null, 'a wipe left unfinished');
  // A wipe the browser could not finish (the tab closed while a store was still open) is finished
  // at the next load, before anything opens a store.
  const stale = 'praatbrug-desk-@jan:caw.test-STALEDEVICE';
  await desk.evaluate((prefix) => new Promise((resolve) => {
    localStorage.setItem('praatbrug.desk.wipe', JSON.stringify([prefix]));
    const request = indexedDB.open(`${prefix}::matrix-sdk-crypto`);
    request.onsuccess = () => { request.result.close(); resolve(); };
  }), stale);
  await desk.reload();
  await desk.locator('#screen-sign-in:not([hidden])').waitFor({ timeout: 30_000 });
  assert(!(await databaseNames(desk)).some((name) => name.startsWith(stale)), 'the unfinished wipe was not finished');
  assert(await desk.evaluate(() => localStorage.getItem('praatbrug.desk.wipe')) === null, 'the wipe is still marked');
  // Lien comes back to the same device and reads everything.
  const again = await signInToDesk(desk, state.lien);
  assert(again.screen === 'rooms', `Lien's return showed ${again.screen}`);
  assert(await deviceIdOf(desk) === state.deviceId, 'Lien got a new device');
  await openDeskRoom(desk, state.roomId);
  await allReadable(desk, state.everything);
  await desk.click('.back-to-rooms');
  await matrix(env.hs, 'POST', '/logout', jan.token, {});
  return `two counsellors, two devices (${state.deviceId}, ${janDevice.deviceId}); the shared sign-out of one left the other's`;
}

export async function sharedComputer({ browser, env }) {
  const { client } = state;
  await signOutOfDesk(state.desk, { shared: true });
  assert((await state.desk.locator('#sign-in-flash').textContent()).includes('gewist'), 'no word about the wipe');
  const left = (await databaseNames(state.desk)).filter((name) => name.startsWith('praatbrug-desk'));
  assert(left.length === 0, `stores left in the browser: ${left}`);
  assert(await state.desk.evaluate(() => localStorage.getItem('praatbrug.desk.wipe')) === null, 'a wipe left unfinished');
  const { devices } = await matrix(env.hs, 'GET', `/_synapse/admin/v2/users/${encodeURIComponent(state.lien.userId)}/devices`, env.asToken);
  assert(!devices.some((device) => device.device_id === state.deviceId), 'the device still exists on the homeserver');
  await state.deskContext.close();
  // Written while the counsellor has no browser anywhere.
  await clientSays(client, 'Nog een bericht terwijl niemand keek.');
  const everything = [...state.everything, 'Nog een bericht terwijl niemand keek.'];
  // Another browser: without the recovery key the history is not readable...
  state.deskContext = await browser.newContext(DESKTOP);
  await state.deskContext.addInitScript(watchSignals);
  const desk = await state.deskContext.newPage();
  keepConsole(desk, 'desk-3');
  state.desk = desk;
  await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  const skipped = await signInToDesk(desk, state.lien);
  assert(skipped.screen === 'recovery-enter', `a new browser showed ${skipped.screen}, not the recovery key question`);
  await desk.locator('#restore-offer:not([hidden])').waitFor();
  await openDeskRoom(desk, state.roomId);
  await desk.screenshot({ path: `${SHOTS}desk-without-recovery-key.png` });
  const before = await until('the history drawn', async () => {
    const texts = await desk.locator('#messages .message .body').allTextContents();
    return texts.length >= 4 && texts;
  });
  assert(before.filter((text) => text === NOT_DECRYPTED).length >= 4, `readable without the recovery key: ${before}`);
  // ...a wrong key is refused, the right one brings all of it back.
  await desk.click('.back-to-rooms');
  await desk.click('#restore-open');
  await desk.fill('#recovery-input', 'EsTc 1234 nope');
  await desk.click('#recovery-submit');
  await desk.locator('#recovery-error:not([hidden])').waitFor();
  await desk.screenshot({ path: `${SHOTS}desk-recovery-key.png` });
  const started = Date.now();
  await desk.fill('#recovery-input', state.recoveryKey);
  await desk.click('#recovery-submit');
  await desk.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 90_000 });
  assert(await desk.locator('#restore-offer').isHidden(), 'still offers the recovery key');
  await openDeskRoom(desk, state.roomId);
  await allReadable(desk, everything);
  await desk.click('.back-to-rooms');
  state.everything = everything;
  return `all ${everything.length} messages readable ${Date.now() - started} ms after entering the recovery key`;
}

/**
 * A browser without keys confirmed by another device of hers, not by the recovery key: first
 * Element on her phone (a matrix-js-sdk client in Node) with symbols that differ, refused; then the
 * counsellor page she has open in another browser, symbols compared on both pages.
 */
export async function verifiedFromAnotherDevice({ browser, env }) {
  const phone = await startOtherDevice(env, state.lien, state.recoveryKey);
  const other = state.desk; // the page of the shared-computer test, restored with the recovery key
  const context = await browser.newContext(DESKTOP);
  try {
    const page = await context.newPage();
    keepConsole(page, 'desk-4');
    await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
    const signedIn = await signInToDesk(page, state.lien, { stayAtRecovery: true });
    assert(signedIn.screen === 'recovery-enter', `a new browser showed ${signedIn.screen}`);
    // "A device that can already read her conversations" has also backed up their keys by now:
    // wait until the server's backup holds the key of every message in the room (the other page
    // uploads what its dehydrated device brought a few seconds after the recovery key).
    await until('every session of the room in the key backup', async () => {
      const { version } = await matrix(env.hs, 'GET', '/room_keys/version', phone.token);
      const { rooms } = await matrix(env.hs, 'GET', `/room_keys/keys?version=${version}`, phone.token);
      const backedUp = Object.keys(rooms?.[state.roomId]?.sessions ?? {});
      const { chunk } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(state.roomId)}/messages?dir=b&limit=100`, phone.token);
      const used = new Set(chunk.filter((e) => e.type === 'm.room.encrypted').map((e) => e.content.session_id));
      return used.size > 0 && [...used].every((id) => backedUp.includes(id));
    }, 60_000);
    // Her phone answers first; the symbols differ: nothing is handed over.
    await page.click('#verify-start');
    await page.locator('#verify-status', { hasText: 'aanvaard' }).waitFor({ timeout: 15_000 });
    await page.locator('#verify-sas:not([hidden])').waitFor({ timeout: 30_000 });
    await page.click('#verify-mismatch');
    await page.locator('#recovery-error', { hasText: 'verschilden' }).waitFor({ timeout: 30_000 });
    await until('the phone told', async () => phone.seen.outcomes.length === 1, 15_000);
    assert(phone.seen.outcomes[0].startsWith('stopped'), `the phone: ${phone.seen.outcomes}`);
    // The page in the other browser saw the request too, and that it went elsewhere.
    await other.locator('#verify-in-text', { hasText: 'afgebroken' }).waitFor({ timeout: 30_000 });
    await phone.stop();
    // Now the other browser's page confirms it: the same symbols on both pages.
    await page.click('#verify-start');
    await other.locator('#verify-in-ask:not([hidden])').waitFor({ timeout: 30_000 });
    assert((await other.locator('#verify-in-text').textContent()).includes((await storedDevices(page))[0].deviceId),
      'the request does not name the asking device');
    await other.click('#verify-in-accept');
    await page.locator('#verify-sas:not([hidden])').waitFor({ timeout: 30_000 });
    await other.locator('#verify-in-sas:not([hidden])').waitFor({ timeout: 30_000 });
    const shown = await page.locator('#verify-emoji .name').allTextContents();
    const there = await other.locator('#verify-in-emoji .name').allTextContents();
    assert(shown.length === 7 && JSON.stringify(shown) === JSON.stringify(there), `this page ${shown}, the other ${there}`);
    await page.screenshot({ path: `${SHOTS}desk-verify.png` });
    await other.screenshot({ path: `${SHOTS}desk-verify-other.png` });
    const started = Date.now();
    await other.click('#verify-in-match');
    await page.click('#verify-match');
    await page.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 90_000 });
    await other.locator('#verify-in-text', { hasText: 'bevestigd' }).waitFor({ timeout: 30_000 });
    assert(await page.locator('#restore-offer').isHidden(), 'still offers the recovery key');
    await openDeskRoom(page, state.roomId);
    await allReadable(page, state.everything);
    const readableMs = Date.now() - started;
    // The new device is cross-signed now: her other devices and the client's trust it.
    const deviceId = (await storedDevices(page))[0].deviceId;
    const look = await matrix(env.hs, 'POST', '/login', null,
      { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'lien' }, password: state.lien.password });
    const keys = await matrix(env.hs, 'POST', '/keys/query', look.access_token, { device_keys: { [state.lien.userId]: [deviceId] } });
    await matrix(env.hs, 'POST', '/logout', look.access_token, {});
    const signatures = Object.keys(keys.device_keys?.[state.lien.userId]?.[deviceId]?.signatures?.[state.lien.userId] ?? {});
    assert(signatures.some((id) => id !== `ed25519:${deviceId}`), `the device is not cross-signed: ${signatures}`);
    await page.click('.back-to-rooms');
    await signOutOfDesk(page, { shared: true });
    return `differing symbols refused; after matching ones all ${state.everything.length} messages readable in ${readableMs} ms`;
  } finally {
    await context.close();
    await phone.stop();
  }
}

/**
 * A page left open locks after the policy's idle time and asks to sign in again; her device stays.
 * The bridge hands the page the policy's time (15 min); the test shortens what the page reads.
 */
export async function idleLock({ browser, env }) {
  const sara = await registerUser(env, `sara-${Date.now()}`, 'Hulpverlener Sara');
  const context = await browser.newContext(DESKTOP);
  try {
    const desk = await context.newPage();
    keepConsole(desk, 'desk-idle');
    let policyIdle = null;
    await desk.route('**/_praatbrug/desk/v1/config', async (route) => {
      const config = await (await route.fetch()).json();
      policyIdle = config.idle_lock_seconds;
      await route.fulfill({ json: { ...config, idle_lock_seconds: 4 } });
    });
    await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
    await signInToDesk(desk, sara);
    assert(policyIdle === 900, `the bridge gave an idle time of ${policyIdle} s, not the policy's 15 min`);
    const deviceBefore = await deviceIdOf(desk);
    // Working (key presses) keeps it open past the idle time.
    for (let i = 0; i < 6; i++) {
      await desk.waitForTimeout(1_000);
      await desk.keyboard.press('Control');
    }
    assert(await screenOf(desk) === 'rooms', 'locked while she was typing');
    const idleFrom = Date.now();
    await desk.locator('#screen-sign-in:not([hidden])').waitFor({ timeout: 20_000 });
    const lockedAfter = Date.now() - idleFrom;
    assert((await desk.locator('#sign-in-flash').textContent()).includes('niet gebruikt'), 'not told why it locked');
    await signInToDesk(desk, sara);
    assert(await deviceIdOf(desk) === deviceBefore, 'the lock did not keep her device');
    return `locked ${lockedAfter} ms after the last key press (idle time 4 s, looked at every 5 s); same device after signing in again`;
  } finally {
    await context.close();
  }
}
