// The door (issue #27) in real Chromium, on the real bridge and Synapse: people without a link at
// /binnen/, the waiting line, and two counsellors on duty on the counsellor page. Registered into
// run.js's list; every name starts with "door:" (node test/browser/run.js '^door:' runs only these).
import { readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { assert, until } from './checks.js';
import { DESKTOP, keepConsole, membershipOf, registerUser, screenOf, signInToDesk } from './desk-helpers.js';
import { matrix } from './environment.js';
import { chooseDevice } from './phone.js';

const COLLEAGUE_WAS_FIRST = 'Een collega heeft deze persoon al opgenomen';
const ROUNDS = Number(process.env.DOOR_ROUNDS ?? 20);
const WAITING = Number(process.env.DOOR_WAITING ?? 50);

export function registerDoorTests(test, { PHONE, SHOTS }) {
  const door = { desks: [], questions: [], sentToBridge: [], rooms: [] };
  let people = 0;

  /** The admin API, signed in as the organisation's admin (an OpenID token from Synapse). */
  async function admin(env, method, path, body) {
    if (!door.adminToken) {
      const openid = await matrix(env.hs, 'POST', `/user/${encodeURIComponent(door.admin.userId)}/openid/request_token`,
        door.admin.token, {});
      door.adminToken = (await bridge(env, 'POST', '/_praatbrug/admin/v1/login', openid)).token;
    }
    return bridge(env, method, `/_praatbrug/admin/v1${path}`, body, door.adminToken);
  }

  /** The bridge's own APIs (door, admin); a failure carries its status and answer. */
  const bridge = (env, method, path, body, token = null) => matrix(env.bridgeUrl, method, path, token, body);

  /** Saves the caw policy with its door section changed by `edit(yaml)`; returns the text saved. */
  async function changeDoor(env, edit) {
    const current = await admin(env, 'GET', '/policies/caw');
    const yaml = edit(door.policy);
    await admin(env, 'PUT', '/policies/caw', { yaml, version: current.version });
    return yaml;
  }

  /** Hours on one other weekday only, so the door is closed now. */
  function closedNow(yaml) {
    const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
    const today = new Intl.DateTimeFormat('en-GB', { weekday: 'short', timeZone: 'Europe/Brussels' }).format(new Date()).toLowerCase();
    const other = days[(days.indexOf(today.slice(0, 3)) + 2) % 7];
    return yaml.replace(/\n {2}hours:\n(?: {4}.*\n)+/, `\n  hours:\n    ${other}: ["09:00-10:00"]\n`);
  }

  /** A person at the door on a phone of their own: /binnen/, device choice, nickname and question. */
  async function personAtDoor(browser, env, { nickname, question, enter = true, still = false }) {
    people += 1;
    const address = `198.51.102.${people % 250}`;
    // `still`: no spinner animation (dozens of pages animating on one 2-core machine measure the machine).
    const context = await browser.newContext(still ? { ...PHONE, reducedMotion: 'reduce' } : PHONE);
    const page = await context.newPage();
    keepConsole(page, `door-person-${people}`);
    // The page says (without the text) when the question goes out: the start of the benchmark.
    const marks = {};
    page.on('console', (message) => {
      if (message.text().includes('door question going out')) {
        marks.sentAt ??= Date.now();
      }
    });
    await context.route('**/_praatbrug/**', (route) => {
      door.sentToBridge.push(`${route.request().url()} ${route.request().postData() ?? ''}`);
      route.continue({ headers: { ...route.request().headers(), 'x-forwarded-for': address } });
    });
    // Every request the page makes, to the bridge or the homeserver, is looked at for the question.
    context.on('request', (request) => {
      if (question && (request.postData() ?? '').includes(question)) {
        door.plainRequests = [...(door.plainRequests ?? []), request.url()];
      }
    });
    await page.goto(`${env.bridgeUrl}/binnen/`);
    await page.locator('#screen-door:not([hidden])').waitFor({ timeout: 30_000 });
    if (!enter) {
      return { context, page };
    }
    await page.click('#door-start');
    await chooseDevice(page);
    await page.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
    await page.fill('#name', nickname);
    await page.fill('#question', question);
    await page.check('#agreed');
    await page.click('#consent-submit');
    await page.locator('#screen-line:not([hidden])').waitFor({ timeout: 30_000 });
    const number = await until('the number in the line', async () => page.evaluate(
      () => JSON.parse(localStorage.getItem('praatbrug.conversation') ?? 'null')?.door?.number));
    return { context, page, number, marks };
  }

  const placeOf = (person) => person.page.evaluate(() => document.body.dataset.place);

  async function placeIs(person, place, timeoutMs = 20_000) {
    await until(`${person.name ?? 'a person'} at place ${place}`, async () => (await placeOf(person)) === String(place), timeoutMs);
  }

  const takeButton = (desk, number) => desk.locator(`#door-line li[data-number="${number}"] [data-action="take"]:not([disabled])`);

  /** Back to the overview after a room was opened by a take. */
  async function backToOverview(desk) {
    if ((await screenOf(desk)) !== 'rooms') {
      await desk.click('.back-to-rooms');
      await desk.locator('#screen-rooms:not([hidden])').waitFor({ timeout: 15_000 });
    }
  }

  /** Ends a door room through the bot, as the counsellor who took it. */
  async function endRoom(env, who, roomId) {
    await matrix(env.hs, 'PUT', `/rooms/${encodeURIComponent(who.dm)}/send/m.room.message/end-${Date.now()}-${Math.random()}`,
      who.user.token, { msgtype: 'm.text', body: `!gesprek einde ${roomId}` });
  }

  async function dmWithBot(env, user) {
    const bot = '@praatbrug:caw.test';
    const { room_id: dm } = await matrix(env.hs, 'POST', '/createRoom', user.token, { preset: 'private_chat', is_direct: true, invite: [bot] });
    await until('the bot in the chat', async () => (await matrix(env.hs, 'GET',
      `/rooms/${encodeURIComponent(dm)}/state/m.room.member/${encodeURIComponent(bot)}`, user.token)).membership === 'join');
    return dm;
  }

  test('door: without a link /binnen/ shows the door; with nobody on duty it takes no question and shows the crisis numbers', async ({ browser, env }) => {
    door.policy = readFileSync(join(dirname(env.logFile), 'policies/caw.yaml'), 'utf8');
    door.admin = await registerUser(env, 'beheerder', 'Beheerder');
    const person = await personAtDoor(browser, env, { enter: false });
    try {
      const { page } = person;
      assert(await page.evaluate(() => document.body.dataset.door) === 'nobody_on_duty', 'the door is not closed for want of counsellors');
      assert(await page.locator('#door-start').isHidden(), 'the door offers to take a question');
      assert(await page.locator('#door-crisis a[href="tel:1813"]').count() === 1, 'no call link for 1813');
      assert(await page.locator('#door-crisis a[href="tel:112"]').count() === 1, 'no call link for 112');
      assert((await page.locator('#door-who').textContent()).includes('CAW'), 'who answers is not said');
      await page.screenshot({ path: `${SHOTS}door-nobody-on-duty.png`, fullPage: true });
      await page.click('#language');
      assert((await page.locator('#door-closed-why').textContent()).includes('No counsellor is on duty'), 'no English');
      await page.click('#language');
    } finally {
      await person.context.close();
    }
  });

  test('door: two counsellors sign in to the counsellor page and go on duty; the door opens', async ({ browser, env }) => {
    for (const [localpart, name] of [['eva', 'Hulpverlener Eva'], ['jan', 'Hulpverlener Jan']]) {
      const user = await registerUser(env, localpart, name);
      const context = await browser.newContext(DESKTOP);
      const page = await context.newPage();
      keepConsole(page, `door-desk-${localpart}`);
      await page.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
      await signInToDesk(page, user);
      await page.locator('#door-block:not([hidden])').waitFor({ timeout: 30_000 });
      await page.check('#door-duty');
      await page.locator('#door-block[data-on-duty="true"]').waitFor({ timeout: 30_000 });
      door.desks.push({ user, context, page, name, dm: await dmWithBot(env, user) });
    }
    const status = await bridge(env, 'GET', '/_praatbrug/door/v1/status');
    assert(status.open === true && status.on_duty === 2, `status ${JSON.stringify(status)}`);
    await door.desks[0].page.screenshot({ path: `${SHOTS}door-desk-on-duty.png` });
  });

  test('door: the button on the organisation\'s own website says whether the door is open and leads to it', async ({ browser, env }) => {
    const context = await browser.newContext(PHONE);
    // The website is another origin (its own little server); the snippet is the README's.
    const website = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="nl"><body><h1>CAW</h1>
        <a href="${env.bridgeUrl}/binnen/?deur" data-praatbrug-deur>Chat anoniem met een hulpverlener</a>
        <script src="${env.bridgeUrl}/binnen/deur-knop.js" referrerpolicy="no-referrer" async></script></body></html>`);
    });
    await new Promise((resolve) => website.listen(0, '127.0.0.1', resolve));
    const site = `http://127.0.0.1:${website.address().port}/`;
    try {
      const page = await context.newPage();
      keepConsole(page, 'door-website');
      await page.goto(site);
      const link = page.locator('a[data-praatbrug-deur]');
      await page.locator('a[data-praatbrug-deur][data-open="true"]').waitFor({ timeout: 15_000 });
      assert((await link.textContent()).includes('nu open'), `the button says "${await link.textContent()}"`);
      await page.screenshot({ path: `${SHOTS}door-website-button.png` });
      await link.click();
      await page.locator('#screen-door:not([hidden])').waitFor({ timeout: 30_000 });
      assert(await page.locator('#door-start').isVisible(), 'the button does not lead to an open door');
    } finally {
      await context.close();
      website.close();
    }
  });

  test('door: three people waiting see places 1, 2 and 3, move up when the first is taken and when one leaves; a closed tab keeps its place', async ({ browser, env }) => {
    const [eva] = door.desks;
    const names = ['Lotte', 'Sam', 'Noa'];
    const line = [];
    try {
      for (const name of names) {
        line.push({ name, ...(await personAtDoor(browser, env, { nickname: name, question: `Vraag van ${name}: hoe vraag ik hulp bij schulden?` })) });
      }
      for (const [index, person] of line.entries()) {
        await placeIs(person, index + 1);
      }
      await line[2].page.screenshot({ path: `${SHOTS}door-line-place-3.png`, fullPage: true });
      // The overview lists them: number, nickname and waiting time only.
      for (const person of line) {
        await takeButton(eva.page, person.number).waitFor({ timeout: 15_000 });
      }
      const shown = await eva.page.locator('#door-line').textContent();
      assert(names.every((name) => shown.includes(name)) && !shown.includes('schulden'), `the line shows "${shown}"`);
      await eva.page.screenshot({ path: `${SHOTS}door-desk-line.png` });
      // The first is taken.
      await takeButton(eva.page, line[0].number).click();
      await eva.page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
      await placeIs(line[1], 1);
      await placeIs(line[2], 2);
      await line[0].page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
      const taken = await line[0].page.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation')));
      door.rooms.push({ roomId: taken.roomId, who: eva });
      // Noa closes the tab and opens /binnen/ again on the same phone: same place.
      await line[2].page.close();
      line[2].page = await line[2].context.newPage();
      await line[2].page.goto(`${env.bridgeUrl}/binnen/`);
      await line[2].page.locator('#screen-line:not([hidden])').waitFor({ timeout: 30_000 });
      await placeIs(line[2], 2);
      // Sam leaves the line: Noa moves up; nothing of Sam's stays on the phone.
      await line[1].page.click('#line-leave');
      await line[1].page.locator('#screen-line-gone:not([hidden])').waitFor({ timeout: 15_000 });
      assert(await line[1].page.evaluate(() => localStorage.getItem('praatbrug.conversation')) === null, 'the ticket stayed on the phone');
      await placeIs(line[2], 1);
      await line[2].page.click('#line-leave');
      await line[2].page.locator('#screen-line-gone:not([hidden])').waitFor({ timeout: 15_000 });
      await backToOverview(eva.page);
    } finally {
      for (const person of line) {
        await person.context.close();
      }
    }
  });

  test(`door: a person at the door, two counsellors press Opnemen at the same moment, ${ROUNDS} times: one gets the room and the question, the other is told at once`, async ({ browser, env }) => {
    const wins = new Map(door.desks.map((desk) => [desk.name, 0]));
    const toldMs = [];
    const questionMs = [];
    const fromPressMs = [];
    const sentToSeenMs = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const tag = Math.random().toString(36).slice(2, 10);
      const question = `Ronde ${round}: sinds de verhuis slaap ik slecht en ik durf het niemand te zeggen (${tag})`;
      door.questions.push({ question, tag });
      const person = await personAtDoor(browser, env, { nickname: `Walk-in ${round}`, question });
      try {
        for (const desk of door.desks) {
          await takeButton(desk.page, person.number).waitFor({ timeout: 20_000 });
          await desk.page.evaluate(() => { document.getElementById('door-status').textContent = ''; });
        }
        const pressed = Date.now();
        await Promise.all(door.desks.map((desk) => takeButton(desk.page, person.number).click()));
        const outcomes = await Promise.all(door.desks.map((desk) => until(`round ${round}: ${desk.name} told`, async () => {
          if ((await desk.page.locator('#door-status').textContent()).includes(COLLEAGUE_WAS_FIRST)) {
            return { desk, won: false, at: Date.now() };
          }
          return (await screenOf(desk.page)) === 'chat' && { desk, won: true, at: Date.now() };
        }, 60_000)));
        const winners = outcomes.filter((outcome) => outcome.won);
        assert(winners.length === 1, `round ${round}: ${winners.length} counsellors got the person`);
        const winner = winners[0].desk;
        const loser = outcomes.find((outcome) => !outcome.won);
        toldMs.push(loser.at - pressed);
        wins.set(winner.name, wins.get(winner.name) + 1);
        const joinedAt = Date.now();
        // Looked for inside the page every 20 ms; the page's own clock says when it was there.
        const seenAt = await (await winner.page.waitForFunction((text) => [...document.querySelectorAll('#messages .message .body')]
          .some((body) => body.textContent.includes(text)) && Date.now(), question, { polling: 20, timeout: 60_000 })).jsonValue();
        questionMs.push(seenAt - joinedAt);
        fromPressMs.push(seenAt - pressed);
        assert(person.marks.sentAt, `round ${round}: the page did not say it sent the question`);
        sentToSeenMs.push(seenAt - person.marks.sentAt);
        await person.page.locator('#door-note', { hasText: 'versleuteld verstuurd' }).waitFor({ timeout: 30_000 });
        const account = await person.page.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation')));
        assert(!JSON.stringify(account).includes(tag), `round ${round}: the question is still kept on the phone after sending`);
        // The colleague is not in the room and cannot read it.
        const theirs = await membershipOf(env, account.roomId, loser.desk.user.userId);
        assert(!theirs || theirs.content.membership !== 'join', `round ${round}: the colleague is in the room`);
        const read = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(account.roomId)}/messages?dir=b&limit=50`,
          loser.desk.user.token).catch((error) => error);
        assert(read.status === 403, `round ${round}: the colleague could read the room (${read.status})`);
        door.rooms.push({ roomId: account.roomId, who: winner, loser: loser.desk });
        if (round === 1) {
          await winner.page.screenshot({ path: `${SHOTS}door-taken-counsellor.png` });
          await person.page.screenshot({ path: `${SHOTS}door-taken-person.png` });
          await loser.desk.page.screenshot({ path: `${SHOTS}door-colleague-first.png` });
        }
        await backToOverview(winner.page);
        await endRoom(env, winner, account.roomId);
      } finally {
        await person.context.close();
      }
    }
    const p95 = (values) => [...values].sort((a, b) => a - b)[Math.ceil(values.length * 0.95) - 1];
    return `wins ${[...wins].map(([name, count]) => `${name} ${count}`).join(', ')}; question sent → read by the `
      + `counsellor ${Math.min(...sentToSeenMs)}–${Math.max(...sentToSeenMs)} ms (p95 ${p95(sentToSeenMs)}); the other told after `
      + `${Math.min(...toldMs)}–${Math.max(...toldMs)} ms (p95 ${p95(toldMs)}); question shown ${Math.min(...questionMs)}–`
      + `${Math.max(...questionMs)} ms after the room opened (p95 ${p95(questionMs)}), `
      + `${Math.min(...fromPressMs)}–${Math.max(...fromPressMs)} ms after Opnemen (p95 ${p95(fromPressMs)})`;
  });

  test('door: the questions are in no request to the bridge, not in its store or log, and only ciphertext on Synapse', async ({ env }) => {
    assert(door.questions.length > 0, 'no questions were asked');
    assert(!door.plainRequests?.length, `the question went out in plaintext to ${door.plainRequests}`);
    const work = dirname(env.logFile);
    const store = readdirSync(work).filter((name) => name.startsWith('bridge.db'))
      .map((name) => readFileSync(join(work, name)).toString('latin1')).join('\n');
    const log = env.bridgeLog();
    for (const { tag } of door.questions) {
      assert(!door.sentToBridge.some((request) => request.includes(tag)), `a door call carried "${tag}"`);
      assert(!log.includes(tag) && !store.includes(tag), `the bridge's log or store holds the question (${tag})`);
    }
    for (const word of ['verhuis', 'schulden']) {
      assert(!door.sentToBridge.some((request) => request.includes(word)), `a door call carried "${word}"`);
      assert(!log.includes(word), `the bridge log holds "${word}"`);
      assert(!store.includes(word), `the bridge store holds "${word}"`);
    }
    for (const { roomId } of door.rooms.slice(-3)) {
      const { chunk } = await matrix(env.hs, 'GET', `/_synapse/admin/v1/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`, env.asToken);
      assert(!JSON.stringify(chunk).includes('verhuis'), `Synapse holds a question in plaintext in ${roomId}`);
      assert(chunk.some((event) => event.type === 'm.room.encrypted'), `no encrypted events in ${roomId}`);
    }
    return `${door.questions.length} questions, ${door.sentToBridge.length} door and entry calls checked`;
  });

  test(`door: ${WAITING} people waiting at once each see their right place, and all move up when one is taken and one leaves`, async ({ browser, env }) => {
    const [eva] = door.desks;
    const line = [];
    const everyone = [];
    await changeDoor(env, (yaml) => yaml.replace(/\n {2}places: \d+\n/, `\n  places: ${WAITING + 5}\n`));
    try {
      for (let first = 0; first < WAITING; first += 5) {
        const batch = Array.from({ length: Math.min(5, WAITING - first) }, (_, i) => `Wachter ${first + i + 1}`);
        line.push(...await Promise.all(batch.map(async (name) => ({
          name, ...(await personAtDoor(browser, env, { nickname: name, question: `Vraag van ${name}`, still: true })),
        }))));
      }
      everyone.push(...line);
      line.sort((a, b) => a.number - b.number);
      const wrong = async (expected) => (await Promise.all(line.map(async (person, index) => {
        const place = await until(`${person.name}'s place`, () => placeOf(person), 20_000);
        return expected(index) === Number(place) ? null : `${person.name}: ${place}, not ${expected(index)}`;
      }))).filter(Boolean);
      let errors = [];
      await until('every place right', async () => (errors = await wrong((index) => index + 1)).length === 0, 30_000)
        .catch(() => assert(false, `wrong places: ${errors.join('; ')}`));

      // The first is taken and one in the middle leaves: every page behind them moves up.
      const [taken] = line.splice(0, 1);
      const middle = Math.floor(line.length / 2);
      const [leaving] = line.splice(middle, 1);
      // Each page notes (by its own clock) when its new place is shown; nothing polls meanwhile.
      await Promise.all(line.map((person, index) => person.page.evaluate((place) => {
        new MutationObserver(() => {
          if (document.body.dataset.place === String(place)) {
            window.movedAt ??= Date.now();
          }
        }).observe(document.body, { attributes: true, attributeFilter: ['data-place'] });
      }, index + 1)));
      await takeButton(eva.page, taken.number).waitFor({ timeout: 30_000 });
      const pressed = Date.now();
      await takeButton(eva.page, taken.number).click();
      await leaving.page.click('#line-leave');
      const movedAt = await Promise.all(line.map((person, index) => until(`${person.name} at place ${index + 1}`,
        () => person.page.evaluate(() => window.movedAt), 60_000)));
      const delays = movedAt.map((at) => at - pressed).sort((a, b) => a - b);
      errors = await wrong((index) => index + 1);
      assert(errors.length === 0, `wrong places after the take: ${errors.join('; ')}`);
      await eva.page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
      await taken.page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
      const account = await taken.page.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation')));
      await backToOverview(eva.page);
      await endRoom(env, eva, account.roomId);
      return `${WAITING} waiting; after a take and a leave, all ${delays.length} pages behind showed their new place `
        + `${delays[0]}–${delays.at(-1)} ms after Opnemen (p95 ${delays[Math.ceil(delays.length * 0.95) - 1]})`;
    } finally {
      for (const person of everyone) {
        const ticket = await person.page.evaluate(() => JSON.parse(localStorage.getItem('praatbrug.conversation') ?? 'null')?.door?.ticket)
          .catch(() => null);
        if (ticket) {
          await bridge(env, 'POST', '/_praatbrug/door/v1/leave', { ticket }).catch(() => {});
        }
        await person.context.close();
      }
      await changeDoor(env, (yaml) => yaml).catch((error) => console.log(`    (policy not restored: ${error.message})`));
    }
  });

  test('door: outside the opening hours and with a full line no question is taken; the crisis numbers are shown', async ({ browser, env }) => {
    const people = [];
    try {
      await changeDoor(env, closedNow);
      const closed = await personAtDoor(browser, env, { enter: false });
      people.push(closed);
      assert(await closed.page.evaluate(() => document.body.dataset.door) === 'closed_hours', 'not closed for the hours');
      assert(await closed.page.locator('#door-start').isHidden(), 'a question can be asked outside the hours');
      assert(await closed.page.locator('#door-next-opening').isVisible(), 'the next opening is not shown');
      assert(await closed.page.locator('#door-crisis a[href="tel:1813"]').count() === 1, 'no crisis numbers when closed');
      await closed.page.screenshot({ path: `${SHOTS}door-closed-hours.png`, fullPage: true });
      const refused = await bridge(env, 'POST', '/_praatbrug/door/v1/enter',
        { nickname: 'Laat', consent_version: (await bridge(env, 'GET', '/_praatbrug/door/v1/status')).consent.version, language: 'nl' })
        .catch((error) => error);
      assert(refused.status === 409 && refused.body?.reason === 'closed_hours', `enter after hours: ${refused.status} ${JSON.stringify(refused.body)}`);
      // One place only: the first person gets it, the next finds the line full.
      await changeDoor(env, (yaml) => yaml.replace(/\n {2}places: \d+\n/, '\n  places: 1\n'));
      const first = await personAtDoor(browser, env, { nickname: 'Eerste', question: 'Een vraag die wacht.' });
      people.push(first);
      const full = await personAtDoor(browser, env, { enter: false });
      people.push(full);
      assert(await full.page.evaluate(() => document.body.dataset.door) === 'line_full', 'not full');
      assert(await full.page.locator('#door-start').isHidden(), 'a full line takes a question');
      assert(await full.page.locator('#door-crisis a[href="tel:112"]').count() === 1, 'no crisis numbers when full');
      await full.page.screenshot({ path: `${SHOTS}door-line-full.png`, fullPage: true });
      await first.page.click('#line-leave');
      await first.page.locator('#screen-line-gone:not([hidden])').waitFor({ timeout: 15_000 });
    } finally {
      await changeDoor(env, (yaml) => yaml).catch((error) => console.log(`    (policy not restored: ${error.message})`));
      for (const person of people) {
        await person.context.close();
      }
    }
  });

  test('door: counsellors go off duty and the door closes', async ({ env }) => {
    for (const desk of door.desks) {
      await desk.page.uncheck('#door-duty');
      await desk.page.locator('#door-block[data-on-duty="false"]').waitFor({ timeout: 30_000 });
    }
    const status = await bridge(env, 'GET', '/_praatbrug/door/v1/status');
    assert(status.open === false && status.reason === 'nobody_on_duty', `status ${JSON.stringify(status)}`);
    for (const desk of door.desks) {
      await desk.context.close();
    }
  });
}
