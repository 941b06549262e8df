// Staff sign-in through the organisation's identity provider: real Keycloak (password + one-time
// code), real Synapse (OpenID Connect, no passwords), the real bridge and counsellor page in
// Chromium. Run: node test/browser/sso.js (after the bridge jar is built). Ends with the line
// "sso: N passed, N failed"; figures (Keycloak start, sign-in, end of access) go to stderr.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assert, until } from './checks.js';
import { DESKTOP, keepConsole, screenOf } from './desk-helpers.js';
import { STAFF, startEnvironment } from './sso-environment.js';
import { totp, wrongCode } from './totp.js';
import { launchChromium } from '../../../web-common/test/browser-environment.js';

const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
mkdirSync(SHOTS, { recursive: true });
const log = (message) => process.stderr.write(`[sso test] ${message}\n`);

/** Keycloak takes each code once: a second sign-in in the same 30 s waits for the next code. */
const lastStep = new Map();
async function freshCode(secret) {
  let step = Math.floor(Date.now() / 30_000);
  if (lastStep.get(secret) === step) {
    await new Promise((resolve) => { setTimeout(resolve, (step + 1) * 30_000 - Date.now() + 200); });
    step = Math.floor(Date.now() / 30_000);
  }
  lastStep.set(secret, step);
  return totp(secret);
}

/** Keycloak's pages: user name and password, then the one-time code. Returns the code page's text after a wrong code. */
async function keycloakSignIn(page, user, code) {
  await page.locator('#password').waitFor({ timeout: 30_000 });
  assert((await page.getAttribute('html', 'lang')) === 'nl', 'Keycloak speaks Dutch first');
  // Signing in again (prompt=login) Keycloak shows the user name it knows and asks the password.
  if (await page.locator('input#username').isVisible()) {
    await page.fill('#username', user.localpart);
  }
  await page.fill('#password', user.password);
  await page.click('#kc-login');
  await page.locator('#otp').waitFor({ timeout: 30_000 });
  await page.fill('#otp', code);
  await page.click('#kc-login');
}

/** The counsellor page's kept device record (IndexedDB), with its access token. */
function keptRecord(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('praatbrug-desk', 1);
    request.onerror = () => reject(request.error);
    request.onsuccess = () => {
      if (!request.result.objectStoreNames.contains('devices')) {
        resolve(null);
        return;
      }
      const all = request.result.transaction('devices', 'readonly').objectStore('devices').getAll();
      all.onsuccess = () => resolve(all.result[0] ?? null);
    };
  }));
}

