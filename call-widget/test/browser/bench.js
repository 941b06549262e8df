// Call setup time on loopback: from the moment the second person presses "join" (both present)
// until each side has decoded the first video frame from the other; the later of the two counts.
// Real Chromium, real Synapse (signalling through room events) and the real bridge.
// Run: npm run bench [-- RUNS]   (default 20). Prints p50/p95 and every run.
import { startEnvironment } from './environment.js';
import { connectionInfo, launchBrowser, openParticipant, waitFor } from './participants.js';

const runs = Number(process.argv[2] ?? 20);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timestamps(participant) {
  return participant.widgetFrame().evaluate(() => {
    const info = document.getElementById('connection-info').dataset;
    return { joinedAt: Number(info.joinedAt), firstFrameAt: Number(info.firstFrameAt), marks: JSON.parse(info.marks) };
  });
}

const env = await startEnvironment();
let browser = null;
const results = [];
try {
  browser = await launchBrowser();
  for (let run = 0; run < runs; run += 1) {
    const counsellor = await openParticipant(browser, env, 'counsellor');
    const client = await openParticipant(browser, env, 'client');
    try {
      // The counsellor waits in the call; the client arrives.
      await counsellor.frame.locator('#join').click();
      await waitFor(counsellor, (info) => info.state === 'waiting', 'waiting');
      await new Promise((resolve) => setTimeout(resolve, 500));
      await client.frame.locator('#join').click();
      for (const side of [counsellor, client]) {
        await waitFor(side, (info) => info.setupMs !== null, 'first frame', 20_000);
      }
      const [c, k] = [await timestamps(counsellor), await timestamps(client)];
      const setup = Math.max(c.firstFrameAt, k.firstFrameAt) - k.joinedAt;
      results.push(setup);
      // Each step relative to the client's join, to show where the time goes.
      const steps = (side, marks) => Object.entries(marks).map(([step, at]) => `${side}.${step}=${at - k.joinedAt}`);
      process.stderr.write(`run ${run + 1}/${runs}: ${setup} ms (${(await connectionInfo(client)).path}) `
        + `${[...steps('client', k.marks), ...steps('counsellor', c.marks).filter((s) => !/\.(join|media|offerReady|helloSent)=/.test(s))].join(' ')}\n`);
      await counsellor.frame.locator('#hang-up').click();
      await client.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
    } finally {
      await Promise.all([counsellor.close(), client.close()]);
    }
  }
} finally {
  await browser?.close();
  await env.stop();
}
const sorted = [...results].sort((a, b) => a - b);
console.log(`call setup (second person presses join -> first remote frame decoded on both sides), ${runs} runs:`);
console.log(`p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`);
console.log(`runs (ms): ${results.join(' ')}`);
