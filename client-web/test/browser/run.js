// Browser tests of the client page: real Chromium on a phone-sized screen, real Synapse, the real
// bridge, and a counsellor who is a real end-to-end encrypted Matrix client (matrix-js-sdk + Rust
// crypto in Node). Run: npm run test:browser (after mvn -DskipTests package -pl bridge -am).
// Screenshots go to target/screenshots/. Ends with the line "client-web: N passed, N failed".
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EventShieldColour } from 'matrix-js-sdk/lib/crypto-api/index.js';
import { encryptedCommandAcrossDowntime, unreadableCommandIsReported } from './bot-device.js';
import { assert, until } from './checks.js';
import { startCounsellor } from './counsellor.js';
import { deskTests } from './desk.js';
import { signInToDesk, signOutOfDesk } from './desk-helpers.js';
import { matrix, startEnvironment } from './environment.js';
import { registerAttachmentTests } from './attachments.js';
import { chooseDevice, registerPhoneTests } from './phone.js';
import { registerRecordTests } from './records.js';
import { registerFamilyTests } from './family.js';
import { registerAppointmentTests } from './appointments.js';
import { registerDoorTests } from './door.js';
import { launchChromium } from '../../../web-common/test/browser-environment.js';

const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'nl-BE' };

const answered = new Set();

/** `!gesprek nieuw [policy]` in the counsellor's chat with the bot: the new room and its link. */
async function newSession(counsellor, dm, policy = '') {
  const before = Date.now();
  await counsellor.say(dm, `!gesprek nieuw ${policy}`.trim());
  // Never the answer to the test before, however close in time.
  const notice = await counsellor.waitForEvent(dm, (e) => e.getTs() >= before - 1000 && e.getType() === 'm.room.message'
    && !answered.has(e.getId()) && /Cliënt zonder app: (\S+)/.test(e.getContent().body ?? ''), 'room-ready notice');
  answered.add(notice.getId());
  const body = notice.getContent().body;
  const link = /Cliënt zonder app: (\S+)/.exec(body)[1];
  const roomId = /aankloppen op (\S+) met/.exec(body)[1];
  await counsellor.join(roomId);
  return { link, roomId, code: link.split('#')[1] };
}

async function screen(page) {
  return page.evaluate(() => document.body.dataset.screen);
}

/** Consent on the form; a device choice still open is answered first (own device, no PIN). */
async function consent(page, { name = 'Bram', under12 = false } = {}) {
  await page.locator('#screen-device:not([hidden]), #screen-consent:not([hidden])').first().waitFor({ timeout: 30_000 });
  if (await page.locator('#screen-device:not([hidden])').count()) {
    await chooseDevice(page);
  }
  await page.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
  await page.fill('#name', name);
  if (under12) {
    await page.check('#under-12');
    await page.fill('#guardian-name', 'An Peeters');
    await page.check('#guardian-consents');
  }
  await page.check('#agreed');
  await page.click('#consent-submit');
}

/** The page's console, for reading after a failure (target/screenshots/console-NAME.txt). */
function keepConsole(page, name) {
  const file = `${SHOTS}console-${name}.txt`;
  writeFileSync(file, '');
  page.on('console', (message) => {
    appendFileSync(file, `${new Date().toISOString()} ${message.type()} ${message.text()}\n`);
  });
}

async function stored(page) {
  return page.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation') ?? 'null'));
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });
const state = {};

