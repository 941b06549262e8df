// Counselling over weeks, in the browser: the same client through several links under one client
// record, consent once, the client's own data and withdrawal on the page, and a client with a
// Matrix account who knocks before consenting (an end-to-end encrypted client in Node) and is let
// in as soon as consent is recorded. Registered into run.js's list, before the throttling test.
import { EventType } from 'matrix-js-sdk';
import { assert, until } from './checks.js';
import { startCounsellor } from './counsellor.js';
import { matrix } from './environment.js';

const RECORD = /cliëntdossier (C-[A-Z0-9]{4}-[A-Z0-9]{4}) \((eerste gesprek|gesprek \d+)\)/;

export function registerRecordTests(test, h) {
  const { state, PHONE, SHOTS } = h;

  /** A bot notice in the counsellor's chat matching `pattern`, sent after `since` (ms). */
  async function noticeSince(counsellor, since, pattern) {
    const event = await counsellor.waitForEvent(state.dm, (e) => e.getTs() >= since - 1000
      && e.getType() === 'm.room.message' && e.getSender().startsWith('@praatbrug:')
      && pattern.test(e.getContent().body ?? ''), `notice ${pattern}`, 45_000);
    return event.getContent().body;
  }

  async function roomName(env, roomId) {
    return (await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(roomId)}/state/m.room.name`,
      env.users.counsellor.token)).name;
  }

  /** The counsellor ends the session in `roomId`; the page shows the end. */
  async function end(env, counsellor, roomId, page) {
    await counsellor.say(state.dm, `!gesprek einde ${await roomName(env, roomId)}`);
    await page.locator('#screen-ended:not([hidden])').waitFor({ timeout: 30_000 });
  }

  let phones = 0;

  /** A client page on a fresh phone (an address of its own) for `link`. */
  async function phone(browser, link, name) {
    phones += 1;
    const address = `198.51.100.${phones}`;
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    // Only the bridge's own calls (same origin) carry it: the homeserver's CORS would refuse it.
    await page.route('**/_praatbrug/entry/**', (route) => route.continue({
      headers: { ...route.request().headers(), 'x-forwarded-for': address },
    }));
    h.keepConsole(page, name);
    await page.goto(link);
    await h.chooseDevice(page);
    return page;
  }

  function kinds(env, ref) {
    const subject = JSON.parse(env.ledger('export-subject', '--client', ref));
    const counts = {};
    for (const entry of subject.ledger_entries) {
      counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
    }
    return { counts, subject };
  }

  test('a returning client consents once: two sessions through two links under one client record', async ({ browser, env, counsellor }) => {
    // First visit: a new client, the full consent form, straight in with the link's code.
    let since = Date.now();
    const first = await h.newSession(counsellor, state.dm);
    const one = await phone(browser, first.link, 'record-visit-1');
    await h.consent(one, { name: 'Noor' });
    await one.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const [, ref, which] = RECORD.exec(await noticeSince(counsellor, since, RECORD));
    assert(which === 'eerste gesprek', which);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await end(env, counsellor, first.roomId, one);
    await one.context().close();

    // A week later: a room for the same record. The page confirms instead of asking again.
    since = Date.now();
    const second = await h.newSession(counsellor, state.dm, `voor ${ref}`);
    const two = await phone(browser, second.link, 'record-visit-2');
    await two.locator('#screen-returning:not([hidden])').waitFor({ timeout: 30_000 });
    const given = await two.locator('#returning-given').textContent();
    assert(/^Je gaf toestemming op \d{1,2} \p{L}+ \d{4} \(versie 1\)\.$/u.test(given), `confirmation "${given}"`);
    assert(await two.locator('#screen-consent:not([hidden])').count() === 0, 'the full form again');
    await two.click('#screen-returning details.again summary');
    assert((await two.locator('#returning-text').textContent()).includes('nooit opgenomen'), 'the text is not readable');
    assert(await two.locator('#returning-form button').count() === 1, 'more than one button');
    await two.screenshot({ path: `${SHOTS}returning.png`, fullPage: true });
    await two.click('#returning-continue');
    await two.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const again = RECORD.exec(await noticeSince(counsellor, since, new RegExp(`cliëntdossier ${ref} \\(gesprek 2\\)`)));
    assert(again[1] === ref, again[0]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await end(env, counsellor, second.roomId, two);
    await two.context().close();

    // The ledger: one consent, two sessions under one reference; the export lists both.
    const { counts } = await until('both sessions in the ledger', async () => {
      const found = kinds(env, ref);
      return found.counts.session_ended === 2 && found;
    });
    assert(counts.consent_given === 1, `consent_given ${counts.consent_given}`);
    assert(counts.session_started === 2, `session_started ${counts.session_started}`);
    const { sessions } = JSON.parse(env.ledger('export-sessions', '--client', ref, '--format', 'json'));
    assert(sessions.length === 2 && sessions.every((s) => s.client_ref === ref && s.ended_at
      && Number.isInteger(s.duration_seconds) && s.duration_seconds >= 1), JSON.stringify(sessions));
    const csv = env.ledger('export-sessions', '--client', ref, '--format', 'csv');
    assert(csv.trim().split('\n').length === 3, csv);
    state.ref = ref;
    return `${ref}: 1 consent_given, 2 sessions (${sessions.map((s) => `${s.duration_seconds} s`).join(', ')})`;
  });

  test('on the page the client sees what is kept and withdraws; the session ends, the next link asks again', async ({ browser, env, counsellor }) => {
    const { ref } = state;
    let since = Date.now();
    const third = await h.newSession(counsellor, state.dm, `voor ${ref}`);
    const page = await phone(browser, third.link, 'record-withdraw');
    await page.locator('#screen-returning:not([hidden])').waitFor({ timeout: 30_000 });
    await page.fill('#returning-name', 'Noor');
    await page.click('#returning-continue');
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    const guest = await until('the stored account', () => h.stored(page));

    await page.click('#rights-open');
    await page.locator('#rights-body:not([hidden])').waitFor({ timeout: 30_000 });
    const intro = await page.locator('#rights-intro').textContent();
    assert(intro.includes(ref), intro);
    const kept = await page.locator('#rights-kept li').allTextContents();
    assert(kept.filter((line) => line.startsWith('Gesprek op')).length === 3, kept.join(' | '));
    assert(kept.some((line) => /^Toestemming gegeven op .* \(versie 1, via deze pagina\)\.$/.test(line)), kept.join(' | '));
    assert(kept.some((line) => /^Gesprek op .* van \d\d:\d\d tot \d\d:\d\d \((\d+ min\.|korter dan een minuut)\)/.test(line)), kept.join(' | '));
    assert((await page.locator('#rights-messages').textContent()).includes('30 dagen'), 'retention');
    assert((await page.locator('#rights-ask').textContent()).includes('verantwoordelijke voor gegevensbescherming van het CAW'), 'contact');
    assert((await page.locator('#rights-contact').textContent()).includes('privacy@caw.test'), 'e-mail');
    const all = await page.locator('#screen-rights').textContent();
    assert(!all.includes('@counsellor') && !all.includes(guest.userId), 'no Matrix ids on the rights page');
    await page.screenshot({ path: `${SHOTS}rights.png`, fullPage: true });
    // Back to the chat and again: the conversation goes on meanwhile.
    await page.click('#rights-back');
    await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 10_000 });
    await page.click('#rights-open');
    await page.locator('#rights-body:not([hidden])').waitFor({ timeout: 30_000 });

    since = Date.now();
    await page.click('#withdraw');
    await page.locator('#withdraw-confirm:not([hidden])').waitFor();
    await page.click('#withdraw-yes');
    await page.locator('#screen-ended:not([hidden])').waitFor({ timeout: 30_000 });
    assert(await page.evaluate(() => document.body.dataset.ended) === 'withdrawn', 'not the withdrawal ending');
    assert((await page.locator('#ended-heading').textContent()) === 'Je toestemming is ingetrokken', 'heading');
    await page.screenshot({ path: `${SHOTS}withdrawn.png` });
    assert(await h.stored(page) === null, 'the conversation is still stored in the browser');
    await noticeSince(counsellor, since, new RegExp(`De cliënt \\(${ref}\\) heeft de toestemming ingetrokken`));
    await until('the guest token revoked', async () =>
      matrix(env.hs, 'GET', '/account/whoami', guest.accessToken).then(() => false, (error) => error.status === 401));
    const { subject } = kinds(env, ref);
    const withdrawal = subject.ledger_entries.filter((e) => e.kind === 'consent_withdrawn');
    assert(withdrawal.length === 1 && withdrawal[0].fields.channel === 'link', JSON.stringify(withdrawal));
    await page.context().close();

    // The next link for the same record asks for consent again, and says why.
    const fourth = await h.newSession(counsellor, state.dm, `voor ${ref}`);
    const next = await phone(browser, fourth.link, 'record-after-withdrawal');
    await next.locator('#screen-consent:not([hidden])').waitFor({ timeout: 30_000 });
    const why = await next.locator('#consent-again').textContent();
    assert(why.includes('Je trok je toestemming eerder in'), why);
    await next.screenshot({ path: `${SHOTS}consent-again.png` });
    await h.consent(next, { name: 'Noor' });
    await next.locator('#screen-chat:not([hidden])').waitFor({ timeout: 45_000 });
    await end(env, counsellor, fourth.roomId, next);
    await next.context().close();
    const { counts } = kinds(env, ref);
    assert(counts.consent_given === 2 && counts.consent_withdrawn === 1, JSON.stringify(counts));
  });

  test('a Matrix-account client who knocks before consenting gets a Dutch and English message and is let in within 2 s of consent', async ({ env, counsellor }) => {
    const knocker = await startCounsellor(env.hs, await env.register('knocker', 'KNOCKER'));
    try {
      const session = await h.newSession(counsellor, state.dm);
      await knocker.client.knockRoom(session.roomId, { reason: session.code });
      // The bot opens an encrypted direct chat with the knocker and explains.
      const chat = await until('an invite from the bot', async () => knocker.client.getRooms().find((room) =>
        room.roomId !== session.roomId && room.getMyMembership() === 'invite'
        && room.getMember(knocker.userId)?.events.member?.getSender() === '@praatbrug:caw.test')?.roomId);
      await knocker.client.joinRoom(chat);
      const message = await knocker.waitForEvent(chat, (e) => e.getSender() === '@praatbrug:caw.test'
        && e.getType() === EventType.RoomMessage && (e.getContent().body ?? '').includes('!toestemming geef'),
      'the bot explaining consent', 45_000);
      const text = message.getContent().body;
      assert(message.isEncrypted(), 'the explanation was not encrypted');
      assert(text.includes('Je klopte aan') && text.includes('You knocked') && text.includes('!consent give')
        && text.includes('opnieuw aankloppen hoeft niet'), text);
      // Consenting there lets the waiting knock in, without a second knock.
      const consented = Date.now();
      await knocker.say(chat, '!toestemming geef');
      await until('the knocker let in', async () => {
        const member = await matrix(env.hs, 'GET', `/rooms/${encodeURIComponent(session.roomId)}/state/m.room.member/${encodeURIComponent(knocker.userId)}`,
          env.users.counsellor.token);
        return member.membership === 'invite';
      }, 10_000);
      const ms = Date.now() - consented;
      assert(ms <= 2000, `let in ${ms} ms after consent`);
      await counsellor.say(state.dm, `!gesprek einde ${await roomName(env, session.roomId)}`);
      return `let in ${ms} ms after consent`;
    } finally {
      await knocker.stop();
    }
  });
}
