// Group call setup (a family session's call) for 3 and 4 people, and the CPU a page takes in a
// four-person call. Setup = from the moment the last person presses "join" until every pair shows
// each other's video (each side's first decoded frame from the other, timed inside the widgets).
// Real Chromium (one browser, a context per person), real Synapse and the real bridge on loopback.
// Run: npm run bench:group [-- RUNS]   (default 10 calls of each size). Prints p50/p95 and every run.
import { startEnvironment } from './environment.js';
import { everyPairConnected, openGroup } from './group.js';
import { join, launchBrowser, openParticipant } from './participants.js';

const runs = Number(process.argv[2] ?? 10);
const CPU_SECONDS = 20;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The widget's own marks (wall-clock ms) and the peers it sees, as its connection details hold them. */
async function details(person) {
  return person.widgetFrame().evaluate(() => {
    const info = document.getElementById('connection-info').dataset;
    return { marks: JSON.parse(info.marks ?? '{}'), peers: JSON.parse(info.peers ?? '[]') };
  });
}

/** The setup time of the last joiner: its press until the last first frame on any pair it is in. */
async function setupOf(people, last, names) {
  // Marks are written once a second; wait until every first frame is in.
  for (let i = 0; i < 40; i++) {
    const all = await Promise.all(people.map(details));
    const lastDetails = all[people.indexOf(last)];
    const lastParty = all.find((d, i) => people[i] !== last)?.peers.find((p) => p.name === names.get(last))?.party;
    const frames = [];
    for (const [i, d] of all.entries()) {
      if (people[i] === last) {
        for (const peer of d.peers) {
          frames.push(d.marks[`firstFrame:${peer.party}`]);
        }
      } else {
        frames.push(d.marks[`firstFrame:${lastParty}`]);
      }
    }
    if (lastParty && frames.length === (people.length - 1) * 2 && frames.every(Number.isFinite)) {
      return Math.max(...frames) - lastDetails.marks.join;
    }
    await sleep(250);
  }
  return null;
}

async function oneCall(browser, env, size) {
  const who = ['counsellor', 'client', 'parent', 'stranger'].slice(0, size);
  const people = await openGroup(browser, env, who, `&people=${size}`);
  const names = new Map(people.map((person) => [person, env.users[person.who].name]));
  try {
    // Everyone but the last is in the call already.
    for (const person of people.slice(0, -1)) {
      await join(person);
    }
    await everyPairConnected(env, people.slice(0, -1));
    const last = people[people.length - 1];
    await join(last);
    await everyPairConnected(env, people);
    const setup = await setupOf(people, last, names);
    process.stderr.write(`${setup} ms `);
    return { setup, people };
  } catch (error) {
    process.stderr.write(`failed (${error.message.split('\n')[0]}) `);
    await Promise.all(people.map((person) => person.close()));
    return { setup: null, people: [] };
  }
}

/** CPU seconds of Chromium's processes by type, from the browser's own process list. */
async function cpuByType(cdp) {
  const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
  const byType = {};
  for (const process of processInfo) {
    byType[process.type] = (byType[process.type] ?? 0) + process.cpuTime;
  }
  return byType;
}

const env = await startEnvironment();
let browser = null;
const report = [];
try {
  browser = await launchBrowser();
  for (const size of [3, 4]) {
    const times = [];
    let failed = 0;
    process.stderr.write(`\n${size} people: `);
    for (let i = 0; i < runs; i++) {
      const { setup, people } = await oneCall(browser, env, size);
      if (setup === null) {
        failed += 1;
      } else {
        times.push(setup);
      }
      if (size === 4 && i === runs - 1 && people.length === 4) {
        // The last four-person call runs on: CPU of one page (its host page and widget) in it.
        const cdp = await browser.newBrowserCDPSession();
        const before = await cpuByType(cdp);
        await sleep(CPU_SECONDS * 1000);
        const after = await cpuByType(cdp);
        const used = Object.fromEntries(Object.keys(after).map((type) => [type, after[type] - (before[type] ?? 0)]));
        const renderer = (used.renderer ?? 0) / people.length / CPU_SECONDS;
        const total = Object.values(used).reduce((a, b) => a + b, 0) / people.length / CPU_SECONDS;
        report.push(`four-person call, per page over ${CPU_SECONDS} s: renderers ${(renderer * 100).toFixed(0)} % of one core,`
          + ` all Chromium processes ${(total * 100).toFixed(0)} % (by type: ${JSON.stringify(Object.fromEntries(
            Object.entries(used).map(([type, seconds]) => [type, Number((seconds / CPU_SECONDS * 100).toFixed(0))])))} % for all ${people.length} pages)`);
      }
      await Promise.all(people.map((person) => person.close()));
    }
    times.sort((a, b) => a - b);
    report.push(`${size} people: p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms, `
      + `${times.length}/${runs} connected${failed ? `, ${failed} failed` : ''}; runs: ${times.join(', ')}`);
  }
} finally {
  await browser?.close();
  await env.stop();
}
console.log(`\ngroup call setup (last person presses join → every pair shows video), ${runs} calls each:`);
for (const line of report) {
  console.log(line);
}