test('the link opens a Dutch consent page; the client agrees, waits (also across a refresh) and is let in', async ({ browser, env, counsellor }) => {
  state.dm = await counsellor.directChatWithBot();
  const session = await newSession(counsellor, state.dm);
  state.session = session;
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  keepConsole(page, 'client');
  state.page = page;
  // This first knock carries no code (as if mistyped), so it waits for the counsellor.
  await page.route('**/_matrix/client/v3/knock/**', (route) => {
    const body = route.request().postDataJSON();
    route.continue({ postData: JSON.stringify({ ...body, reason: '' }) });
  });
  await page.goto(session.link);
  await chooseDevice(page);
  await page.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
  const text = await page.locator('#consent-text').textContent();
  for (const must of ['nooit opgenomen', '72 uur', 'Gegevensbeschermingsautoriteit', 'wissen']) {
    assert(text.includes(must), `consent text lacks "${must}"`);
  }
  assert(await page.locator('#consent-text h2, #consent-text h3').count() > 2, 'consent text headings not rendered');
  await page.screenshot({ path: `${SHOTS}consent-nl.png`, fullPage: true });
  await page.click('#language');
  assert((await page.locator('#consent-text').textContent()).includes('72 hours'), 'no English consent text');
  await page.click('#language');
  // Nothing filled in: each field says what is missing, nothing is sent.
  await page.click('#consent-submit');
  assert(await page.locator('#name-error:not([hidden])').count() === 1, 'no name error');
  assert(await page.locator('#agreed-error:not([hidden])').count() === 1, 'no agreement error');
  await page.check('#under-12');
  await page.click('#consent-submit');
  assert(await page.locator('#guardian-name-error:not([hidden])').count() === 1, 'no guardian error');
  await page.uncheck('#under-12');
  await consent(page);
  await page.locator('#screen-waiting:not([hidden])').waitFor({ timeout: 30_000 });
  const guest = await until('the knock stored', async () => (await stored(page))?.knocked && stored(page));
  state.guest = guest;
  assert(guest.userId.startsWith('@praatbrug_guest_'), guest.userId);
  // The counsellor is told someone knocked without a valid code.
  await counsellor.botNotice(state.dm, new RegExp(guest.userId.replace(/[$.]/g, '\\$&')));
  await page.reload();
  await until('waiting after the refresh', async () => (await page.evaluate(() => document.body.dataset.conversation)) === 'waiting');
  assert((await stored(page)).deviceId === guest.deviceId, 'a refresh must keep the same device');
  const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((registration) => registration.scope));
  assert(scope.endsWith('/binnen/'), `service worker scope ${scope}`);
  await page.screenshot({ path: `${SHOTS}waiting.png` });
  await page.unroute('**/_matrix/client/v3/knock/**');
  await counsellor.say(state.dm, `!gesprek toelaten ${guest.userId}`);
  await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
  const peer = await until('the counsellor named', async () => {
    const name = await page.locator('#peer-name').textContent();
    return name.includes('An') && name;
  });
  assert(peer.includes('Hulpverlener An'), `peer is "${peer}"`);
});

