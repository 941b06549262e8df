// What every browser test of Praatbrug's web pages shares (the call widget's, the client and
// counsellor page's, the admin page's): Debian's Chromium through playwright-core (installed in
// web-common/node_modules; no browser download, ever), and the helpers that run commands, call a
// homeserver and start the bridge jar. Each test keeps its own environment (homeserver instance
// name, ports, accounts); only the mechanism is here.
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The repository, and what the tests start from it. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const JAR = join(REPO, 'bridge/target/praatbrug-bridge.jar');
export const SYNAPSE = join(REPO, 'homeserver-config/synapse.sh');
export const COTURN = join(REPO, 'homeserver-config/coturn.sh');
export const KEYCLOAK = join(REPO, 'homeserver-config/keycloak.sh');

/** Debian's Chromium (apt install chromium); CHROMIUM names another. */
export const CHROMIUM_PATH = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless, with a fake camera and microphone that need no permission prompt, WebRTC over
 * loopback, and no traffic of the browser's own (updates, safe browsing) leaving the machine.
 */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-background-networking', '--disable-component-update',
];

/** Starts Chromium with {@link CHROMIUM_ARGS} and a test's `extraArgs`. */
export function launchChromium(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Runs a command and returns its output; its errors go to this process's stderr. */
export function run(command, args) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** `key=value` lines (the output of synapse.sh paths) as an object. */
export function keyValues(text) {
  return Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

/**
 * One client-server API call (paths starting with `/_` are taken as they are, e.g. the admin API);
 * throws with the status, errcode and answer on failure. The bridge's own APIs (`/_praatbrug/...`)
 * are called the same way, with the bridge's address for `hs`.
 */
export async function matrix(hs, method, path, token, body) {
  const response = await fetch(`${hs}${path.startsWith('/_') ? '' : '/_matrix/client/v3'}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
    error.status = response.status;
    error.errcode = json.errcode;
    error.body = json;
    throw error;
  }
  return json;
}

/**
 * Runs `startAll(cleanups)`; if a step fails, runs the cleanups it registered (last first), so the
 * next run starts clean.
 */
export async function startCleanly(startAll) {
  const cleanups = [];
  try {
    return await startAll(cleanups);
  } catch (error) {
    for (const cleanup of cleanups.reverse()) {
      await Promise.resolve().then(cleanup).catch(() => {});
    }
    throw error;
  }
}

/** Starts the bridge jar with `config` and resolves once it says it is ready. */
export async function startBridge(config, logFile, cleanups) {
  const out = openSync(logFile, 'w');
  const bridge = spawn('java', ['-jar', JAR, '--config', config, 'run'], { stdio: ['ignore', out, out] });
  cleanups.push(() => bridge.kill('SIGTERM'));
  // A loaded CI machine can take a while (the bot's encryption device starts too).
  const deadline = Date.now() + 90_000;
  while (!readFileSync(logFile, 'utf8').includes('Praatbrug ready')) {
    if (bridge.exitCode !== null || Date.now() > deadline) {
      throw new Error(`the bridge did not start; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return bridge;
}
