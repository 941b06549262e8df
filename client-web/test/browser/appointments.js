// A planned session on the client page, in real Chromium against the real bridge: before its
// window the link shows when the session starts (in Brussels time, whatever the phone's zone),
// a countdown and a calendar file that parses with a reminder; a cancelled appointment's link
// says so. Registered into run.js's list.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { assert } from './checks.js';

const BRUSSELS_DAY = new Intl.DateTimeFormat('nl-BE', {
  timeZone: 'Europe/Brussels', weekday: 'long', day: 'numeric', month: 'long',
});
const BRUSSELS_TIME = new Intl.DateTimeFormat('nl-BE', {
  timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

export function registerAppointmentTests(test, h) {
  const { state, PHONE, SHOTS } = h;

  test('a planned session: the link says when it starts, counts down and gives an .ics; cancelled, it says so', async ({ browser, counsellor }) => {
    const since = Date.now();
    await counsellor.say(state.dm, '!afspraak morgen 10:00 45m');
    const notice = await counsellor.waitForEvent(state.dm, (e) => e.getTs() >= since - 1000
      && e.getType() === 'm.room.message' && /Afspraak gepland/.test(e.getContent().body ?? ''),
    'appointment planned notice', 45_000);
    const body = notice.getContent().body;
    const link = /(\S+\/binnen\/#[A-Z0-9]+)/.exec(body)[1];
    const roomName = /Afspraak gepland: .*? in '([a-z-]+)'/.exec(body)[1];
    const tomorrow = new Date(Date.now() + 86_400_000);

    // A phone set to another time zone still shows the counsellor's (Brussels) time.
    const context = await browser.newContext({ ...PHONE, acceptDownloads: true, timezoneId: 'America/New_York' });
    try {
      const page = await context.newPage();
      h.keepConsole(page, 'appointment');
      await page.goto(link);
      await page.locator('#screen-appointment:not([hidden])').waitFor({ timeout: 30_000 });
      const when = await page.locator('#appointment-when').textContent();
      const expected = `Je gesprek begint ${BRUSSELS_DAY.format(tomorrow)} om 10:00.`;
      assert(when === expected, `"${when}" instead of "${expected}"`);
      const left = await page.locator('#appointment-countdown').textContent();
      assert(/^nog \d+ (dag|dagen|uur|minuten|minuut)\b/.test(left), `countdown "${left}"`);
      assert((await page.locator('#appointment-opens').textContent()).includes('vanaf 09:45'), 'the window');
      await page.screenshot({ path: `${SHOTS}appointment-before.png` });

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#appointment-ics')]);
      assert(download.suggestedFilename() === 'afspraak.ics', download.suggestedFilename());
      const file = readFileSync(await download.path(), 'utf8');
      const calendar = new ICAL.Component(ICAL.parse(file));
      const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent'));
      const start = BRUSSELS_TIME.format(event.startDate.toJSDate());
      const day = BRUSSELS_TIME.format(tomorrow).slice(0, 10);
      assert(start === `${day}, 10:00`, `the .ics starts ${start}, not ${day}, 10:00 in Brussels`);
      assert(event.endDate.toJSDate() - event.startDate.toJSDate() === 45 * 60_000, 'a 45-minute slot');
      const alarm = calendar.getFirstSubcomponent('vevent').getFirstSubcomponent('valarm');
      assert(alarm?.getFirstPropertyValue('trigger').toSeconds() === -900, 'a reminder 15 minutes before');
      assert(!/binnen|http|caw/i.test(file), 'the calendar file names no link or organisation');

      // Cancelled by the counsellor: the same link says the appointment is off.
      await counsellor.say(state.dm, `!afspraak annuleer ${roomName}`);
      await counsellor.waitForEvent(state.dm, (e) => e.getTs() >= since - 1000
        && /is geannuleerd/.test(e.getContent().body ?? ''), 'cancel notice', 45_000);
      await page.reload();
      await page.locator('#screen-problem:not([hidden])').waitFor({ timeout: 30_000 });
      const problem = await page.evaluate(() => document.body.dataset.problem);
      assert(problem === 'Cancelled', `problem page "${problem}"`);
      await page.screenshot({ path: `${SHOTS}appointment-cancelled.png` });
    } finally {
      await context.close();
    }
  });
}