test('chat is end-to-end encrypted both ways, with typing and read state; Synapse holds only ciphertext', async ({ env, counsellor }) => {
  const { page, session, guest } = state;
  // The bot greets the client in the room, encrypted by its own (pure Java) device.
  await page.locator('.message.theirs .body', { hasText: 'end-to-end versleuteld' }).waitFor({ timeout: 30_000 });
  const greeting = await counsellor.waitForEvent(session.roomId,
    (e) => e.getSender() === '@praatbrug:caw.test' && e.getType() === 'm.room.message', 'the bot greeting');
  assert(greeting.isEncrypted() && greeting.getContent().body.includes('Welkom'), 'the greeting is not an encrypted notice');
  // What Element shows on it comes from this call: no shield means a device verified by its owner.
  const shield = await counsellor.client.getCrypto().getEncryptionInfoForEvent(greeting);
  assert(shield?.shieldColour === EventShieldColour.NONE, `the greeting would carry a shield (${JSON.stringify(shield)})`);
  // Counsellor → client.
  await counsellor.say(session.roomId, 'Dag Bram, fijn dat je er bent.');
  await page.locator('.message.theirs .body', { hasText: 'Dag Bram, fijn dat je er bent.' }).waitFor({ timeout: 30_000 });
  // Client → counsellor: typing first, then the message.
  const typing = counsellor.waitForEvent(session.roomId, () => false, 'never').catch(() => {});
  void typing;
  await page.fill('#message', 'Hallo');
  await page.dispatchEvent('#message', 'input');
  await until('the counsellor sees typing', async () =>
    counsellor.client.getRoom(session.roomId).getMember(guest.userId)?.typing);
  await page.fill('#message', 'Hallo, ik ben er.');
  await page.click('#send');
  const received = await counsellor.waitForEvent(session.roomId,
    (e) => e.getSender() === guest.userId && e.getType() === 'm.room.message', 'the client message');
  assert(received.isEncrypted(), 'the client message was not encrypted');
  assert(received.getContent().body === 'Hallo, ik ben er.', received.getContent().body);
  // The page cross-signed its own device, so the counsellor's client shows no warning shield either.
  await until('no shield on the client\'s message', async () =>
    (await counsellor.client.getCrypto().getEncryptionInfoForEvent(received))?.shieldColour === EventShieldColour.NONE, 15_000);
  // Counsellor typing and read receipt show on the page.
  await counsellor.client.sendTyping(session.roomId, true, 10_000);
  await page.locator('#typing:not([hidden])').waitFor({ timeout: 15_000 });
  assert((await page.locator('#typing').textContent()).includes('Hulpverlener An'), 'typing names');
  await counsellor.client.sendTyping(session.roomId, false);
  await counsellor.client.sendReadReceipt(received);
  await page.locator('.message.mine[data-read=true]').waitFor({ timeout: 15_000 });
  assert(await page.locator('.message.mine .body', { hasText: 'Hallo, ik ben er.' }).count() === 1,
    'our message is shown more than once');
  await page.screenshot({ path: `${SHOTS}chat.png` });
  // What Synapse stored for the room: every message is m.room.encrypted (read as server admin).
  const { chunk } = await matrix(env.hs, 'GET',
    `/_synapse/admin/v1/rooms/${encodeURIComponent(session.roomId)}/messages?dir=b&limit=200`, env.asToken);
  const types = new Set(chunk.filter((e) => !('state_key' in e)).map((e) => e.type));
  assert(types.has('m.room.encrypted'), `no encrypted events: ${[...types]}`);
  const plain = chunk.filter((e) => !('state_key' in e) && e.type !== 'm.room.encrypted' && e.type !== 'm.receipt');
  assert(plain.length === 0, `plaintext events in the room: ${plain.map((e) => e.type)}`);
  assert(!JSON.stringify(chunk).includes('ik ben er'), 'a message text is readable on the server');
});

test('the call widget runs inside the page and its signalling is end-to-end encrypted', async ({ env, counsellor }) => {
  const { page, session, guest } = state;
  await page.click('#call-toggle');
  const frame = page.frameLocator('#call-frame');
  // The widget fills in its words once it runs: wait for them rather than read the bare page.
  await frame.locator('#screen-start', { hasText: 'niet opgenomen' }).waitFor({ timeout: 30_000 });
  await frame.locator('#join:not([disabled])').waitFor({ timeout: 30_000 });
  const since = Date.now();
  await frame.locator('#join').click();
  const signal = await counsellor.waitForEvent(session.roomId,
    (e) => e.getSender() === guest.userId && e.getType() === 'be.praatbrug.call.signal' && e.getTs() >= since - 1000,
    'a call signal from the client');
  assert(signal.isEncrypted(), 'call signalling went in plaintext');
  await page.screenshot({ path: `${SHOTS}call-in-page.png` });
  const { chunk } = await matrix(env.hs, 'GET',
    `/_synapse/admin/v1/rooms/${encodeURIComponent(session.roomId)}/messages?dir=b&limit=50`, env.asToken);
  assert(!chunk.some((e) => e.type === 'be.praatbrug.call.signal'), 'a plaintext call signal is on the server');
  await page.click('#call-toggle');
});

