// The counsellor page (binnen/counsellor.html) as a counsellor uses it across days: her device kept
// in the browser, the key backup under her recovery key, the caseload overview with the bot's
// commands as buttons, and the signals of a background tab. Real Chromium, real Synapse, the real
// bridge, a real client page. Registered in run.js (they share its Synapse and bridge).
import { fileURLToPath } from 'node:url';
import { assert, until } from './checks.js';
import {
  DESKTOP, NOT_DECRYPTED, allReadable, keepConsole, consentAsMatrixUser, databaseNames, joinRuleOf, knockWithoutCode,
  ledgerKindsFor, membershipOf, openDeskRoom, registerUser, rowOf, screenOf, setTabHidden, signInToDesk,
  signOutOfDesk, startOtherDevice, storedDevices, watchSignals,
} from './desk-helpers.js';
import { matrix } from './environment.js';

const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'nl-BE' };
const state = {};

/** The client page: consent with a first name, the knock (its code taken out, so it waits). */
async function clientKnocks(browser, link) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.route('**/_matrix/client/v3/knock/**', (route) => {
    route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), reason: '' }) });
  });
  await page.goto(link);
  await page.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
  await page.fill('#name', 'Bram');
  await page.check('#agreed');
  const knocked = page.waitForResponse((response) => response.url().includes('/knock/') && response.ok(), { timeout: 30_000 });
  await page.click('#consent-submit');
  await knocked;
  return { context, page, knockedAt: Date.now() };
}

async function clientSays(page, text) {
  await page.fill('#message', text);
  await page.click('#send');
  await page.locator('.message.mine .body', { hasText: text }).waitFor({ timeout: 15_000 });
}

async function deviceIdOf(page) {
  const devices = await storedDevices(page);
  assert(devices.length === 1, `${devices.length} kept devices`);
  return devices[0].deviceId;
}

async function firstSignIn({ browser, env }) {
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

async function overviewAndActions({ browser, env }) {
  const { desk } = state;
  // (Granting replaces the origin's permissions, so only now, after the notification offer was seen.)
  await state.deskContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.bridgeUrl });
  // A new counselling room from the page, its link copied from the overview.
  await desk.click('#new-room');
  await desk.locator('#desk-status', { hasText: 'staat klaar' }).waitFor({ timeout: 60_000 });
  const row = desk.locator('#rooms tr[data-state="absent"]').first();
  state.roomId = await row.getAttribute('data-room');
  state.roomName = (await row.locator('.room-name').textContent()).trim();
  await row.locator('[data-action="copy-link"]').click();
  await desk.locator('#desk-status', { hasText: 'gekopieerd' }).waitFor();
  const link = await desk.evaluate(() => navigator.clipboard.readText());
  assert(/\/binnen\/#[A-Z0-9]{8}$/.test(link), `copied "${link}"`);
  // The client knocks; the overview shows it within 2 s, first in the list.
  const client = await clientKnocks(browser, link);
  Object.assign(state, { client: client.page, clientContext: client.context });
  await rowOf(desk, state.roomId).and(desk.locator('[data-state="waiting"]')).waitFor({ timeout: 10_000 });
  const knockShownMs = Date.now() - client.knockedAt;
  assert(knockShownMs <= 2_000, `the knock took ${knockShownMs} ms to show`);
  assert(await desk.locator('#rooms tr').first().getAttribute('data-room') === state.roomId, 'the knock is not at the top');
  assert((await rowOf(desk, state.roomId).textContent()).includes('Bram klopt aan'), 'who knocks is not shown');
  await desk.screenshot({ path: `${SHOTS}desk-knock.png` });
  // Admit from the page: the client gets in, the overview names her.
  await desk.waitForTimeout(1_000); // a person reads the row before deciding
  await rowOf(desk, state.roomId).locator('[data-action="admit"]').click();
  await client.page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
  await rowOf(desk, state.roomId).and(desk.locator('[data-state="present"]')).waitFor({ timeout: 15_000 });
  const shownName = (await rowOf(desk, state.roomId).locator('.client-name').textContent()).trim();
  assert(shownName === 'Bram', `the overview names the client "${shownName}"`);
  // Chat both ways.
  await openDeskRoom(desk, state.roomId);
  await desk.fill('#message', 'Dag Bram, fijn dat je er bent.');
  await desk.click('#send');
  await client.page.locator('.message.theirs .body', { hasText: 'Dag Bram' }).waitFor({ timeout: 30_000 });
  await clientSays(client.page, 'Hallo, ik ben er.');
  await allReadable(desk, ['end-to-end versleuteld', 'Dag Bram, fijn dat je er bent.', 'Hallo, ik ben er.']);
  await desk.click('.back-to-rooms');
  return `knock shown ${knockShownMs} ms after it was sent`;
}

