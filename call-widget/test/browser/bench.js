// Call setup time on loopback, for each order in which the two people press "join":
// counsellor first (client 0.5 s later), client first (counsellor 0.5 s later), and both in the
// same millisecond. Setup = from the later press until each side has decoded the first video frame
// from the other; the later of the two counts. Real Chromium, real Synapse (signalling through room
// events) and the real bridge.
// Run: npm run bench [-- RUNS [ORDER]]   (default 20 runs of each order). Prints p50/p95, how many
// runs connected, and every run.
import { startEnvironment } from './environment.js';
import { connectionInfo, launchBrowser, openParticipant, pressAt, waitFor } from './participants.js';

const runs = Number(process.argv[2] ?? 20);
const onlyOrder = process.argv[3] ?? null;
const ORDERS = {
  'counsellor first': [0, 500],
  'client first': [500, 0],
  simultaneous: [0, 0],
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function timestamps(participant) {
  return participant.widgetFrame().evaluate(() => {
    const info = document.getElementById('connection-info').dataset;
    return { joinedAt: Number(info.joinedAt), firstFrameAt: Number(info.firstFrameAt) };
  });
}

/** One call in the given order; resolves with the setup time in ms, or null when it did not connect in 20 s. */
async function oneCall(browser, env, offsets) {
  const counsellor = await openParticipant(browser, env, 'counsellor');
  const client = await openParticipant(browser, env, 'client');
  try {
    await pressAt([counsellor, client], 'join', offsets);
    try {
      for (const side of [counsellor, client]) {
        await waitFor(side, (info) => info.setupMs !== null, 'first frame', 20_000);
      }
    } catch {
      return null;
    }
    const [c, k] = [await timestamps(counsellor), await timestamps(client)];
    const setup = Math.max(c.firstFrameAt, k.firstFrameAt) - Math.max(c.joinedAt, k.joinedAt);
    process.stderr.write(`${setup} ms (${(await connectionInfo(client)).path}) `);
    await counsellor.frame.locator('#hang-up').click();
    await client.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
    return setup;
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
}

const env = await startEnvironment();
let browser = null;
const report = [];
try {
  browser = await launchBrowser();
  for (const [order, offsets] of Object.entries(ORDERS)) {
    if (onlyOrder && order !== onlyOrder) continue;
    process.stderr.write(`${order}: `);
    const results = [];
    for (let run = 0; run < runs; run += 1) results.push(await oneCall(browser, env, offsets));
    process.stderr.write('\n');
    report.push({ order, results });
  }
} finally {
  await browser?.close();
  await env.stop();
}
console.log('call setup (later press of join -> first remote frame decoded on both sides):');
for (const { order, results } of report) {
  const connected = results.filter((ms) => ms !== null);
  const sorted = [...connected].sort((a, b) => a - b);
  console.log(`${order}: ${connected.length}/${results.length} connected, p50 ${percentile(sorted, 50)} ms, `
    + `p95 ${percentile(sorted, 95)} ms, min ${sorted[0]} ms, max ${sorted.at(-1)} ms`);
  console.log(`  runs (ms): ${results.map((ms) => ms ?? 'failed').join(' ')}`);
}