test('on the counsellor page the counsellor and the client hold a peer-to-peer video call, also when both press join together', async ({ browser, env }) => {
  const { page, session } = state;
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'nl-BE' });
  const desk = await context.newPage();
  keepConsole(desk, 'counsellor');
  try {
    await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
    await desk.fill('#user', 'counsellor');
    await desk.fill('#password', 'wrong');
    await desk.click('#sign-in');
    await desk.locator('#sign-in-error:not([hidden])').waitFor({ timeout: 15_000 });
    await signInToDesk(desk, env.users.counsellor);
    await desk.locator(`#rooms button[data-room-id="${session.roomId}"]`).click({ timeout: 15_000 });
    await desk.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
    await desk.click('#call-toggle');
    await page.click('#call-toggle');
    const frames = {};
    for (const [who, tab] of [['counsellor', desk], ['client', page]]) {
      frames[who] = await until(`${who}'s widget`, async () => tab.frames().find((f) => f.url().includes('/widget/call/')));
    }
    // The client is still in the call from the test before (waiting for the other side); if not,
    // it joins again.
    const clientScreen = await until('the client widget up', async () => frames.client.evaluate(() => document.body.dataset.screen));
    if (clientScreen !== 'call') {
      await frames.client.locator('#join:not([disabled])').click({ timeout: 30_000 });
    }
    await frames.counsellor.locator('#join:not([disabled])').click({ timeout: 30_000 });
    const info = (frame) => frame.evaluate(() => ({
      state: document.getElementById('status').dataset.state,
      framesDecoded: Number(document.getElementById('connection-info').dataset.framesDecoded ?? 0),
      path: document.getElementById('connection-info').dataset.path,
      joinedAt: Number(document.getElementById('connection-info').dataset.joinedAt ?? 0),
    }));
    for (const who of ['counsellor', 'client']) {
      await until(`${who} receiving video`, async () => {
        const now = await info(frames[who]);
        return now.state === 'connected' && now.framesDecoded > 5 && now;
      }, 45_000);
    }
    const shownName = await frames.client.locator('#remote-name').textContent();
    assert(shownName === 'Hulpverlener An', `the client sees "${shownName}" under the counsellor's video`);
    const path = (await info(frames.counsellor)).path;
    assert(path === 'direct', `path ${path}`);
    await desk.screenshot({ path: `${SHOTS}call-counsellor-page.png` });
    await page.screenshot({ path: `${SHOTS}call-client-page.png` });
    await frames.counsellor.locator('#hang-up').click();
    await frames.client.locator('#screen-ended:not([hidden])').waitFor({ timeout: 15_000 });
    // "Druk nu op deelnemen": both press at the same moment, again and again (a race, so a loop).
    const setups = [];
    for (let round = 1; round <= 5; round += 1) {
      await frames.counsellor.locator('#screen-ended:not([hidden])').waitFor({ timeout: 15_000 });
      const at = Date.now() + 300;
      await Promise.all(Object.values(frames).map((frame) => frame.evaluate((when) => {
        setTimeout(() => document.getElementById('rejoin').click(), Math.max(0, when - Date.now()));
      }, at)));
      for (const who of ['counsellor', 'client']) {
        await until(`${who} receiving video after pressing together (round ${round})`, async () => {
          const now = await info(frames[who]);
          return now.joinedAt >= at && now.state === 'connected' && now.framesDecoded > 0 && now;
        }, 15_000);
      }
      setups.push(Date.now() - at);
      await frames[round % 2 ? 'client' : 'counsellor'].locator('#hang-up').click();
      await frames[round % 2 ? 'counsellor' : 'client'].locator('#screen-ended:not([hidden])').waitFor({ timeout: 15_000 });
    }
    await page.click('#call-toggle');
    await desk.click('.back-to-rooms');
    await signOutOfDesk(desk, { shared: true });
    return `pressed together 5 times, connected with video after ${setups.join(', ')} ms (polling every 250 ms)`;
  } finally {
    await context.close();
  }
});