async function backgroundTab({ env }) {
  const { desk, deskContext, client } = state;
  await deskContext.grantPermissions(['notifications', 'clipboard-read', 'clipboard-write'], { origin: env.bridgeUrl });
  await desk.screenshot({ path: `${SHOTS}desk-overview.png` });
  const baseTitle = await desk.title();
  await setTabHidden(desk, true);
  await clientSays(client, 'Dit is geheim: ik slaap slecht.');
  await until('the title counting', async () => (await desk.title()) === '(1) Praatbrug', 15_000);
  // A knock while hidden (someone with a Matrix account, on the same room).
  state.carla = await registerUser(env, 'carla', 'Carla');
  await knockWithoutCode(env, state.carla, state.roomId);
  await until('the title counting the knock', async () => (await desk.title()) === '(2) Praatbrug', 15_000);
  const signals = await desk.evaluate(() => window.praatbrugSignals);
  const bodies = signals.shown.map((shown) => shown.body);
  assert(bodies.includes(`Nieuw bericht in ${state.roomName}`), `notifications: ${JSON.stringify(signals.shown)}`);
  assert(bodies.includes(`Iemand klopt aan bij ${state.roomName}`), `notifications: ${JSON.stringify(signals.shown)}`);
  for (const shown of signals.shown) {
    const all = `${shown.title} ${shown.body}`;
    for (const secret of ['geheim', 'slaap', 'Bram', 'Carla']) {
      assert(!all.includes(secret), `a notification holds "${secret}": ${all}`);
    }
  }
  assert(signals.tones >= 2, `tones played: ${signals.tones}`);
  assert(signals.asked === 0, 'permission asked without the counsellor choosing to');
  await setTabHidden(desk, false);
  assert(await desk.title() === baseTitle, 'the title did not come back');
  // The overview says where something is new.
  assert((await rowOf(desk, state.roomId).locator('.unread').textContent()).trim() === '1', 'unread count');
  await matrix(env.hs, 'POST', `/rooms/${encodeURIComponent(state.roomId)}/leave`, state.carla.token, {});
  return `${signals.shown.length} notifications, ${signals.tones} tones`;
}

