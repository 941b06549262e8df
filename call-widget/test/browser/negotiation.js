// Browser tests of call setup in every order people press Join, of recovery when the connection
// breaks or the other side goes, and of a long call on a good and on a narrow line. Two host kinds:
// Element's (room order, own events echoed by the homeserver) and matrix-js-sdk's, as on the client
// page and the counsellor page (own events at once, others' in any order within 150 ms).
import {
  assert, bothConnected, connectionInfo, join, openParticipant, pressAt, waitFor,
} from './participants.js';

const ROOM_ORDER = {};
const LOCAL_ECHO = { echo: 'local', jitter: '150' };
const HOSTS = [['room order', ROOM_ORDER], ['local echo', LOCAL_ECHO]];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function openPair(browser, env, options = {}) {
  const counsellor = await openParticipant(browser, env, 'counsellor', options);
  const client = await openParticipant(browser, env, 'client', options);
  return { counsellor, client, sides: [counsellor, client], close: () => Promise.all([counsellor.close(), client.close()]) };
}

/** One hangs up, both see the end screen. */
async function hangUpAndWait(pair, who = pair.counsellor) {
  await who.frame.locator('#hang-up').click();
  for (const side of pair.sides) {
    await side.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
  }
}

/** Records when each frame of the other side's video is shown, to find freezes afterwards. */
async function recordFrames(side) {
  await side.widgetFrame().evaluate(() => {
    const video = document.getElementById('remote-video');
    window.shownFrames = [];
    const tick = (now) => {
      window.shownFrames.push(now);
      video.requestVideoFrameCallback(tick);
    };
    video.requestVideoFrameCallback(tick);
  });
}

/** The longest time (ms) between two frames shown since recording began, and how many were shown. */
async function longestGap(side, skipMs = 0, untilMs = Infinity) {
  return side.widgetFrame().evaluate(([skip, until]) => {
    const frames = window.shownFrames.filter((t) => t >= window.shownFrames[0] + skip
      && t <= window.shownFrames[0] + until);
    let gap = 0;
    let at = 0;
    for (let i = 1; i < frames.length; i += 1) {
      if (frames[i] - frames[i - 1] > gap) {
        gap = frames[i] - frames[i - 1];
        at = frames[i - 1] - window.shownFrames[0];
      }
    }
    return { gap: Math.round(gap), at: Math.round(at), frames: frames.length };
  }, [skipMs, untilMs]);
}

/**
 * Connects the pair `rounds` times: the first by Join, then each time the counsellor hangs up and
 * both press "Join again", at the moments `offsets()` gives (ms after a shared start).
 */
async function connectRepeatedly(pair, rounds, offsets) {
  const times = [];
  for (let round = 0; round < rounds; round += 1) {
    if (round > 0) {
      await hangUpAndWait(pair);
    }
    await pressAt(pair.sides, round === 0 ? 'join' : 'rejoin', offsets(round));
    try {
      times.push(await bothConnected(pair.sides));
    } catch (error) {
      throw new Error(`round ${round + 1} of ${rounds}: ${error.message}`);
    }
  }
  return times;
}