test('the guest account cannot act outside its room', async ({ env, counsellor }) => {
  const { guest } = state;
  // Not a member of the counsellor's chat with the bot.
  const send = await matrix(env.hs, 'PUT', `/rooms/${encodeURIComponent(state.dm)}/send/m.room.message/t1`,
    guest.accessToken, { msgtype: 'm.text', body: 'x' }).catch((error) => error);
  assert(send.status === 403, `sending elsewhere: ${send.status}`);
  // A public room it may join at Synapse level: the bridge makes it leave at once.
  const { room_id: lobby } = await counsellor.client.createRoom({ preset: 'public_chat', name: 'Wachtzaal' });
  await matrix(env.hs, 'POST', `/join/${encodeURIComponent(lobby)}`, guest.accessToken, {});
  await until('the guest out of the public room', async () => {
    const member = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(lobby)}/state/m.room.member/${encodeURIComponent(guest.userId)}`,
      counsellor.client.getAccessToken());
    return member.membership === 'leave';
  });
  // A room of its own: it is made to leave that too.
  const { room_id: own } = await matrix(env.hs, 'POST', '/createRoom', guest.accessToken, { preset: 'private_chat' });
  await until('the guest out of the room it made', async () => {
    const { joined_rooms: rooms } = await matrix(env.hs, 'GET', '/joined_rooms', guest.accessToken);
    return !rooms.includes(own) && rooms.includes(state.session.roomId);
  });
});

// The counsellor page across sittings (desk.js); before the tests that use up the entry throttles.
deskTests.forEach(([name, fn]) => test(name, fn));

test('a used link shows what to do, on another phone', async ({ browser }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  try {
    await page.goto(state.session.link);
    await page.locator('#screen-problem:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.evaluate(() => document.body.dataset.problem) === 'Used', 'not the used-link page');
    assert((await page.locator('#problem-next').textContent()).includes('hulpverlener'), 'no next step');
    await page.screenshot({ path: `${SHOTS}link-used.png` });
  } finally {
    await context.close();
  }
});

test('ending the session ends the guest account and the page says so', async ({ env, counsellor }) => {
  const { page, guest } = state;
  await counsellor.say(state.dm, '!gesprek einde');
  await page.locator('#screen-ended:not([hidden])').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}ended.png` });
  assert(await stored(page) === null, 'the conversation is still stored in the browser');
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name));
  assert(!databases.some((name) => name.includes(guest.deviceId)), `crypto stores left: ${databases}`);
  const whoami = await until('the token revoked', async () =>
    matrix(env.hs, 'GET', '/account/whoami', guest.accessToken).then(() => false, (error) => error.status === 401 && error));
  assert(whoami.errcode === 'M_UNKNOWN_TOKEN', whoami.errcode);
  await page.context().close();
});

test('a client who waits longer than a code lives loses the guest account; the expired link says so', async ({ browser, env, counsellor }) => {
  const session = await newSession(counsellor, state.dm, 'kort');
  const waiting = await browser.newContext(PHONE);
  const page = await waiting.newPage();
  keepConsole(page, 'waiting');
  // Nobody lets this client in: its knock carries no code.
  await page.route('**/_matrix/client/v3/knock/**', (route) => {
    route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), reason: '' }) });
  });
  const other = await browser.newContext(PHONE);
  try {
    await page.goto(session.link);
    await consent(page, { name: 'Kim', under12: true });
    await page.locator('#screen-waiting:not([hidden])').waitFor({ timeout: 30_000 });
    const guest = await until('the knock stored', async () => (await stored(page))?.knocked && stored(page));
    // The code lives 20 s ("kort" policy); the bridge looks every 5 s.
    await page.locator('#screen-ended:not([hidden])').waitFor({ timeout: 60_000 });
    const whoami = await matrix(env.hs, 'GET', '/account/whoami', guest.accessToken).catch((error) => error);
    assert(whoami.status === 401, `the waiting guest's token still works (${whoami.status})`);
    const late = await other.newPage();
    await late.goto(session.link);
    await late.locator('#screen-problem:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await late.evaluate(() => document.body.dataset.problem) === 'Expired', 'not the expired page');
    await late.screenshot({ path: `${SHOTS}link-expired.png` });
  } finally {
    await waiting.close();
    await other.close();
  }
});

