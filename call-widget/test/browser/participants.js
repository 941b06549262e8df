// Opens people in the call: each is a separate browser context (own storage, own fake camera)
// with the test host page, which loads the widget from the bridge in an iframe.
import { launchChromium } from '../../../web-common/test/browser-environment.js';

/** Beside the shared arguments: a screen to share and WebGL without a GPU. */
const EXTRA_ARGS = [
  // The fake screen for getDisplayMedia, chosen without a picker.
  '--auto-select-desktop-capture-source=Entire screen',
  // WebGL for the segmentation model on a machine without a GPU.
  '--enable-unsafe-swiftshader',
];

export function launchBrowser() {
  return launchChromium(EXTRA_ARGS);
}

/**
 * @param {object} options
 * @param {string} options.widgetExtra added to the widget URL (e.g. `&relayOnly=true`)
 * @param {object} options.host the test host's delivery: `{echo: 'local', jitter: ms}` like
 *     matrix-js-sdk, `{turn: uri}` to hand the widget another TURN server
 */
export async function openParticipant(browser, env, who, { widgetExtra = '', viewport = { width: 900, height: 640 }, host = {} } = {}) {
  const user = env.users[who];
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[${who}] page error: ${error.message}\n`));
  const query = new URLSearchParams({
    hs: env.hs, token: user.token, room: env.roomId, user: user.userId, name: user.name,
    widget: env.widgetUrl(widgetExtra), lang: 'nl-BE', ...host,
  });
  await page.goto(`${env.hostOrigin}/?${query}`);
  await page.waitForFunction(() => window.widgetReady === true, null, { timeout: 15_000 });
  const frame = page.frameLocator('iframe');
  await frame.locator('#join:not([disabled])').waitFor({ timeout: 15_000 });
  const widgetFrame = () => page.frames().find((f) => f !== page.mainFrame());
  return { who, context, page, frame, widgetFrame, close: () => context.close() };
}

/** The widget's own connection details, as its settings panel shows them. */
export async function connectionInfo(participant) {
  return participant.widgetFrame().evaluate(() => {
    const info = document.getElementById('connection-info');
    return {
      framesDecoded: Number(info.dataset.framesDecoded ?? 0),
      path: info.dataset.path,
      setupMs: info.dataset.setupMs === undefined ? null : Number(info.dataset.setupMs),
      state: document.getElementById('status').dataset.state,
      screen: document.body.dataset.screen,
      quality: info.dataset.quality,
      sendScale: Number(info.dataset.sendScale ?? 1),
      sentWidth: Number(info.dataset.sentWidth ?? 0),
      availableOutgoing: Number(info.dataset.availableOutgoing ?? 0),
      sharpened: info.dataset.sharpened === 'true',
      limitedBy: info.dataset.limitedBy,
      freezes: Number(info.dataset.freezes ?? 0),
      gone: document.getElementById('gone')?.hidden === false,
      weakShown: document.getElementById('quality')?.hidden === false,
    };
  });
}

export async function waitFor(participant, predicate, what, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await connectionInfo(participant);
    if (predicate(last)) {
      return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${participant.who}: ${what} not reached in ${timeout} ms; last ${JSON.stringify(last)}`);
}

export function assert(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

export async function join(participant) {
  await participant.frame.locator('#join').click();
}

/** Both in the call, connected, video flowing both ways. */
export async function connectPair(browser, env, options = {}) {
  const counsellor = await openParticipant(browser, env, 'counsellor', options);
  const client = await openParticipant(browser, env, 'client', options);
  try {
    await join(counsellor);
    await join(client);
    await bothConnected([counsellor, client]);
    return { counsellor, client };
  } catch (error) {
    // A page left open would still be in the call and refuse the next test's people.
    await Promise.all([counsellor.close(), client.close()]);
    throw error;
  }
}

/** Waits until each side is connected and has decoded video from the other; resolves with the ms taken. */
export async function bothConnected(sides, timeout = 15_000) {
  const started = Date.now();
  for (const side of sides) {
    await waitFor(side, (info) => info.state === 'connected' && info.framesDecoded > 0, 'connected with video',
      Math.max(1000, timeout - (Date.now() - started)));
  }
  return Date.now() - started;
}

/**
 * Presses a button in several widgets at planned moments (`offsets` in ms from a shared start,
 * 0 for all: the same millisecond), by timers inside the pages, so no test-side round trip
 * separates the presses.
 */
export async function pressAt(sides, button, offsets = sides.map(() => 0)) {
  const at = Date.now() + 250;
  await Promise.all(sides.map((side, i) => side.widgetFrame().evaluate(([id, when]) => {
    setTimeout(() => document.getElementById(id).click(), Math.max(0, when - Date.now()));
  }, [button, at + offsets[i]])));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, at + Math.max(...offsets) - Date.now() + 20)));
}