export function negotiationTests(test, { shot }) {
  for (const [hostName, host] of HOSTS) {
    for (const [first, second] of [['counsellor', 'client'], ['client', 'counsellor']]) {
      test(`${first} joins first, ${second} half a second later: connected (${hostName})`, async (browser, env) => {
        const pair = await openPair(browser, env, { host });
        try {
          await join(pair[first]);
          await waitFor(pair[first], (info) => info.state === 'waiting', 'waiting');
          await sleep(500);
          await join(pair[second]);
          await bothConnected(pair.sides);
        } finally {
          await pair.close();
        }
      });
    }
  }

  test('both press Join within 50 ms of each other, 10 times in a row: connected every time (local echo)', async (browser, env) => {
    const pair = await openPair(browser, env, { host: LOCAL_ECHO });
    try {
      const times = await connectRepeatedly(pair, 10, (round) => {
        const gap = Math.round(Math.random() * 50);
        return round % 2 === 0 ? [0, gap] : [gap, 0];
      });
      console.log(`    setup (ms): ${times.join(' ')}`);
    } finally {
      await pair.close();
    }
  });

  for (const [hostName, host] of HOSTS) {
    test(`both press Join in the same millisecond, 10 times in a row: connected every time (${hostName})`, async (browser, env) => {
      const pair = await openPair(browser, env, { host });
      try {
        const times = await connectRepeatedly(pair, 10, () => [0, 0]);
        console.log(`    setup (ms): ${times.join(' ')}`);
        await shot(pair.client, `together-${host.echo ?? 'room'}`);
      } finally {
        await pair.close();
      }
    });
  }

  for (const who of ['client', 'counsellor']) {
    test(`the ${who} reloads while the two are still negotiating: one call in the end`, async (browser, env) => {
      const pair = await openPair(browser, env, { host: LOCAL_ECHO });
      try {
        await pressAt(pair.sides, 'join');
        await sleep(80);
        await pair[who].page.reload();
        await pair[who].page.waitForFunction(() => window.widgetReady === true, null, { timeout: 15_000 });
        await pair[who].frame.locator('#join:not([disabled])').waitFor({ timeout: 15_000 });
        await join(pair[who]);
        await bothConnected(pair.sides, 20_000);
        const other = pair[who === 'client' ? 'counsellor' : 'client'];
        assert((await connectionInfo(other)).screen === 'call', 'the other side left the call');
      } finally {
        await pair.close();
      }
    });
  }

  test('both hang up and rejoin within a second, either one first: connected again', async (browser, env) => {
    const pair = await openPair(browser, env, { host: LOCAL_ECHO });
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides);
      for (const offsets of [[0, 700], [700, 0], [0, 0]]) {
        await pressAt(pair.sides, 'hang-up');
        for (const side of pair.sides) {
          await side.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
        }
        await pressAt(pair.sides, 'rejoin', offsets);
        await bothConnected(pair.sides);
      }
    } finally {
      await pair.close();
    }
  });

  test('hang-up pressed while the join is still under way ends it for good: no call starts behind the end screen', async (browser, env) => {
    const pair = await openPair(browser, env);
    try {
      await join(pair.counsellor);
      await waitFor(pair.counsellor, (info) => info.state === 'waiting', 'the counsellor waiting');
      for (const delay of [0, 20, 60, 150]) {
        // Join and hang-up from timers inside the page, `delay` ms apart: the join is mid-way.
        await pair.client.widgetFrame().evaluate((ms) => {
          const target = document.body.dataset.screen === 'ended' ? 'rejoin' : 'join';
          document.getElementById(target).click();
          setTimeout(() => document.getElementById('hang-up').click(), ms);
        }, delay);
        await pair.client.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
        await sleep(3000);
        const [client, counsellor] = await Promise.all([connectionInfo(pair.client), connectionInfo(pair.counsellor)]);
        assert(client.screen === 'ended' && client.state === 'ended', `client after ${delay} ms: ${JSON.stringify(client)}`);
        // Either the hello never went out (still waiting) or it did and the hang-up followed (ended).
        assert(['waiting', 'ended'].includes(counsellor.state) && counsellor.framesDecoded === 0,
          `the counsellor got a call from someone who hung up (${delay} ms): ${JSON.stringify(counsellor)}`);
        const live = await pair.client.widgetFrame().evaluate(() => document.getElementById('local-video').srcObject?.getTracks()
          .filter((track) => track.readyState === 'live').length ?? 0);
        assert(live === 0, `the client's camera or microphone is still on after ${delay} ms`);
        if (counsellor.state === 'ended') {
          await pair.counsellor.frame.locator('#rejoin').click();
          await waitFor(pair.counsellor, (info) => info.state === 'waiting', 'the counsellor waiting again');
        }
      }
    } finally {
      await pair.close();
    }
  });

  test('the counsellor\'s second device takes the call over; the first says where the call went', async (browser, env) => {
    const pair = await openPair(browser, env);
    const laptop = pair.counsellor;
    let phone = null;
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides);
      phone = await openParticipant(browser, env, 'counsellor', { viewport: { width: 390, height: 760 } });
      await join(phone);
      await bothConnected([phone, pair.client]);
      await laptop.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
      const text = await laptop.frame.locator('#ended-text').textContent();
      assert(text.includes('ander toestel'), `the first device says: ${text}`);
      const frames = (await connectionInfo(pair.client)).framesDecoded;
      await waitFor(pair.client, (info) => info.framesDecoded > frames + 10, 'video from the second device');
      await shot(laptop, 'taken-over');
    } finally {
      await Promise.all([pair.close(), phone?.close()]);
    }
  });

  test('the relay breaks mid-call (TURN server restarted): ICE restarts and the call is back within 10 s', async (browser, env) => {
    const pair = await openPair(browser, env, { widgetExtra: '&relayOnly=true' });
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides);
      await waitFor(pair.counsellor, (info) => info.path === 'relayed', 'a relayed path');
      const broken = Date.now();
      env.turn.stop();
      env.turn.start();
      // The break is noticed (no more consent from the relay), then both recover.
      await waitFor(pair.counsellor, (info) => info.state !== 'connected', 'the break noticed', 10_000);
      const noticed = Date.now() - broken;
      // Recovery may be an ICE restart (the frame count goes on) or a fresh connection (it starts
      // again from zero): new frames are counted from the lowest count seen since the break.
      await Promise.all(pair.sides.map(async (side) => {
        let since = (await connectionInfo(side)).framesDecoded;
        await waitFor(side, (info) => {
          since = Math.min(since, info.framesDecoded);
          return info.state === 'connected' && info.framesDecoded > since + 5;
        }, 'connected again with new frames', Math.max(1000, 10_000 - (Date.now() - broken)));
      }));
      console.log(`    break noticed after ${noticed} ms, call back after ${Date.now() - broken} ms`);
    } finally {
      await pair.close();
    }
  });

  test('when the other side is gone the widget says so and offers to wait or hang up; a return reconnects', async (browser, env) => {
    const pair = await openPair(browser, env);
    let back = null;
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides);
      // The client's phone dies: no hang-up is sent.
      await pair.client.close();
      await waitFor(pair.counsellor, (info) => info.state !== 'connected', 'the connection lost', 15_000);
      await waitFor(pair.counsellor, (info) => info.gone, 'the question whether to wait', 25_000);
      await shot(pair.counsellor, 'peer-gone');
      await pair.counsellor.frame.locator('#keep-waiting').click();
      assert(!(await connectionInfo(pair.counsellor)).gone, 'the question stayed after "keep waiting"');
      back = await openParticipant(browser, env, 'client');
      await join(back);
      await bothConnected([pair.counsellor, back]);
      // Gone again; this time the counsellor hangs up from the question.
      await back.close();
      await waitFor(pair.counsellor, (info) => info.gone, 'the question again', 40_000);
      await pair.counsellor.frame.locator('#gone-hang-up').click();
      await pair.counsellor.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 5000 });
    } finally {
      await Promise.all([pair.close(), back?.close()]);
    }
  });

  test('a two-minute call: the picture never freezes for more than a second', async (browser, env) => {
    const pair = await openPair(browser, env);
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides);
      await Promise.all(pair.sides.map(recordFrames));
      const frames = await Promise.all(pair.sides.map(async (side) => (await connectionInfo(side)).framesDecoded));
      await sleep(120_000);
      for (const [i, side] of pair.sides.entries()) {
        const info = await connectionInfo(side);
        assert(info.state === 'connected', `${side.who}: ${info.state} after two minutes`);
        assert(info.framesDecoded > frames[i] + 120 * 10, `${side.who}: only ${info.framesDecoded - frames[i]} frames in 2 minutes`);
        const { gap, frames: shown } = await longestGap(side);
        console.log(`    ${side.who}: ${shown} frames shown, longest gap ${gap} ms, freezes counted by WebRTC: ${info.freezes}, `
          + `sends ${info.sentWidth} px wide (estimate ${Math.round(info.availableOutgoing / 1000)} kbit/s, `
          + `${info.sharpened ? '720p asked' : '720p not asked'}, limited by ${info.limitedBy})`);
        assert(gap <= 1000, `${side.who}: the picture froze for ${gap} ms`);
      }
    } finally {
      await pair.close();
    }
  });

  test('on a narrow line the picture gets smaller instead of freezing', async (browser, env) => {
    // 40 kB/s per relay session and direction: room for sound and a small picture, not for 720p.
    env.narrowTurn.start(40_000);
    const pair = await openPair(browser, env, { widgetExtra: '&relayOnly=true', host: { turn: env.narrowTurn.uri } });
    try {
      await pressAt(pair.sides, 'join');
      await bothConnected(pair.sides, 20_000);
      await Promise.all(pair.sides.map(recordFrames));
      // The first seconds are the adaptation (the browser's estimate finds the line, the sender
      // halves its picture); what must hold is the call after it: a small picture that keeps moving.
      await sleep(25_000);
      for (const side of pair.sides) {
        const info = await connectionInfo(side);
        const settling = await longestGap(side, 0, 10_000);
        const { gap, at, frames } = await longestGap(side, 10_000);
        console.log(`    ${side.who}: sends ${info.sentWidth} px wide (scale 1/${info.sendScale}, estimate `
          + `${Math.round(info.availableOutgoing / 1000)} kbit/s), ${frames} frames shown in the last 15 s, longest gap `
          + `${gap} ms (${at} ms in; while adapting: ${settling.gap} ms), warning ${info.weakShown ? 'shown' : 'not shown'}`);
        assert(info.state === 'connected', `${side.who}: ${info.state}`);
        assert(info.sentWidth > 0 && info.sentWidth < 1280, `${side.who} still sends ${info.sentWidth} px wide`);
        assert(frames >= 15 * 8, `${side.who}: only ${frames} frames in 15 s`);
        assert(gap <= 1000, `${side.who}: the picture froze for ${gap} ms`);
      }
      await shot(pair.client, 'narrow-line');
    } finally {
      await pair.close();
      env.narrowTurn.stop();
    }
  });
}
