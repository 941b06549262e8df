// A phone that is not the client's alone: the quick exit ("Snel weg") during a call, the PIN lock
// and its wrong tries, and the shared-device mode that keeps nothing. The browser's storage is
// read in each test (localStorage, sessionStorage, IndexedDB, service workers, caches).
// Registered into run.js's list, after the client records tests.
import { assert, until } from './checks.js';
import { matrix } from './environment.js';

const RECORD = /cliëntdossier (C-[A-Z0-9]{4}-[A-Z0-9]{4})/;
export const EXIT_URL = 'https://weer.example/';
const START_URL = 'https://start.example/';
const PIN = '2580';

/** The device choice at the start: `own` (with an optional PIN) or `shared`. */
export async function chooseDevice(page, { mode = 'own', pin = null } = {}) {
  await page.locator('#screen-device:not([hidden])').waitFor({ timeout: 30_000 });
  await page.check(mode === 'own' ? '#device-own' : '#device-shared');
  if (pin) {
    await page.fill('#pin', pin);
    await page.fill('#pin-again', pin);
  }
  await page.click('#device-continue');
  // A PIN takes a moment (PBKDF2); the next screen follows.
  await page.locator('#screen-device').waitFor({ state: 'hidden', timeout: 30_000 });
}

/** Everything of this origin the browser keeps: storage, databases, workers and caches. */
function traces(page) {
  return page.evaluate(async () => ({
    local: Object.fromEntries(Object.keys(localStorage).map((key) => [key, localStorage.getItem(key)])),
    session: Object.keys(sessionStorage),
    databases: (await indexedDB.databases()).map((db) => db.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
    caches: await caches.keys(),
  }));
}

export function registerPhoneTests(test, h) {
  const { state, PHONE, SHOTS } = h;
  let phones = 0;
  const mine = {};

  /**
   * A fresh phone (an address of its own for the bridge's limits) whose camera tracks the test can
   * see, and two outside sites: where the client was before, and the quick exit's neutral site,
   * which answers once `exitOpen` resolves (meanwhile the old page is still there to inspect).
   */
  async function phone(browser, name) {
    phones += 1;
    const address = `198.51.101.${phones}`;
    const context = await browser.newContext(PHONE);
    // Every camera and microphone track the page's frames get, and each stop(), reported to the
    // test as it happens (the page cannot be asked while its quick-exit navigation is held).
    const tracks = new Map();
    await context.exposeBinding('reportTrack', (source, id, kind, readyState, captured) => {
      if (captured || tracks.has(id)) {
        tracks.set(id, `${kind}:${readyState}`);
      }
    });
    await context.addInitScript(() => {
      const devices = navigator.mediaDevices;
      if (!devices?.getUserMedia) {
        return;
      }
      const original = devices.getUserMedia.bind(devices);
      devices.getUserMedia = async (constraints) => {
        const stream = await original(constraints);
        stream.getTracks().forEach((t) => window.reportTrack(t.id, t.kind, t.readyState, true));
        return stream;
      };
      const stop = MediaStreamTrack.prototype.stop;
      MediaStreamTrack.prototype.stop = function stopAndReport() {
        stop.call(this);
        window.reportTrack(this.id, this.kind, this.readyState, false);
      };
    });
    const exit = { requests: [], open: Promise.resolve() };
    await context.route(`${START_URL}**`, (route) => route.fulfill({ contentType: 'text/html', body: '<title>Start</title><p>start</p>' }));
    await context.route(`${EXIT_URL}**`, async (route) => {
      exit.requests.push(Date.now());
      await exit.open;
      await route.fulfill({ contentType: 'text/html', body: '<title>Het weer</title><p>Zonnig, 12 graden.</p>' });
    });
    await context.route('**/_praatbrug/entry/**', (route) => route.continue({
      headers: { ...route.request().headers(), 'x-forwarded-for': address },
    }));
    const page = await context.newPage();
    h.keepConsole(page, name);
    return { context, page, exit, tracks };
  }

  /** A bot notice in the counsellor's chat matching `pattern`, sent after `since` (ms). */
  async function noticeSince(counsellor, since, pattern, timeoutMs = 30_000) {
    const event = await counsellor.waitForEvent(state.dm, (e) => e.getTs() >= since - 1000
      && e.getType() === 'm.room.message' && e.getSender().startsWith('@praatbrug:')
      && pattern.test(e.getContent().body ?? ''), `notice ${pattern}`, timeoutMs);
    return event.getContent().body;
  }

  async function guestOf(env, roomId) {
    const { chunk } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(roomId)}/members`, env.users.counsellor.token);
    return chunk.find((e) => e.state_key.startsWith('@praatbrug_guest_') && e.content.membership === 'join')?.state_key;
  }

  test('quick exit during a call: camera and microphone end, the page is replaced, Back does not return, the counsellor is told, reopening asks for the PIN', async ({ browser, env, counsellor }) => {
    state.dm ??= await counsellor.directChatWithBot(); // when run on their own
    const since = Date.now();
    const session = await h.newSession(counsellor, state.dm);
    const { page, exit, tracks } = await phone(browser, 'quick-exit');
    mine.session = session;
    mine.page = page;
    mine.exit = exit;
    await page.goto(START_URL);
    await page.goto(session.link);
    // The choice first: nothing chosen is refused, a PIN must be typed twice the same.
    await page.locator('#screen-device:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.title() === 'Chat', `tab title "${await page.title()}"`);
    await page.click('#device-continue');
    await page.locator('#mode-error:not([hidden])').waitFor();
    await page.check('#device-own');
    await page.fill('#pin', PIN);
    await page.fill('#pin-again', '2581');
    await page.click('#device-continue');
    await page.locator('#pin-again-error:not([hidden])').waitFor();
    await page.screenshot({ path: `${SHOTS}device-choice.png`, fullPage: true });
    await chooseDevice(page, { mode: 'own', pin: PIN });
    await h.consent(page, { name: 'Sara' });
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const { name: roomName } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(session.roomId)}/state/m.room.name`,
      env.users.counsellor.token);
    const ofThisRoom = new RegExp(`'${roomName}' heeft ${RECORD.source}`);
    mine.ref = ofThisRoom.exec(await noticeSince(counsellor, since, ofThisRoom))[1];
    const guest = await until('the guest in the room', () => guestOf(env, session.roomId));
    mine.guest = guest;

    // Stored sealed: no account, token or code readable on the phone.
    const sealed = await traces(page);
    const dump = JSON.stringify(sealed.local);
    assert(sealed.local['praatbrug.locked'] && !sealed.local['praatbrug.conversation'], dump);
    for (const secret of [guest, 'syt_', session.code, 'Sara']) {
      assert(!dump.includes(secret), `localStorage holds "${secret.slice(0, 8)}…"`);
    }
    assert(sealed.databases.length > 0 && sealed.databases.every((name) => name.startsWith('praatbrug-client-')), sealed.databases);
    const manifest = await page.evaluate(() => fetch('./manifest.webmanifest').then((r) => r.json()));
    assert(manifest.name === 'Chat' && manifest.short_name === 'Chat' && !manifest.description, JSON.stringify(manifest));

    await counsellor.say(session.roomId, 'Hoe gaat het vandaag?');
    await page.locator('.message.theirs .body', { hasText: 'Hoe gaat het vandaag?' }).waitFor({ timeout: 30_000 });

    // In a call: the widget holds the camera and the microphone.
    await page.click('#call-toggle');
    const frame = page.frameLocator('#call-frame');
    await frame.locator('#join:not([disabled])').click({ timeout: 30_000 });
    const live = await until('camera and microphone live', async () => {
      const now = [...tracks.values()];
      return now.includes('video:live') && now.includes('audio:live') && now;
    });
    await page.screenshot({ path: `${SHOTS}quick-exit-before.png` });

    let release;
    exit.open = new Promise((resolve) => { release = resolve; });
    const tapped = Date.now();
    // A real tap; it returns once the (held) navigation is through.
    const tap = page.click('#quick-exit').catch((error) => error);
    let ended;
    let toExit;
    try {
      await until('the neutral site asked for', async () => exit.requests.length > 0, 10_000);
      toExit = exit.requests[0] - tapped;
      // Still on the old page (the neutral site waits): camera and microphone have ended already.
      ended = await until('every track ended', async () => {
        const now = [...tracks.values()];
        return now.every((t) => t.endsWith(':ended')) && now;
      }, 5_000).catch(() => [...tracks.values()]);
    } finally {
      release();
      await tap;
    }
    assert(ended.length >= 2 && ended.every((t) => t.endsWith(':ended')), `tracks before the page went: ${ended}`);
    await page.waitForURL(EXIT_URL, { timeout: 15_000 });
    // Back leads to where the client was before, never to the chat.
    await page.goBack();
    assert(page.url() === START_URL, `Back went to ${page.url()}`);
    await page.goForward();
    assert(page.url() === EXIT_URL, `Forward went to ${page.url()}`);

    const notice = await noticeSince(counsellor, tapped, /Snel weg/, 15_000);
    const told = Date.now() - tapped;
    assert(notice.includes('bel of schrijf niet terug') && notice.includes(mine.ref), notice);
    assert(!notice.includes('Hoe gaat het'), 'the notice quotes the conversation');

    // Reopened (the link from the history, or the installed app's start): the lock, nothing else.
    await page.goto(session.link);
    await page.locator('#screen-unlock:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.locator('.message').count() === 0, 'messages shown before the PIN');
    assert(await page.title() === 'Chat', 'tab title');
    await page.screenshot({ path: `${SHOTS}locked.png` });
    const unlocking = Date.now();
    await page.fill('#unlock-pin', PIN);
    await page.click('#unlock-submit');
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const unlockMs = Date.now() - unlocking;
    // The same device, its keys from the encrypted store: the earlier message decrypts again.
    await page.locator('.message.theirs .body', { hasText: 'Hoe gaat het vandaag?' }).waitFor({ timeout: 30_000 });
    return `neutral site asked ${toExit} ms after the tap, counsellor told after ${told} ms, PIN to chat ${unlockMs} ms`;
  });

  test('wrong PIN tries wipe the device\'s copy (storage inspected); the conversation stays on the server and a new link works', async ({ env, counsellor }) => {
    const { page, session, guest, ref } = mine;
    // The keyboard shortcut this time: three presses of Shift.
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift');
    }
    await page.waitForURL(EXIT_URL, { timeout: 15_000 });
    await page.goto(`${env.bridgeUrl}/binnen/`);
    await page.locator('#screen-unlock:not([hidden])').waitFor({ timeout: 30_000 });
    for (let left = 4; left >= 1; left--) {
      await page.fill('#unlock-pin', `99${left}9`);
      await page.click('#unlock-submit');
      await until(`"${left}" tries left`, async () => {
        const text = await page.locator('#unlock-error:not([hidden])').textContent({ timeout: 1000 });
        return (left === 1 ? text.includes('Nog één poging') : text.includes(`Nog ${left} pogingen`)) && text;
      }, 30_000);
    }
    await page.fill('#unlock-pin', '0000');
    await page.click('#unlock-submit');
    await page.locator('#screen-wiped:not([hidden])').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}wiped.png` });
    const left = await traces(page);
    assert(Object.keys(left.local).every((key) => !key.startsWith('praatbrug')), JSON.stringify(left.local));
    assert(!left.databases.some((name) => name.startsWith('praatbrug')), `databases left: ${left.databases}`);
    // On the server nothing changed: the guest is still in the room, the history is there.
    assert(await guestOf(env, session.roomId) === guest, 'the guest left the room');
    await page.reload();
    assert(await page.locator('#screen-unlock:not([hidden])').count() === 0, 'a lock with nothing behind it');

    // The counsellor sends a new link for the same client record: it works on this phone.
    const next = await h.newSession(counsellor, state.dm, `voor ${ref}`);
    await page.goto(next.link);
    await chooseDevice(page, { mode: 'own', pin: PIN });
    await page.locator('#screen-returning:not([hidden])').waitFor({ timeout: 30_000 });
    await page.click('#returning-continue');
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    await counsellor.say(next.roomId, 'Fijn dat het weer lukt.');
    await page.locator('.message.theirs .body', { hasText: 'Fijn dat het weer lukt.' }).waitFor({ timeout: 30_000 });
    for (const roomId of [session.roomId, next.roomId]) {
      const { name } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(roomId)}/state/m.room.name`, env.users.counsellor.token);
      await counsellor.say(state.dm, `!gesprek einde ${name}`);
    }
    await page.locator('#screen-ended:not([hidden])').waitFor({ timeout: 30_000 });
    await page.context().close();
  });

  test('shared-device mode: after closing the tab nothing of the conversation is in localStorage, sessionStorage or IndexedDB; the counsellor\'s history is intact', async ({ browser, env, counsellor }) => {
    state.dm ??= await counsellor.directChatWithBot();
    const session = await h.newSession(counsellor, state.dm);
    const { context, page } = await phone(browser, 'shared-device');
    await page.goto(session.link);
    await chooseDevice(page, { mode: 'shared' });
    await h.consent(page, { name: 'Lotte' });
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const guest = await until('the guest in the room', () => guestOf(env, session.roomId));
    await counsellor.say(session.roomId, 'Dag Lotte.');
    await page.locator('.message.theirs .body', { hasText: 'Dag Lotte.' }).waitFor({ timeout: 30_000 });
    await page.fill('#message', 'Ik zit op de computer van school.');
    await page.click('#send');
    const received = await counsellor.waitForEvent(session.roomId, (e) => e.getSender() === guest
      && e.getType() === 'm.room.message', 'the client message');
    assert(received.isEncrypted() && received.getContent().body === 'Ik zit op de computer van school.', 'not the encrypted message');
    const during = await traces(page);
    const empty = (t) => Object.keys(t.local).length === 0 && t.session.length === 0 && t.databases.length === 0
      && t.workers === 0 && t.caches.length === 0;
    assert(empty(during), `kept during the conversation: ${JSON.stringify(during)}`);
    await page.close();

    const later = await context.newPage();
    await later.goto(`${env.bridgeUrl}/binnen/`);
    // Without a link the page is the organisation's door (#27): nothing of the conversation comes back.
    await later.locator('#screen-door:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await later.locator('#screen-chat:not([hidden])').count() === 0, 'the conversation came back');
    const after = await traces(later);
    assert(empty(after), `kept after closing: ${JSON.stringify(after)}`);
    // The next visit needs a new link: this one was used.
    const again = await context.newPage();
    await again.goto(session.link);
    await again.locator('#screen-problem:not([hidden])').waitFor({ timeout: 30_000 });
    const problem = await again.evaluate(() => document.body.dataset.problem);
    assert(problem === 'Used', `the used link opened "${problem}"`);
    // The counsellor still reads the whole conversation; Synapse holds it, encrypted.
    const { chunk } = await matrix(env.hs, 'GET',
      `/_synapse/admin/v1/rooms/${encodeURIComponent(session.roomId)}/messages?dir=b&limit=100`, env.asToken);
    const fromClient = chunk.filter((e) => e.sender === guest && e.type === 'm.room.encrypted');
    assert(fromClient.length >= 1, 'the client\'s message is gone from the server');
    const timeline = counsellor.client.getRoom(session.roomId).getLiveTimeline().getEvents()
      .filter((e) => e.getType() === 'm.room.message').map((e) => e.getContent().body);
    assert(timeline.includes('Dag Lotte.') && timeline.includes('Ik zit op de computer van school.'), timeline.join(' | '));
    const { name } = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(session.roomId)}/state/m.room.name`, env.users.counsellor.token);
    await counsellor.say(state.dm, `!gesprek einde ${name}`);
    await context.close();
  });
}