async function whoami(env, token) {
  const response = await fetch(`${env.hs}/_matrix/client/v3/account/whoami`, { headers: { Authorization: `Bearer ${token}` } });
  return response.status;
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const state = {};

test('password sign-in for staff on the homeserver API is refused; only single sign-on is offered', async ({ env }) => {
  const flows = await (await fetch(`${env.hs}/_matrix/client/v3/login`)).json();
  const types = flows.flows.map((flow) => flow.type);
  assert(types.includes('m.login.sso') && types.includes('m.login.token'), `SSO offered: ${types}`);
  assert(!types.includes('m.login.password'), `no password flow: ${types}`);
  for (const user of Object.values(STAFF)) {
    const response = await fetch(`${env.hs}/_matrix/client/v3/login`, {
      method: 'POST',
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: user.localpart }, password: user.password }),
    });
    assert(response.status === 400 || response.status === 403, `password login for ${user.localpart}: ${response.status}`);
  }
  // The bot (appservice) still signs in.
  const bot = await fetch(`${env.hs}/_matrix/client/v3/login`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${env.asToken}` },
    body: JSON.stringify({ type: 'm.login.application_service', identifier: { type: 'm.id.user', user: 'praatbrug' } }),
  });
  assert(bot.status === 200, `appservice login: ${bot.status}`);
});

test('a wrong one-time code is refused by Keycloak with a Dutch message; the page is not signed in', async ({ browser, env }) => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  keepConsole(page, 'sso-wrong-code');
  await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  await page.locator('#sign-in-sso:not([hidden])').waitFor({ timeout: 30_000 });
  assert(await page.locator('#sign-in-form').isHidden(), 'no password form on the counsellor page');
  assert((await page.locator('#sign-in-sso').textContent()).includes('Aanmelden via je organisatie'), 'Dutch SSO button');
  await page.click('#sign-in-sso');
  await keycloakSignIn(page, STAFF.counsellor, wrongCode(STAFF.counsellor.otpSecret));
  await until('Keycloak says the code is wrong', async () => /Ongeldige authenticatiecode/.test(await page.locator('body').innerText()), 15_000);
  assert(!page.url().includes('loginToken'), 'no login token after a wrong code');
  await page.screenshot({ path: `${SHOTS}sso-wrong-code.png` });
  await context.close();
});

test('the counsellor signs in on the counsellor page with password and one-time code and reaches her rooms', async ({ browser, env }) => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  keepConsole(page, 'sso-counsellor');
  await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  await page.locator('#sign-in-sso:not([hidden])').waitFor({ timeout: 30_000 });
  const started = Date.now();
  await page.click('#sign-in-sso');
  await keycloakSignIn(page, STAFF.counsellor, await freshCode(STAFF.counsellor.otpSecret));
  const screen = await until('a screen after signing in', async () => {
    const now = await screenOf(page).catch(() => null);
    return ['recovery-new', 'recovery-enter', 'rooms'].includes(now) && now;
  }, 90_000);
  state.signInMs = Date.now() - started;
  assert(!page.url().includes('loginToken'), 'the login token is taken out of the address bar');
  if (screen === 'recovery-new') {
    await page.check('#recovery-saved');
    await page.click('#recovery-continue');
  }
  await page.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 90_000 });
  const record = await keptRecord(page);
  assert(record?.userId === STAFF.counsellor.userId, `signed in as ${record?.userId}`);
  assert(await whoami(env, record.accessToken) === 200, 'the page has a working token');
  const rooms = await (await fetch(`${env.hs}/_matrix/client/v3/joined_rooms`, { headers: { Authorization: `Bearer ${record.accessToken}` } })).json();
  assert(Array.isArray(rooms.joined_rooms), 'her rooms can be read');
  // Her work: a counselling room made from the page (the bot's answer comes back encrypted).
  await page.click('#new-room');
  await page.locator('#desk-status', { hasText: 'staat klaar' }).waitFor({ timeout: 60_000 });
  state.roomId = await page.locator('#rooms tr[data-room]').first().getAttribute('data-room');
  assert(state.roomId?.startsWith('!'), `a room in her overview: ${state.roomId}`);
  state.page = page;
  state.deviceId = record.deviceId;
  log(`sign-in through Keycloak (password + code) to the rooms screen: ${state.signInMs} ms`);
});

test('after locking, signing in asks for password and code again and keeps the same device', async ({ env }) => {
  const { page } = state;
  await page.click('#lock');
  await page.locator('#sign-in-sso:not([hidden])').waitFor({ timeout: 30_000 });
  await page.click('#sign-in-sso');
  // Keycloak still knows her browser, but asks again (prompt=login): the lock needs the person.
  await keycloakSignIn(page, STAFF.counsellor, await freshCode(STAFF.counsellor.otpSecret));
  await page.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 90_000 });
  const record = await keptRecord(page);
  assert(record.deviceId === state.deviceId, `same device: ${record.deviceId} vs ${state.deviceId}`);
  assert(await whoami(env, record.accessToken) === 200, 'the new token works');
  state.token = record.accessToken;
});

test('the admin page signs in the same way; a counsellor is refused there', async ({ browser, env }) => {
  for (const [user, admitted] of [[STAFF.admin, true], [STAFF.counsellor, false]]) {
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    keepConsole(page, `sso-admin-${user.localpart}`);
    await page.goto(`${env.bridgeUrl}/admin/`);
    await page.locator('#signin-sso:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.locator('#signin-form').isHidden(), 'no password form on the admin page');
    await page.click('#signin-sso');
    await keycloakSignIn(page, user, await freshCode(user.otpSecret));
    if (admitted) {
      await page.locator('#work:not([hidden])').waitFor({ timeout: 30_000 });
      assert((await page.locator('#who').textContent()).includes(user.userId), 'the admin is signed in');
    } else {
      await page.locator('#signin-error:not(:empty)').waitFor({ timeout: 30_000 });
      assert(await page.locator('#work').isHidden(), 'the counsellor gets no admin work area');
    }
    assert(!page.url().includes('loginToken'), 'the login token is taken out of the address bar');
    await context.close();
  }
});

test('a script signs staff in the same way (test/scripts/sso-login.py, used by the demo smoke test)', async ({ env }) => {
  const script = fileURLToPath(new URL('../../../test/scripts/sso-login.py', import.meta.url));
  lastStep.set(STAFF.admin.otpSecret, Math.floor(Date.now() / 30_000)); // the script may wait for a fresh code
  const output = execFileSync('python3', [script, env.hs, `${env.bridgeUrl}/admin/`, STAFF.admin.localpart,
    STAFF.admin.password, STAFF.admin.otpSecret], { encoding: 'utf8', timeout: 90_000 });
  const login = JSON.parse(output);
  assert(login.user_id === STAFF.admin.userId, `signed in as ${login.user_id}`);
  assert(await whoami(env, login.access_token) === 200, 'the token works');
  await fetch(`${env.hs}/_matrix/client/v3/logout`, { method: 'POST', headers: { Authorization: `Bearer ${login.access_token}` }, body: '{}' });
});

test('disabling the counsellor in Keycloak ends her page and her tokens within 60 s; the admin is told', async ({ env }) => {
  const { page } = state;
  const [user] = await env.keycloakAdmin('GET', '/users?username=counsellor&exact=true');
  const disabledAt = Date.now();
  await env.keycloakAdmin('PUT', `/users/${user.id}`, { ...user, enabled: false });
  await until('her token stops working', async () => (await whoami(env, state.token)) === 401, 60_000);
  state.tokenEndedMs = Date.now() - disabledAt;
  await until('her open page ends and wipes the device', async () => {
    const text = await page.locator('#sign-in-flash').textContent().catch(() => '');
    return /Je toegang is beëindigd/.test(text ?? '');
  }, 60_000 - (Date.now() - disabledAt));
  state.pageEndedMs = Date.now() - disabledAt;
  assert(await keptRecord(page) === null, 'nothing of her device is kept in the browser');
  log(`disabled in Keycloak → token refused after ${state.tokenEndedMs} ms, page ended after ${state.pageEndedMs} ms`);
  // The admin's direct chat with the bot names the counsellor (room ids only, no client data).
  await until('the bridge logged the end of access', async () =>
    /access ended for @counsellor:caw\.test .* 1 open rooms to hand over/.test(env.bridgeLog()), 15_000);
  const adminToken = await env.adminMatrixToken();
  // Synapse answers an identical /sync from its response cache for 2 minutes: a first ask made
  // before the invite would be repeated as is. The timeout is part of its key, so each ask differs.
  let ask = 0;
  const invites = await until('the bot invites the admin to a direct chat', async () => {
    ask += 1;
    const sync = await (await fetch(`${env.hs}/_matrix/client/v3/sync?timeout=${ask}`, { headers: { Authorization: `Bearer ${adminToken}` } })).json();
    const rooms = Object.keys(sync.rooms?.invite ?? {}).concat(Object.keys(sync.rooms?.join ?? {}));
    return rooms.length > 0 && rooms;
  }, 30_000);
  const roomId = invites[0];
  await fetch(`${env.hs}/_matrix/client/v3/join/${encodeURIComponent(roomId)}`, { method: 'POST', headers: { Authorization: `Bearer ${adminToken}` }, body: '{}' });
  state.adminChat = roomId;
});

test('she cannot sign in again: Keycloak says the account is disabled, in Dutch', async ({ browser, env }) => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  await page.locator('#sign-in-sso:not([hidden])').waitFor({ timeout: 30_000 });
  await page.click('#sign-in-sso');
  await page.locator('#username').waitFor({ timeout: 30_000 });
  await page.fill('#username', STAFF.counsellor.localpart);
  await page.fill('#password', STAFF.counsellor.password);
  await page.click('#kc-login');
  let shown = '';
  await until('Keycloak refuses the disabled account in Dutch', async () => {
    shown = await page.locator('body').innerText();
    return /Account is (geblokkeerd|uitgeschakeld)/i.test(shown);
  }, 15_000).catch((error) => { throw new Error(`${error.message}; Keycloak showed: ${shown.replace(/\s+/g, ' ').slice(0, 300)}`); });
  log(`Keycloak to the disabled counsellor: "${/Account is [a-z]+[^.]*\./i.exec(shown)?.[0]}"`);
  assert(!page.url().includes('loginToken'), 'no login token for a disabled account');
  await page.screenshot({ path: `${SHOTS}sso-disabled.png` });
  await context.close();
});

test('with the identity provider down, the counsellor page says so in Dutch', async ({ browser, env }) => {
  env.stopKeycloak();
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
  await page.locator('#sign-in-sso:not([hidden])').waitFor({ timeout: 30_000 });
  await page.click('#sign-in-sso');
  await page.locator('#sign-in-sso-error:not([hidden])').waitFor({ timeout: 30_000 });
  const text = await page.locator('#sign-in-sso-error').textContent();
  assert(/aanmeldserver van je organisatie is nu niet bereikbaar/.test(text), `Dutch message: ${text}`);
  assert(page.url().startsWith(env.bridgeUrl), 'the page stays (no homeserver error page)');
  await context.close();
});

async function main() {
  const env = await startEnvironment();
  const browser = await launchChromium();
  let passed = 0;
  let failed = 0;
  try {
    log(`Keycloak start (optimized, in-memory): ${env.timings.keycloakStartMs} ms`);
    for (const { name, fn } of tests) {
      const t0 = Date.now();
      try {
        await fn({ browser, env });
        passed += 1;
        log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (error) {
        failed += 1;
        log(`FAIL ${name}: ${error.stack}`);
        await state.page?.screenshot({ path: `${SHOTS}sso-failure-${failed}.png` }).catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await env.stop().catch(() => {});
  }
  console.log(`sso: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
