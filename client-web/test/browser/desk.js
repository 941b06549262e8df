// The counsellor page (binnen/counsellor.html) as a counsellor uses it across days: the caseload
// overview with the bot's commands as buttons, the client records behind it, the signals of a
// background tab, English and the keyboard; her device and key backup across sittings are in
// desk-sittings.js. Real Chromium, real Synapse, the real bridge, a real client page. The list
// below is registered in run.js (the tests share its Synapse and bridge, and run in this order).
import { assert, until } from './checks.js';
import {
  SHOTS, allReadable, clientSays, consentAsMatrixUser, deskState, joinRuleOf, knockWithoutCode, ledgerKindsFor,
  membershipOf, openDeskRoom, registerUser, rowOf, screenOf, setTabHidden,
} from './desk-helpers.js';
import {
  colleagueOnTheSameBrowser, firstSignIn, idleLock, ownComputer, sharedComputer, verifiedFromAnotherDevice,
} from './desk-sittings.js';
import { matrix } from './environment.js';
import { chooseDevice } from './phone.js';
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, locale: 'nl-BE' };
const state = deskState;

/** The client page: consent with a first name, the knock (its code taken out, so it waits). */
async function clientKnocks(browser, link) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await page.route('**/_matrix/client/v3/knock/**', (route) => {
    route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), reason: '' }) });
  });
  await page.goto(link);
  await chooseDevice(page);
  await page.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
  await page.fill('#name', 'Bram');
  await page.check('#agreed');
  const knocked = page.waitForResponse((response) => response.url().includes('/knock/') && response.ok(), { timeout: 30_000 });
  await page.click('#consent-submit');
  await knocked;
  return { context, page, knockedAt: Date.now() };
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
  assert(/\/binnen\/#[A-Z0-9]{26}$/.test(link), `copied "${link}"`);
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

/** Plan, move and cancel from the page's appointment list (the bot's !afspraak), her own .ics. */
async function appointmentsFromTheDesk({ env }) {
  const { desk } = state;
  await desk.fill('#plan-day', 'morgen');
  await desk.fill('#plan-time', '11:00');
  await desk.fill('#plan-length', '30m');
  await desk.click('#plan-submit');
  await desk.locator('#desk-status', { hasText: 'Afspraak gepland' }).waitFor({ timeout: 60_000 });
  const item = desk.locator('#appointments li').first();
  await item.waitFor({ timeout: 10_000 });
  const roomId = await item.getAttribute('data-room');
  assert((await item.textContent()).includes('om 11:00–11:30'), `listed as "${await item.textContent()}"`);
  await rowOf(desk, roomId).waitFor({ timeout: 10_000 });
  assert(await joinRuleOf(env, roomId) === 'knock', 'the planned room takes knocks');
  await desk.screenshot({ path: `${SHOTS}desk-appointment.png` });

  const [download] = await Promise.all([desk.waitForEvent('download'),
    item.locator('[data-action="appointment-ics"]').click()]);
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(await download.path(), 'utf8')));
  const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
  assert(event.summary.startsWith('Gesprek '), `summary "${event.summary}"`);
  const hour = new Intl.DateTimeFormat('nl-BE', { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(event.startDate.toJSDate());
  assert(hour === '11:00', `her .ics starts at ${hour} in Brussels`);

  await item.locator('[data-action="appointment-move"]').click();
  await desk.fill('#plan-day', 'morgen');
  await desk.fill('#plan-time', '12:00');
  await desk.click('#plan-submit');
  await desk.locator('#desk-status', { hasText: 'is verzet' }).waitFor({ timeout: 60_000 });
  await desk.locator('#appointments li', { hasText: 'om 12:00–12:30' }).waitFor({ timeout: 10_000 });

  await desk.locator('#appointments li').first().locator('[data-action="appointment-cancel"]').click();
  await desk.click('#confirm-yes');
  await desk.locator('#desk-status', { hasText: 'geannuleerd' }).waitFor({ timeout: 60_000 });
  await desk.locator('#no-appointments:not([hidden])').waitFor({ timeout: 10_000 });
  assert(await joinRuleOf(env, roomId) === 'invite', 'the cancelled room is closed');
  const kinds = await until('the appointment in the ledger', async () => {
    const found = ledgerKindsFor(env, roomId);
    return found.includes('appointment_cancelled') && found;
  });
  assert(kinds.includes('appointment_planned') && kinds.includes('appointment_moved'), kinds.join(', '));
}

export const deskTests = [
  ['counsellor page: the first sign-in sets up the key backup and shows the recovery key once', firstSignIn],
  ['counsellor page: a new room from the overview, its link copied; a knock shows within 2 s; admitted from the page, the client is named',
    overviewAndActions],
  ['counsellor page: plans, moves and cancels an appointment from the overview, with her own .ics', appointmentsFromTheDesk],
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
  ['counsellor page: left open, it locks after the policy\'s idle time and asks to sign in again; working keeps it open', idleLock],
];

export { screenOf };
