// Browser test of the admin page: real Chromium (Debian's), real Synapse, the real bridge jar.
// An admin signs in with their Matrix account, edits the retention of the caw policy, sees the
// validation error for a bad value, saves a good one, and the counselling room's m.room.retention
// changes on the homeserver. Also: the English switch and keyboard-only sign-in.
// Run: node test/browser/admin-page.js (after mvn package; ./praatbrug test runs it).
// Ends with the line "admin-page: N passed, N failed". Screenshots: test/target/admin-page/.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// Chromium, commands and the bridge as in the web front-ends' tests (web-common: npm ci there first).
import {
  JAR, REPO, SYNAPSE, keyValues, launchChromium, matrix as matrixAt, run, startBridge,
} from '../../web-common/test/browser-environment.js';

const WORK = join(REPO, 'test/target/admin-page');
const S = {
  name: process.env.ADMINPAGE_NAME ?? 'adminpage',
  clientPort: Number(process.env.ADMINPAGE_CLIENT_PORT ?? 18908),
  federationPort: Number(process.env.ADMINPAGE_FEDERATION_PORT ?? 18948),
  bridgePort: Number(process.env.ADMINPAGE_BRIDGE_PORT ?? 29378),
};
const HS = `http://127.0.0.2:${S.clientPort}`;
const BRIDGE = `http://127.0.0.1:${S.bridgePort}`;
const ADMIN = { user: 'beheerder', password: 'beheerder-pw-adminpage' };
const COUNSELLOR = { user: 'hulpverlener', password: 'hulpverlener-pw-adminpage' };
const CLIENT = { user: 'leerling', password: 'leerling-pw-adminpage' };
const THIRTY_DAYS_MS = 2_592_000_000;
const SEVEN_DAYS_MS = 604_800_000;

