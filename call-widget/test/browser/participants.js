// Opens people in the call: each is a separate browser context (own storage, own fake camera)
// with the test host page, which loads the widget from the bridge in an iframe.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-background-networking', '--disable-component-update',
  // The fake screen for getDisplayMedia, chosen without a picker.
  '--auto-select-desktop-capture-source=Entire screen',
  // WebGL for the segmentation model on a machine without a GPU.
  '--enable-unsafe-swiftshader',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function openParticipant(browser, env, who, { widgetExtra = '', viewport = { width: 900, height: 640 } } = {}) {
  const user = env.users[who];
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (error) => process.stderr.write(`[${who}] page error: ${error.message}\n`));
  const query = new URLSearchParams({
    hs: env.hs, token: user.token, room: env.roomId, user: user.userId, name: user.name,
    widget: env.widgetUrl(widgetExtra), lang: 'nl-BE',
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