async function ownComputer({ env }) {
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
async function colleagueOnTheSameBrowser({ env }) {
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

async function sharedComputer({ browser, env }) {
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
async function verifiedFromAnotherDevice({ browser, env }) {
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

/** The same three decisions, once from the page and once typed to the bot; both rooms must end up alike. */
async function sameAsBotCommands({ env, counsellor }) {
  const { desk } = state;
  const carla = state.carla;
  const dirk = await registerUser(env, 'dirk', 'Dirk');
  await consentAsMatrixUser(env, carla);
  await consentAsMatrixUser(env, dirk);
  const newPageRoom = async () => {
    const before = new Set(await desk.locator('#rooms tr').evaluateAll((rows) => rows.map((r) => r.dataset.room)));
    await desk.click('#new-room');
    return until('the new room in the overview', async () =>
      (await desk.locator('#rooms tr').evaluateAll((rows) => rows.map((r) => r.dataset.room))).find((id) => !before.has(id)));
  };
  const confirm = () => desk.click('#confirm-yes');
  // From the page: admit and end in one room, deny in another.
  const pageAdmit = await newPageRoom();
  await knockWithoutCode(env, carla, pageAdmit);
  await rowOf(desk, pageAdmit).locator('[data-action="admit"]').waitFor({ timeout: 15_000 });
  await desk.waitForTimeout(1_000); // a person reads the row before deciding
  await rowOf(desk, pageAdmit).locator('[data-action="admit"]').click();
  await until('carla invited', async () => (await membershipOf(env, pageAdmit, carla.userId))?.content.membership === 'invite');
  await matrix(env.hs, 'POST', `/join/${encodeURIComponent(pageAdmit)}`, carla.token, {});
  await rowOf(desk, pageAdmit).and(desk.locator('[data-state="present"]')).waitFor({ timeout: 15_000 });
  await rowOf(desk, pageAdmit).locator('[data-action="end"]').click();
  await desk.locator('#confirm-dialog[open]').waitFor();
  await desk.screenshot({ path: `${SHOTS}desk-confirm-end.png` });
  await confirm();
  await rowOf(desk, pageAdmit).and(desk.locator('[data-state="ended"]')).waitFor({ timeout: 30_000 });
  const pageDeny = await newPageRoom();
  await knockWithoutCode(env, dirk, pageDeny);
  await rowOf(desk, pageDeny).locator('[data-action="deny"]').waitFor({ timeout: 15_000 });
  await desk.waitForTimeout(1_000);
  await rowOf(desk, pageDeny).locator('[data-action="deny"]').click();
  await confirm();
  await until('dirk turned away', async () => (await membershipOf(env, pageDeny, dirk.userId))?.content.membership === 'leave');
  // Turned away at the door, Dirk is not shown as the room's client who left.
  await rowOf(desk, pageDeny).locator('.client-name', { hasText: 'Nog geen cliënt' }).waitFor({ timeout: 15_000 });
  // Typed to the bot by a counsellor in her own chat with it.
  const dm = await counsellor.directChatWithBot();
  // A bot notice that was not in the chat yet at `seen` (a set of event ids taken before acting).
  const noticesNow = () => new Set(counsellor.client.getRoom(dm).getLiveTimeline().getEvents().map((e) => e.getId()));
  const botNotice = async (pattern, seen) => (await counsellor.waitForEvent(dm, (e) => !seen.has(e.getId())
    && e.getSender() === '@praatbrug:caw.test' && pattern.test(e.getContent().body ?? ''), `bot notice ${pattern}`)).getContent().body;
  const botRoom = async () => {
    const since = noticesNow();
    await counsellor.say(dm, '!gesprek nieuw');
    return /aankloppen op (\S+) met/.exec(await botNotice(/Cliënt zonder app/, since))[1];
  };
  const botAdmit = await botRoom();
  await counsellor.join(botAdmit);
  let since = noticesNow();
  await knockWithoutCode(env, carla, botAdmit);
  await botNotice(/carla:caw.test klopt aan bij/, since);
  await counsellor.say(dm, `!gesprek toelaten ${carla.userId} ${botAdmit}`);
  await until('carla invited by command', async () => (await membershipOf(env, botAdmit, carla.userId))?.content.membership === 'invite');
  await matrix(env.hs, 'POST', `/join/${encodeURIComponent(botAdmit)}`, carla.token, {});
  await until('the session started', async () => ledgerKindsFor(env, botAdmit).includes('session_started'));
  await counsellor.say(dm, `!gesprek einde ${botAdmit}`);
  await until('the room closed by command', async () => (await joinRuleOf(env, botAdmit)) === 'invite');
  const botDeny = await botRoom();
  await counsellor.join(botDeny);
  since = noticesNow();
  await knockWithoutCode(env, dirk, botDeny);
  await botNotice(/dirk:caw.test klopt aan bij/, since);
  await counsellor.say(dm, `!gesprek weigeren ${dirk.userId} ${botDeny}`);
  await until('dirk turned away by command', async () => (await membershipOf(env, botDeny, dirk.userId))?.content.membership === 'leave');
  // Room state and ledger: the same effects.
  for (const [viaPage, viaBot, who, reason] of [[pageAdmit, botAdmit, carla, 'gesprek beëindigd'], [pageDeny, botDeny, dirk, 'geweigerd door de hulpverlener']]) {
    const [page, bot] = [await membershipOf(env, viaPage, who.userId), await membershipOf(env, viaBot, who.userId)];
    for (const member of [page, bot]) {
      assert(member.content.membership === 'leave' && member.content.reason === reason && member.sender === '@praatbrug:caw.test',
        `${who.userId}: ${JSON.stringify(member)}`);
    }
    assert(await joinRuleOf(env, viaPage) === await joinRuleOf(env, viaBot), 'join rules differ');
    const kinds = await until('the ledger written', async () => {
      const both = [ledgerKindsFor(env, viaPage), ledgerKindsFor(env, viaBot)];
      return JSON.stringify(both[0]) === JSON.stringify(both[1]) && both[0].length > 0 && both;
    }, 15_000).catch(() => [ledgerKindsFor(env, viaPage), ledgerKindsFor(env, viaBot)]);
    assert(JSON.stringify(kinds[0]) === JSON.stringify(kinds[1]), `ledger via page ${kinds[0]}, via bot ${kinds[1]}`);
  }
  state.pageAdmit = pageAdmit;
  assert(await joinRuleOf(env, pageAdmit) === 'invite', 'the ended room still takes knocks');
  assert(JSON.stringify(ledgerKindsFor(env, pageAdmit)) === JSON.stringify(['session_started', 'session_ended']),
    `ledger of the ended room: ${ledgerKindsFor(env, pageAdmit)}`);
  assert(ledgerKindsFor(env, pageDeny).includes('knock_denied'), `ledger of the denial: ${ledgerKindsFor(env, pageDeny)}`);
  // The counsellor of the other tests has one open room again, as they expect.
  await counsellor.say(dm, `!gesprek einde ${botDeny}`);
  await until('the extra room closed', async () => (await joinRuleOf(env, botDeny)) === 'invite');
  return 'admit, end and deny: same room state and ledger from the page as from the commands';
}

/** What #18 keeps about a client, in the overview: the record, its sessions, a label; a next session. */
async function recordsInTheOverview({ env }) {
  const { desk } = state;
  const bramRow = rowOf(desk, state.roomId);
  const ref = (await bramRow.locator('.record-ref').textContent({ timeout: 15_000 })).trim();
  assert(/^C-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(ref), `Bram's record "${ref}"`);
  const sessions = (await bramRow.locator('.record-sessions').textContent()).trim();
  assert(/^\d+ gesprek(ken)?$/.test(sessions), `sessions "${sessions}"`);
  // A label through the dialog: the bot's own !cliënt command, sealed in the store, shown in the row.
  await bramRow.locator('[data-action="label"]').click();
  await desk.locator('#label-dialog[open]').waitFor();
  assert(await desk.evaluate(() => document.activeElement?.id) === 'label-input', 'the label field has no focus');
  await desk.fill('#label-input', '  Bram,   2de jaar ');
  await desk.screenshot({ path: `${SHOTS}desk-label.png` });
  await desk.keyboard.press('Enter');
  await bramRow.locator('.record-label', { hasText: 'Bram, 2de jaar' }).waitFor({ timeout: 30_000 });
  await desk.locator('#desk-status', { hasText: `label van ${ref} is bewaard` }).waitFor();
  const database = await storeText(env);
  assert(database.includes(ref) && !database.includes('2de jaar'), 'the label is stored in clear');
  // Cancel changes nothing; Escape too.
  await bramRow.locator('[data-action="label"]').click();
  await desk.fill('#label-input', 'iets anders');
  await desk.click('#label-cancel');
  await bramRow.locator('[data-action="label"]').click();
  await desk.keyboard.press('Escape');
  assert((await bramRow.locator('.record-label').textContent()).trim() === 'Bram, 2de jaar', 'cancel changed the label');
  // Only her own token reads her records: not the client's guest token, not another account's.
  const url = `${env.bridgeUrl}/_praatbrug/desk/v1/records`;
  const read = (token) => fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {})
    .then(async (response) => ({ status: response.status, text: await response.text() }));
  assert((await read(null)).status === 401, 'records without a token');
  const guest = await state.client.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation')).accessToken);
  const asGuest = await read(guest);
  assert(asGuest.status === 403 && !asGuest.text.includes(ref), `the client's token: ${asGuest.status} ${asGuest.text}`);
  const carla = await matrix(env.hs, 'POST', '/login', null,
    { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'carla' }, password: state.carla.password });
  const asCarla = await read(carla.access_token);
  assert(asCarla.status === 200 && JSON.stringify(JSON.parse(asCarla.text).rooms) === '{}', `another account: ${asCarla.text}`);
  await matrix(env.hs, 'POST', '/logout', carla.access_token, {});
  // The ended room's client comes back: a new room under the same record, from the row.
  const endedRow = rowOf(desk, state.pageAdmit);
  const carlaRef = (await endedRow.locator('.record-ref').textContent({ timeout: 15_000 })).trim();
  const before = new Set(await desk.locator('#rooms tr').evaluateAll((rows) => rows.map((r) => r.dataset.room)));
  await endedRow.locator('[data-action="next-session"]').click();
  await desk.locator('#desk-status', { hasText: 'staat klaar' }).waitFor({ timeout: 60_000 });
  const again = await until('the next room in the overview', async () =>
    (await desk.locator('#rooms tr').evaluateAll((rows) => rows.map((r) => r.dataset.room))).find((id) => !before.has(id)));
  await rowOf(desk, again).locator('.record-ref', { hasText: carlaRef }).waitFor({ timeout: 15_000 });
  assert(await rowOf(desk, again).getAttribute('data-state') === 'absent', 'the next room is not waiting for the client');
  // Across a reload the records come back with the page.
  await desk.reload();
  await desk.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 60_000 });
  await rowOf(desk, state.roomId).locator('.record-label', { hasText: 'Bram, 2de jaar' }).waitFor({ timeout: 15_000 });
  await rowOf(desk, again).locator('[data-action="end"]').click();
  await desk.click('#confirm-yes');
  await rowOf(desk, again).and(desk.locator('[data-state="ended"]')).waitFor({ timeout: 30_000 });
  return `record ${ref} (${sessions}), label set and sealed; next session for ${carlaRef} from the row`;
}

