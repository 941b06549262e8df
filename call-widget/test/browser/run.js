// Browser tests of the call widget: real Chromium, real Synapse, real coturn, the real bridge
// serving the widget. Run: npm run test:browser (after mvn -DskipTests package -pl bridge -am).
// Screenshots go to target/screenshots/. Ends with the line "call-widget: N passed, N failed".
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEnvironment } from './environment.js';
import { groupTests } from './group.js';
import { negotiationTests } from './negotiation.js';
import { assert, connectPair, connectionInfo, join, launchBrowser, openParticipant, waitFor } from './participants.js';

const SHOTS = fileURLToPath(new URL('../../target/screenshots/', import.meta.url));
// Only this run's pictures (and signal log, on failure) in the folder.
rmSync(SHOTS, { recursive: true, force: true });
mkdirSync(SHOTS, { recursive: true });

async function shot(participant, name) {
  await participant.page.screenshot({ path: `${SHOTS}${name}.png` });
}

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('counsellor and client connect peer to peer and video frames keep arriving', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  try {
    const before = await connectionInfo(counsellor);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const after = await connectionInfo(counsellor);
    assert(after.framesDecoded > before.framesDecoded + 10,
      `frames decoded did not increase: ${before.framesDecoded} -> ${after.framesDecoded}`);
    const clientAfter = await waitFor(client, (info) => info.path !== undefined && info.path !== 'unknown', 'a path');
    assert(clientAfter.path === 'direct', `expected a direct path on loopback, got ${clientAfter.path}`);
    const badge = await counsellor.frame.locator('#path').getAttribute('data-path');
    assert(badge === 'direct', `path badge says ${badge}`);
    const remoteName = await counsellor.frame.locator('#remote-name').textContent();
    assert(remoteName === env.users.client.name, `name under the video is "${remoteName}"`);
    const granted = await counsellor.page.evaluate(() => window.grantedCapabilities);
    assert(granted.length === 3, `widget asked for ${JSON.stringify(granted)}`);
    await shot(counsellor, 'call-counsellor');
    await shot(client, 'call-client');
  } finally {
    await counsellor.close();
    await client.close();
  }
});

test('a third person is refused and the two in the call are told', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  const stranger = await openParticipant(browser, env, 'stranger');
  try {
    await join(stranger);
    await stranger.frame.locator('#screen-refused:not([hidden])').waitFor({ timeout: 10_000 });
    await counsellor.frame.locator('[data-notice=thirdRefused]').waitFor({ timeout: 10_000 });
    const notice = await counsellor.frame.locator('[data-notice=thirdRefused]').textContent();
    assert(notice.includes(env.users.stranger.name), `notice: ${notice}`);
    const still = await connectionInfo(counsellor);
    assert(still.state === 'connected', `the call was disturbed: ${still.state}`);
    await shot(stranger, 'refused-third');
    await shot(counsellor, 'counsellor-told-about-third');
  } finally {
    await Promise.all([counsellor.close(), client.close(), stranger.close()]);
  }
});

