// A family session end to end in the browser (#22): the counsellor names a place for the mother, the
// pupil (under 12, her mother agrees on her own place) and the mother each open their own link on
// their own phone, consent for themselves, and the three talk in one group call from the
// counsellor page; the counsellor takes the mother out, the pupil's call goes on.
import { assert, until } from './checks.js';
import { signInToDesk, signOutOfDesk } from './desk-helpers.js';

const PLACE = /Plaats 2 in gezinsgesprek '[a-z-]+' is voor cliëntdossier (C-[A-Z0-9]{4}-[A-Z0-9]{4})\.[\s\S]*?Link: (\S+)/;

export function registerFamilyTests(test, h) {
  const { state, PHONE, SHOTS } = h;
  let phones = 0;

  /** A client page on a fresh phone (an address of its own) for `link`. */
  async function phone(browser, link, name) {
    phones += 1;
    const address = `198.51.100.${200 + phones}`;
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.route('**/_praatbrug/entry/**', (route) => route.continue({
      headers: { ...route.request().headers(), 'x-forwarded-for': address },
    }));
    h.keepConsole(page, name);
    await page.goto(link);
    return page;
  }

  /** The tiles of the others in a page's call widget. */
  async function tiles(frame) {
    return frame.evaluate(() => [...document.querySelectorAll('.tile.peer')].map((tile) => ({
      name: tile.querySelector('.peer-name').textContent,
      state: tile.dataset.state,
      frames: Number(tile.dataset.framesDecoded),
    })));
  }

  async function seesWithVideo(frame, who, count, timeout = 45_000) {
    return until(`${who} seeing ${count} others with video`, async () => {
      const now = await tiles(frame);
      return now.length === count && now.every((tile) => tile.state === 'connected' && tile.frames > 0) && now;
    }, timeout);
  }

  async function widget(page, who) {
    return until(`${who}'s call widget`, async () => page.frames().find((f) => f.url().includes('/widget/call/')));
  }

  test('a family session: pupil (under 12) and mother each enter with their own link and consent, the three talk in one call', async ({ browser, env, counsellor }) => {
    const session = await h.newSession(counsellor, state.dm, 'gezin');
    const since = Date.now();
    await counsellor.say(state.dm, `!gesprek ouder mama van Sara ${session.roomId}`);
    const placeNotice = await counsellor.waitForEvent(state.dm, (e) => e.getTs() >= since - 1000
      && PLACE.test(e.getContent().body ?? ''), 'the place notice', 45_000);
    const [, motherRef, motherLink] = PLACE.exec(placeNotice.getContent().body);

    // The pupil first: under 12, she says her mother takes part and agrees on her own place.
    const pupil = await phone(browser, session.link, 'family-pupil');
    const mother = await phone(browser, motherLink, 'family-mother');
    const desk = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-BE' })).newPage();
    h.keepConsole(desk, 'family-counsellor');
    try {
      await pupil.locator('#screen-device:not([hidden]), #screen-consent:not([hidden])').first().waitFor({ timeout: 30_000 });
      if (await pupil.locator('#screen-device:not([hidden])').count()) {
        await h.chooseDevice(pupil);
      }
      await pupil.fill('#name', 'Sara');
      await pupil.check('#under-12');
      await pupil.locator('#guardian-in-session-label:not([hidden])').waitFor({ timeout: 5_000 });
      await pupil.check('#guardian-in-session');
      assert(await pupil.locator('#guardian-here').isHidden(), 'the guardian name is still asked');
      await pupil.check('#agreed');
      await pupil.screenshot({ path: `${SHOTS}family-pupil-consent.png`, fullPage: true });
      await pupil.click('#consent-submit');
      // She waits: her mother has not agreed yet.
      await pupil.locator('#screen-waiting:not([hidden])').waitFor({ timeout: 45_000 });
      await new Promise((resolve) => setTimeout(resolve, 2000));
      assert(await pupil.locator('#screen-chat:not([hidden])').count() === 0, 'the child went in before her mother agreed');

      await h.consent(mother, { name: 'An' });
      for (const [page, who] of [[mother, 'mother'], [pupil, 'pupil']]) {
        await page.locator('#screen-chat:not([hidden])').waitFor({ timeout: 60_000 });
        assert(await page.locator('#screen-chat:not([hidden])').count() === 1, `${who} not in`);
      }

      // The counsellor opens the room on her page; all three join the call.
      await desk.goto(`${env.bridgeUrl}/binnen/counsellor.html`);
      await signInToDesk(desk, env.users.counsellor);
      await desk.locator(`#rooms button[data-room-id="${session.roomId}"]`).click({ timeout: 30_000 });
      await desk.locator('#screen-chat:not([hidden])').waitFor({ timeout: 30_000 });
      const frames = {};
      for (const [page, who] of [[desk, 'counsellor'], [pupil, 'pupil'], [mother, 'mother']]) {
        await page.click('#call-toggle');
        frames[who] = await widget(page, who);
        await frames[who].locator('#join:not([disabled])').click({ timeout: 30_000 });
      }
      for (const who of Object.keys(frames)) {
        const seen = await seesWithVideo(frames[who], who, 2);
        assert(seen.every((tile) => tile.name.length > 0), `${who} sees a tile without a name`);
      }
      const names = (await tiles(frames.pupil)).map((tile) => tile.name).sort();
      assert(names.includes('An') && names.length === 2, `the pupil sees ${names}`);
      await desk.screenshot({ path: `${SHOTS}family-call-counsellor.png` });
      await pupil.screenshot({ path: `${SHOTS}family-call-pupil.png` });

      // The counsellor takes the mother out (the button under her video): out of the call and the
      // room; the pupil's call goes on.
      await frames.counsellor.locator('.tile.peer:has-text("An") .remove-peer').click();
      // Her page ends: out of the room, her guest account gone with her place.
      await mother.locator('#screen-ended:not([hidden])').waitFor({ timeout: 30_000 });
      await mother.screenshot({ path: `${SHOTS}family-mother-removed.png` });
      await seesWithVideo(frames.pupil, 'pupil', 1, 20_000);
      // The page asked the bot to take her out of the room too; the bot confirms.
      await counsellor.waitForEvent(state.dm, (e) => (e.getContent().body ?? '').includes(`(plaats 2 (${motherRef})) is uit`),
        'the bot taking the mother out of the room', 30_000);
      const ledger = JSON.parse(env.ledger('export-subject', '--client', motherRef));
      assert(ledger.ledger_entries.some((entry) => entry.kind === 'consent_given'), 'the mother\'s own consent is not under her record');
      await frames.counsellor.locator('#hang-up').click();
      await desk.click('.back-to-rooms');
      await signOutOfDesk(desk, { shared: true });
      return `pupil waited for her mother's consent; three in one call, every pair with video; mother taken out, the call went on`;
    } finally {
      await Promise.all([pupil.context().close(), mother.context().close(), desk.context().close()]);
    }
  });
}