const log = (message) => process.stderr.write(`[admin-page test] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const matrix = (method, path, token, body) => matrixAt(HS, method, path, token, body);

async function eventually(what, probe, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false && value !== null) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await sleep(250);
  }
}

async function startEnvironment(cleanups) {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(join(WORK, 'policies'), { recursive: true });
  copyFileSync(join(REPO, 'policy/policies/caw.yaml'), join(WORK, 'policies/caw.yaml'));
  const config = join(WORK, 'bridge.yaml');
  writeFileSync(config, [
    'homeserver:', `  address: ${HS}`, '  domain: caw.test',
    'appservice:', '  hostname: 127.0.0.1', `  port: ${S.bridgePort}`,
    'database:', '  type: sqlite', `  uri: ${join(WORK, 'bridge.db')}`,
    'rooms:', `  policy_dir: ${join(WORK, 'policies')}`,
    'metrics:', '  port: 0',
    'ledger:', `  key_file: ${join(WORK, 'ledger-key.json')}`, `  consent_dir: ${join(REPO, 'policy/consent')}`,
    'admin:', '  users: "@beheerder:caw.test"', '',
  ].join('\n'));
  const registration = join(WORK, 'registration.yaml');
  run('java', ['-jar', JAR, '--config', config, 'generate-registration', '--registration', registration]);
  log(`Synapse ${S.name}/caw on ${HS}, bridge on ${BRIDGE}`);
  cleanups.push(() => run(SYNAPSE, ['stop', '--name', S.name, '--org', 'caw']));
  run(SYNAPSE, ['stop', '--name', S.name, '--org', 'caw']);
  const paths = keyValues(run(SYNAPSE, ['paths', '--name', S.name, '--org', 'caw']));
  rmSync(paths.instance_dir, { recursive: true, force: true });
  run(SYNAPSE, ['start', '--name', S.name, '--org', 'caw', '--registration', registration,
    '--client-port', String(S.clientPort), '--federation-port', String(S.federationPort)]);
  for (const who of [ADMIN, COUNSELLOR, CLIENT]) {
    run(SYNAPSE, ['register', '--name', S.name, '--org', 'caw', '--user', who.user, '--password', who.password]);
  }
  await startBridge(config, join(WORK, 'bridge.log'), cleanups);
}

/**
 * A client with a Matrix account consents in a chat with the bot, which gives them a client record;
 * returns the reference the bot names in its answer.
 */
async function clientWithARecord() {
  const { access_token: token } = await matrix('POST', '/login', null, {
    type: 'm.login.password', identifier: { type: 'm.id.user', user: CLIENT.user }, password: CLIENT.password,
  });
  const { room_id: chat } = await matrix('POST', '/createRoom', token, {
    preset: 'trusted_private_chat', is_direct: true, invite: ['@praatbrug:caw.test'],
  });
  await eventually('the bot to join the client\'s chat', async () =>
    (await matrix('GET', `/rooms/${encodeURIComponent(chat)}/joined_members`, token)).joined['@praatbrug:caw.test']);
  await matrix('PUT', `/rooms/${encodeURIComponent(chat)}/send/m.room.message/consent-${Date.now()}`, token,
    { msgtype: 'm.text', body: '!toestemming geef' });
  return eventually('the consent to be recorded', async () => {
    const { chunk } = await matrix('GET', `/rooms/${encodeURIComponent(chat)}/messages?dir=b&limit=20`, token);
    const answer = chunk.find((event) => event.sender === '@praatbrug:caw.test' && /genoteerd/.test(event.content?.body ?? ''));
    return answer?.content.body.match(/cliëntreferentie is (C-[A-Z0-9]{4}-[A-Z0-9]{4})/)?.[1];
  });
}

/** The counsellor asks the bot for a counselling room, as in a Matrix client; returns its id. */
async function counsellingRoom() {
  const login = await matrix('POST', '/login', null, {
    type: 'm.login.password', identifier: { type: 'm.id.user', user: COUNSELLOR.user }, password: COUNSELLOR.password,
  });
  const token = login.access_token;
  const { room_id: chat } = await matrix('POST', '/createRoom', token, {
    preset: 'trusted_private_chat', is_direct: true, invite: ['@praatbrug:caw.test'],
  });
  await eventually('the bot to join the chat', async () =>
    (await matrix('GET', `/rooms/${encodeURIComponent(chat)}/joined_members`, token)).joined['@praatbrug:caw.test']);
  await matrix('PUT', `/rooms/${encodeURIComponent(chat)}/send/m.room.message/new-${Date.now()}`, token,
    { msgtype: 'm.text', body: '!gesprek nieuw' });
  const roomId = await eventually('the bot to answer with a room', async () => {
    const { chunk } = await matrix('GET', `/rooms/${encodeURIComponent(chat)}/messages?dir=b&limit=20`, token);
    const answer = chunk.find((event) => event.sender === '@praatbrug:caw.test' && /Klopcode/.test(event.content?.body ?? ''));
    return answer?.content.body.match(/(![A-Za-z0-9]+:caw\.test)/)?.[1];
  });
  await matrix('POST', `/join/${encodeURIComponent(roomId)}`, token, {});
  return {
    roomId,
    retentionMs: async () => (await matrix('GET', `/rooms/${encodeURIComponent(roomId)}/state/m.room.retention/`, token)).max_lifetime,
  };
}

const results = { passed: 0, failed: 0 };

async function check(name, fn) {
  try {
    await fn();
    results.passed += 1;
    log(`ok   ${name}`);
  } catch (error) {
    results.failed += 1;
    log(`FAIL ${name}: ${error.stack ?? error}`);
  }
}

async function main() {
  const cleanups = [];
  let browser;
  try {
    await startEnvironment(cleanups);
    const room = await counsellingRoom();
    assert(await room.retentionMs() === THIRTY_DAYS_MS, 'the room starts with 30 days of retention');
    browser = await launchChromium();
    const page = await browser.newPage();
    const problems = [];
    page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
    page.on('pageerror', (error) => problems.push(String(error)));
    const opened = await page.goto(`${BRIDGE}/admin`);

    await check('the page is served at /admin/ with a strict Content-Security-Policy', async () => {
      assert(page.url() === `${BRIDGE}/admin/`, `redirected to the folder: ${page.url()}`);
      const csp = opened.headers()['content-security-policy'] ?? '';
      assert(csp.includes("frame-ancestors 'none'") && csp.includes("script-src 'self'")
        && csp.includes(`connect-src 'self' ${HS}`), `CSP: ${csp}`);
    });

    await check('the page is Dutch first and switches to English and back', async () => {
      assert(await page.locator('#signin-title').textContent() === 'Aanmelden met je Matrix-account', 'Dutch title');
      await page.click('#lang');
      assert(await page.locator('#signin-title').textContent() === 'Sign in with your Matrix account', 'English title');
      assert(await page.getAttribute('html', 'lang') === 'en', 'html lang follows');
      await page.click('#lang');
      assert(await page.getAttribute('html', 'lang') === 'nl-BE', 'back to Dutch');
    });

    await check('a wrong password is refused with a message, on the homeserver', async () => {
      await page.fill('#user', ADMIN.user);
      await page.fill('#password', 'not the password');
      await page.press('#password', 'Enter');
      await page.locator('#signin-error:not(:empty)').waitFor();
      assert(await page.locator('#work').isHidden(), 'not signed in');
    });

    await check('the admin signs in with the keyboard alone', async () => {
      await page.focus('#user');
      await page.fill('#user', ADMIN.user);
      await page.keyboard.press('Tab');
      await page.keyboard.type(ADMIN.password);
      await page.keyboard.press('Enter');
      await page.locator('#work').waitFor({ state: 'visible' });
      assert(await page.locator('#who').textContent() === '@beheerder:caw.test', 'shows who is signed in');
      assert(await page.inputValue('#password') === '', 'the password field is emptied');
      await page.locator('#retention').waitFor();
      await eventually('the caw policy to load', async () => (await page.inputValue('#retention')) === '30d');
    });

    await check('a bad retention value shows the field error and changes nothing', async () => {
      await page.fill('#retention', '7 dagen');
      await page.click('#save');
      await page.locator('#retention-error:not(:empty)').waitFor();
      const error = await page.locator('#retention-error').textContent();
      assert(/geheel getal/.test(error), `Dutch hint in the field error: ${error}`);
      assert(await page.getAttribute('#retention', 'aria-invalid') === 'true', 'the field is marked invalid');
      assert((await page.evaluate(() => document.activeElement.id)) === 'retention', 'focus moves to the field');
      assert(/Versie 0/.test(await page.locator('#policy-meta').textContent()), 'still version 0');
      assert(await room.retentionMs() === THIRTY_DAYS_MS, 'the room keeps 30 days');
      await page.screenshot({ path: join(WORK, 'invalid-retention.png'), fullPage: true });
    });

    await check('checking an edit shows what a save would change in the running sessions, and changes nothing', async () => {
      await page.fill('#retention', '7d');
      await page.click('#validate');
      await eventually('the dry run', async () => /Opslaan past 1 lopend/.test(await page.locator('#policy-result').textContent()));
      const result = await page.locator('#policy-result').textContent();
      assert(/instelling m\.room\.retention aangepast/.test(result), `names the setting: ${result}`);
      assert(await room.retentionMs() === THIRTY_DAYS_MS, 'the room still keeps 30 days');
      assert(/Versie 0/.test(await page.locator('#policy-meta').textContent()), 'still version 0');
    });

    await check('a good retention value is saved and the live room follows', async () => {
      await page.fill('#retention', '7d');
      const saveClicked = Date.now();
      await page.click('#save');
      await eventually('the saved message', async () => /Versie 1 opgeslagen/.test(await page.locator('#policy-result').textContent()));
      assert(await page.getAttribute('#retention', 'aria-invalid') === null, 'no longer invalid');
      assert(/@beheerder:caw\.test/.test(await page.locator('#policy-meta').textContent()), 'names who saved it');
      await eventually('m.room.retention to become 7 days', async () => (await room.retentionMs()) === SEVEN_DAYS_MS);
      log(`save clicked -> room's m.room.retention changed on the homeserver: ${Date.now() - saveClicked} ms`);
      await page.screenshot({ path: join(WORK, 'saved-retention.png'), fullPage: true });
    });

    await check('the admin saves the edited text as a new policy, which applies at once', async () => {
      await page.click('#new-policy summary');
      await page.fill('#new-name', 'Kort!');
      await page.click('#create');
      await eventually('the name to be refused', async () => (await page.getAttribute('#new-name', 'aria-invalid')) === 'true');
      await page.fill('#new-name', 'kort');
      await page.fill('#retention', '2d');
      await page.click('#create');
      await eventually('the created message', async () => /Beleid kort aangemaakt/.test(await page.locator('#policy-result').textContent()));
      assert(/zonder de deur/.test(await page.locator('#policy-result').textContent()), 'the door stays with caw, and the admin is told');
      assert(await page.inputValue('#policy-name') === 'kort', 'the new policy is selected');
      assert(await page.inputValue('#retention') === '2d', 'with its own retention');
    });

    await check('the sessions list shows the room, without client ids', async () => {
      await page.selectOption('#session-state', 'open');
      await eventually('the room in the list', async () => (await page.locator('#sessions-body tr').count()) >= 1);
      const text = await page.locator('#sessions-body').textContent();
      assert(text.includes('@hulpverlener:caw.test'), `counsellor listed: ${text}`);
    });

    await check('the session export downloads a CSV with Dutch headers', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
      const file = join(WORK, 'sessies.csv');
      await download.saveAs(file);
      assert(readFileSync(file, 'utf8').replace('\uFEFF', '').startsWith('Sessie;'), 'CSV with Dutch headers');
    });

    await check('the admin finds a client record by the start of its reference', async () => {
      const ref = await clientWithARecord();
      await page.fill('#client-ref', ref.slice(0, 6).toLowerCase());
      await page.click('#find-client');
      await page.locator('#client-found:not([hidden])').waitFor();
      await eventually('the record shown', async () => (await page.locator('#client-title').textContent()) === `Cliëntdossier ${ref}`);
      const facts = await page.locator('#client-facts').textContent();
      assert(/Toestemming: gegeven op .* \(tekst v1\)\. 0 gesprek\(ken\)/.test(facts), facts);
      assert(await page.inputValue('#client-ref') === ref, 'the full reference is filled in for the exports');
      await page.screenshot({ path: join(WORK, 'client-record.png'), fullPage: true });
    });

    await check('the page broke no Content-Security-Policy rule and logged no errors', async () => {
      // The wrong password (403 from the homeserver) and the bad retention (400) were on purpose.
      const unexpected = problems.filter((text) => !/^Failed to load resource: .* status of (400|403)/.test(text));
      assert(unexpected.length === 0, unexpected.join('\n'));
    });
  } finally {
    await browser?.close().catch(() => {});
    for (const cleanup of cleanups.reverse()) {
      try { await cleanup(); } catch { /* already stopped */ }
    }
  }
  process.stdout.write(`admin-page: ${results.passed} passed, ${results.failed} failed\n`);
  process.exitCode = results.failed === 0 ? 0 : 1;
}

main().catch((error) => {
  log(error.stack ?? String(error));
  process.stdout.write(`admin-page: ${results.passed} passed, ${results.failed + 1} failed\n`);
  process.exitCode = 1;
});