test('screen share replaces the sent video track and stops cleanly', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  try {
    const camera = await sentTrackLabel(client);
    await client.frame.locator('#toggle-screen').click();
    await counsellor.frame.locator('#remote-tile[data-screen=on]').waitFor({ timeout: 10_000 });
    const screen = await sentTrackLabel(client);
    assert(screen !== camera, `still sending the camera (${camera})`);
    const frames = (await connectionInfo(counsellor)).framesDecoded;
    await waitFor(counsellor, (info) => info.framesDecoded > frames + 5, 'frames while sharing');
    await shot(counsellor, 'screen-share-received');
    await shot(client, 'screen-share-sending');
    await client.frame.locator('#toggle-screen').click();
    await counsellor.frame.locator('#remote-tile[data-screen=off]').waitFor({ timeout: 10_000 });
    assert(await sentTrackLabel(client) === camera, 'did not switch back to the camera');
    const after = (await connectionInfo(counsellor)).framesDecoded;
    await waitFor(counsellor, (info) => info.framesDecoded > after + 5, 'camera frames again');
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('background blur and an own background run in the browser from the bridge-served model', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  const requests = [];
  client.page.on('request', (request) => requests.push(request.url()));
  try {
    await client.frame.locator('#open-settings').click();
    await client.frame.locator('input[name=background][value=blur]').check();
    await client.frame.locator('[data-notice=backgroundLoading]').waitFor({ state: 'detached', timeout: 30_000 });
    const failed = await client.frame.locator('[data-notice=backgroundFailed]').count();
    assert(failed === 0, 'the background effect failed to start');
    await client.frame.locator('#settings button[value=close]').click();
    const frames = (await connectionInfo(counsellor)).framesDecoded;
    await waitFor(counsellor, (info) => info.framesDecoded > frames + 10, 'frames with blur on');
    await shot(counsellor, 'blur-received');
    // An own picture as background: read in the browser, never uploaded.
    const picture = await counsellor.page.screenshot();
    await client.frame.locator('#background-file').setInputFiles({ name: 'achtergrond.png', mimeType: 'image/png', buffer: picture });
    await client.frame.locator('[data-notice=backgroundLoading]').waitFor({ state: 'detached', timeout: 30_000 });
    assert(await client.frame.locator('[data-notice=backgroundFailed]').count() === 0, 'own background failed');
    const withImage = (await connectionInfo(counsellor)).framesDecoded;
    await waitFor(counsellor, (info) => info.framesDecoded > withImage + 5, 'frames with own background');
    const uploads = requests.filter((url) => url.startsWith(env.hs) && !url.includes('/sync') && !url.includes('/send/')
      && !url.includes('/voip/'));
    assert(uploads.length === 0, `unexpected homeserver requests: ${uploads.join(', ')}`);
    const model = requests.filter((url) => url.includes('/mediapipe/'));
    assert(model.some((url) => url.endsWith('.tflite')), `model not loaded: ${model.join(', ')}`);
    const foreign = requests.filter((url) => !url.startsWith(env.bridgeUrl) && !url.startsWith(env.hostOrigin)
      && !url.startsWith(env.hs) && !url.startsWith('blob:') && !url.startsWith('data:'));
    assert(foreign.length === 0, `fetched from elsewhere: ${foreign.join(', ')}`);
    await shot(client, 'own-background-client');
    await shot(counsellor, 'own-background-received');
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('microphone and camera switch off and on, and the other side sees it', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  try {
    await client.frame.locator('#toggle-mic').click();
    await counsellor.frame.locator('#remote-muted:not([hidden])').waitFor({ timeout: 10_000 });
    await client.frame.locator('#toggle-camera').click();
    await counsellor.frame.locator('#remote-tile[data-camera=off]').waitFor({ timeout: 10_000 });
    const off = await client.widgetFrame().evaluate(() => {
      const track = document.getElementById('local-video').srcObject.getVideoTracks()[0];
      return { videoEnabled: track.enabled, pressed: document.getElementById('toggle-mic').getAttribute('aria-pressed') };
    });
    assert(off.videoEnabled === false && off.pressed === 'true', JSON.stringify(off));
    await shot(counsellor, 'client-camera-and-mic-off');
    await client.frame.locator('#toggle-camera').click();
    await client.frame.locator('#toggle-mic').click();
    await counsellor.frame.locator('#remote-tile[data-camera=on]').waitFor({ timeout: 10_000 });
    await counsellor.frame.locator('#remote-muted[hidden]').waitFor({ state: 'attached', timeout: 10_000 });
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('after a reload the client joins again and the call resumes', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env);
  try {
    await client.page.reload();
    await client.page.waitForFunction(() => window.widgetReady === true, null, { timeout: 15_000 });
    await client.frame.locator('#join:not([disabled])').waitFor({ timeout: 15_000 });
    await join(client);
    await waitFor(client, (info) => info.state === 'connected' && info.framesDecoded > 0, 'connected again');
    // The counsellor answered the new session on a new connection, whose counters start at 0.
    const frames = (await connectionInfo(counsellor)).framesDecoded;
    await waitFor(counsellor, (info) => info.state === 'connected' && info.framesDecoded > frames + 10,
      'counsellor receiving the new session');
    assert((await connectionInfo(counsellor)).screen === 'call', 'the counsellor left the call');
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('a relay-only call goes through the homeserver TURN server', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env, { widgetExtra: '&relayOnly=true' });
  try {
    const info = await waitFor(counsellor, (i) => i.path === 'relayed', 'a relayed path');
    assert(info.path === 'relayed', info.path);
    const turn = await counsellor.page.evaluate(() => window.turnServers);
    assert(turn?.[0]?.startsWith('turn:127.0.0.2:'), `TURN from the homeserver: ${turn}`);
    await shot(counsellor, 'relayed-counsellor');
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('hanging up ends the call on both sides', async (browser, env) => {
  const { counsellor, client } = await connectPair(browser, env, { viewport: { width: 390, height: 760 } });
  try {
    await shot(client, 'phone-client');
    await counsellor.frame.locator('#hang-up').click();
    await counsellor.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
    await client.frame.locator('#screen-ended:not([hidden])').waitFor({ timeout: 10_000 });
    const text = await client.frame.locator('#ended-text').textContent();
    assert(text.includes(env.users.counsellor.name), `client sees: ${text}`);
    const liveTracks = await client.widgetFrame().evaluate(
      () => [...document.querySelectorAll('video')].filter((v) => v.srcObject?.getTracks().some((t) => t.readyState === 'live')).length);
    assert(liveTracks === 0, `${liveTracks} videos still show live tracks after hang-up`);
    await shot(client, 'ended-client');
  } finally {
    await Promise.all([counsellor.close(), client.close()]);
  }
});

test('the start screen says the call is not recorded, in Dutch with an English switch', async (browser, env) => {
  const client = await openParticipant(browser, env, 'client');
  try {
    const dutch = await client.frame.locator('#screen-start').textContent();
    assert(dutch.includes('niet opgenomen'), dutch);
    await shot(client, 'start-nl');
    await client.frame.locator('#language').click();
    const english = await client.frame.locator('#screen-start').textContent();
    assert(english.includes('not recorded'), english);
    await shot(client, 'start-en');
  } finally {
    await client.close();
  }
});

negotiationTests(test, { shot });
groupTests(test, { shot });

/** The label of the video track the widget sends now (its own preview shows the same track). */
async function sentTrackLabel(participant) {
  return participant.widgetFrame().evaluate(
    () => document.getElementById('local-video').srcObject?.getVideoTracks()[0]?.label ?? null);
}

const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const env = await startEnvironment();
let browser = null;
let passed = 0;
let failed = 0;
try {
  browser = await launchBrowser();
  for (const { name, fn } of tests.filter((t) => !only || only.test(t.name))) {
    const started = Date.now();
    try {
      await fn(browser, env);
      passed += 1;
      console.log(`✓ ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`✗ ${name}\n    ${error.stack}`);
    }
  }
} finally {
  await browser?.close();
  if (failed > 0) {
    await env.dumpSignals(`${SHOTS}signals.txt`);
  }
  await env.stop();
}
console.log(`call-widget: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