// Client records (before the throttling test: that one leaves this address throttled).
registerRecordTests(test, { state, PHONE, SHOTS, newSession, consent, keepConsole, stored, chooseDevice });
// A phone that is not the client's alone: quick exit, the PIN lock, the shared-device mode.
registerPhoneTests(test, { state, PHONE, SHOTS, newSession, consent, keepConsole });
registerAttachmentTests(test, { state, PHONE, SHOTS, newSession, consent, keepConsole, stored, chooseDevice });
// Family sessions (#22): two links, own consent each, a group call from the counsellor page.
registerFamilyTests(test, { state, PHONE, SHOTS, newSession, consent, keepConsole, chooseDevice });
// Planned sessions: the page before the slot, the calendar file, a cancelled link.
registerAppointmentTests(test, { state, PHONE, SHOTS, keepConsole });
// The door (#27): people without a link, the waiting line, two counsellors on duty.
registerDoorTests(test, { PHONE, SHOTS });

test('wrong codes are throttled per address, and the bridge log holds no codes, names or tokens', async ({ env, browser }) => {
  const statuses = [];
  for (let i = 0; i < 8; i++) {
    const response = await fetch(`${env.bridgeUrl}/_praatbrug/entry/v1/code`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: `ABCD${2000 + i}`.slice(0, 8) }),
    });
    statuses.push(response.status);
  }
  assert(statuses.includes(404) && statuses.at(-1) === 429, `statuses: ${statuses}`);
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  try {
    await page.goto(`${env.bridgeUrl}/binnen/#ZZZZ2222`);
    await page.locator('#screen-problem:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.evaluate(() => document.body.dataset.problem) === 'Throttled', 'not the wait page');
  } finally {
    await context.close();
  }
  const bridgeLog = env.bridgeLog();
  for (const secret of [state.session.code, state.guest.accessToken]) {
    assert(!bridgeLog.includes(secret), `the bridge log contains "${secret.slice(0, 6)}…"`);
  }
  // Names are looked for as words: a short name like "Kim" turns up by chance inside the
  // random event and room IDs the log is full of (about one run in ten).
  for (const words of ['Bram', 'Kim', 'Noor', 'Sara', 'Lotte', 'An Peeters', 'ik ben er', 'computer van school']) {
    const asWords = new RegExp(`(?<![\\w+/$!-])${words}(?![\\w+/-])`);
    assert(!asWords.test(bridgeLog), `the bridge log contains "${words}"`);
  }
});

// Last: these restart the bridge.
test('an encrypted command sent while the bridge was down is read after all (room key request); the answer comes from a cross-signed device',
  encryptedCommandAcrossDowntime);
test('when no device gives the lost key, the bot says it could not read the command', unreadableCommandIsReported);

const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const env = await startEnvironment();
let browser = null;
let counsellor = null;
let passed = 0;
let failed = 0;
try {
  browser = await launchChromium();
  counsellor = await startCounsellor(env.hs, env.users.counsellor);
  for (const { name, fn } of tests.filter((t) => !only || only.test(t.name))) {
    const started = Date.now();
    try {
      const detail = await fn({ browser, env, counsellor });
      passed += 1;
      console.log(`✓ ${name} (${Date.now() - started} ms)${detail ? `: ${detail}` : ''}`);
    } catch (error) {
      failed += 1;
      console.log(`✗ ${name}\n    ${error.stack}`);
    }
  }
} finally {
  await counsellor?.stop();
  await browser?.close();
  await env.stop();
}
console.log(`client-web: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