/** Every text column of the bridge's SQLite store, to look for what must not be there in clear. */
async function storeText(env) {
  const { execFileSync } = await import('node:child_process');
  const { dirname, join } = await import('node:path');
  const script = 'import sqlite3,sys\n'
    + 'c=sqlite3.connect(sys.argv[1])\n'
    + 'for (t,) in c.execute("select name from sqlite_master where type=\'table\'").fetchall():\n'
    + '  for row in c.execute("select * from " + t).fetchall():\n'
    + '    print(" ".join(str(v) for v in row))';
  return execFileSync('python3', ['-c', script, join(dirname(env.logFile), 'bridge.db')], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

async function englishAndKeyboard() {
  const { desk } = state;
  await desk.click('#language');
  await desk.locator('#rooms-heading', { hasText: 'Your conversations' }).waitFor();
  await desk.locator('#desk-status', { hasText: 'has ended' }).waitFor({ timeout: 5_000 });
  await desk.screenshot({ path: `${SHOTS}desk-english.png` });
  assert((await rowOf(desk, state.roomId).textContent()).includes('Present'), 'the overview is not in English');
  assert(/^\d+ sessions?$/.test((await rowOf(desk, state.roomId).locator('.record-sessions').textContent()).trim()),
    'the record line is not in English');
  await desk.click('#language');
  // Keyboard only: Tab reaches the room, Enter opens it, the chat's input has the focus.
  await desk.locator(`#rooms button[data-room-id="${state.roomId}"]`).focus();
  await desk.keyboard.press('Enter');
  await desk.locator('#screen-chat:not([hidden])').waitFor();
  assert(await desk.evaluate(() => document.activeElement?.id) === 'message', 'the message field has no focus');
  // Reading further back until the room's start, where the button goes away; the history stays in order.
  for (let i = 0; i < 8 && await desk.locator('#older').isVisible(); i += 1) {
    await desk.click('#older');
    await desk.waitForTimeout(500);
  }
  assert(await desk.locator('#older').isHidden(), 'still offers earlier messages at the start of the room');
  const times = await desk.locator('#messages .message').evaluateAll((items) => items.map((item) => Number(item.dataset.ts)));
  assert(times.every((time, i) => i === 0 || times[i - 1] <= time), 'messages out of order');
  // Every button and field has a name for a screen reader.
  const unnamed = await desk.evaluate(() => [...document.querySelectorAll('button, input, textarea')]
    .filter((element) => element.offsetParent !== null)
    .filter((element) => !(element.getAttribute('aria-label') || element.labels?.length || element.textContent.trim()))
    .map((element) => element.id || element.className));
  assert(unnamed.length === 0, `unnamed controls: ${unnamed}`);
  await desk.click('.back-to-rooms');
  // A second tab on the same device would share its crypto store: it says the page is open already.
  const second = await state.deskContext.newPage();
  await second.goto(desk.url());
  await second.locator('#screen-other-tab:not([hidden])').waitFor({ timeout: 15_000 });
  await second.close();
  await state.deskContext.close();
  await state.clientContext.close();
}

export const deskTests = [
  ['counsellor page: the first sign-in sets up the key backup and shows the recovery key once', firstSignIn],
  ['counsellor page: a new room from the overview, its link copied; a knock shows within 2 s; admitted from the page, the client is named',
    overviewAndActions],
  ['counsellor page: in a background tab a message and a knock count in the title, chime and notify without names or text',
    backgroundTab],
  ['counsellor page: signed out on her own computer, reloaded, reopened and locked, the same device reads everything the client wrote meanwhile',
    ownComputer],
  ['counsellor page: a colleague on the same browser gets a device of her own; her shared sign-out leaves the kept device of the first',
    colleagueOnTheSameBrowser],
  ['counsellor page: signed out of a shared computer, another browser reads the whole history only after the recovery key',
    sharedComputer],
  ['counsellor page: a new browser confirmed by another of her devices (emoji compared; a mismatch refused) reads the whole history without the recovery key',
    verifiedFromAnotherDevice],
  ['counsellor page: admit, deny and end from the page have the same effect as the bot commands (room state, ledger)', sameAsBotCommands],
  ['counsellor page: the overview shows the client record and its sessions, sets a sealed label, starts the next session of a record; only her own token reads them',
    recordsInTheOverview],
  ['counsellor page: English, keyboard, screen-reader names, reading further back; a second tab does not start', englishAndKeyboard],
];

export { screenOf };
