// The real things the client page's browser test needs, on loopback with this test's own names and
// ports (never the demo's): Synapse for caw.test, coturn, and the bridge serving the page, with the
// bot a server admin (guest accounts end through the admin API). Policies: the shipped caw policy
// plus "kort", the same with 20-second codes, to see a link expire.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// Starting commands and the bridge: the web front-ends' shared browser-test environment.
import {
  COTURN, JAR, REPO, SYNAPSE, keyValues, matrix, run, startBridge, startCleanly,
} from '../../../web-common/test/browser-environment.js';

const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const SETTINGS = {
  name: process.env.ENTRY_NAME ?? 'entry',
  clientPort: Number(process.env.ENTRY_CLIENT_PORT ?? 18808),
  federationPort: Number(process.env.ENTRY_FEDERATION_PORT ?? 18848),
  turnPort: Number(process.env.ENTRY_TURN_PORT ?? 13578),
  relayPorts: [Number(process.env.ENTRY_RELAY_MIN ?? 49400), Number(process.env.ENTRY_RELAY_MAX ?? 49439)],
  bridgePort: Number(process.env.ENTRY_BRIDGE_PORT ?? 29368),
};

const log = (message) => process.stderr.write(`[client-web test] ${message}\n`);

export { matrix };

export function startEnvironment() {
  return startCleanly(startAll);
}

async function startAll(cleanups) {
  const s = SETTINGS;
  const work = join(WEB_DIR, 'target/browser-test');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'policies'), { recursive: true });
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build first (mvn -DskipTests package -pl bridge -am)`);
  }
  const policy = readFileSync(join(REPO, 'policy/policies/caw.yaml'), 'utf8');
  copyFileSync(join(REPO, 'policy/policies/caw.yaml'), join(work, 'policies/caw.yaml'));
  copyFileSync(join(REPO, 'policy/policies/gezin.yaml'), join(work, 'policies/gezin.yaml'));
  // The door (#27) is the default policy's alone.
  writeFileSync(join(work, 'policies/kort.yaml'), policy.replace(/lifetime: 24h/, 'lifetime: 20s')
    .replace(/\ndoor:\n(?:[ #].*\n|\n)*/, '\n'));

  const hs = `http://127.0.0.2:${s.clientPort}`;
  const bridgeUrl = `http://127.0.0.1:${s.bridgePort}`;
  const config = join(work, 'bridge.yaml');
  writeFileSync(config, [
    'homeserver:', `  address: ${hs}`, '  domain: caw.test',
    'appservice:', '  hostname: 127.0.0.1', `  port: ${s.bridgePort}`,
    'database:', '  type: sqlite', `  uri: ${join(work, 'bridge.db')}`,
    'rooms:', `  policy_dir: ${join(work, 'policies')}`, '  default_policy: caw',
    `  public_base_url: ${bridgeUrl}`, '  reconcile_interval_seconds: 5',
    'metrics:', '  port: 0',
    'ledger:', `  key_file: ${join(work, 'ledger-key.json')}`, `  consent_dir: ${join(REPO, 'policy/consent')}`,
    // Behind a "proxy" (the tests' X-Forwarded-For), so each phone of the records tests has an
    // address of its own, as real phones do; everything else comes from 127.0.0.1 itself.
    'entry:', '  max_attempts: 6', '  trusted_proxies: 127.0.0.1',
    // The quick exit's neutral site: the tests answer it themselves (nothing leaves loopback).
    '  exit_url: https://weer.example/',
    // The door tests change the door's hours and places through the admin API.
    'admin:', '  users: "@beheerder:caw.test"', '',
  ].join('\n'));
  const registration = join(work, 'registration.yaml');
  run('java', ['-jar', JAR, '--config', config, 'generate-registration', '--registration', registration]);
  const asToken = /as_token:\s*"?([^"\n]+)"?/.exec(readFileSync(registration, 'utf8'))[1];

  // A fresh homeserver each run: the test counts guest accounts and room events.
  run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']);
  const paths = keyValues(run(SYNAPSE, ['paths', '--name', s.name, '--org', 'caw']));
  if (paths.instance_dir) {
    rmSync(paths.instance_dir, { recursive: true, force: true });
  }
  log(`Synapse ${s.name}/caw on ${hs}`);
  cleanups.push(() => run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']));
  run(SYNAPSE, ['start', '--name', s.name, '--org', 'caw', '--registration', registration,
    '--client-port', String(s.clientPort), '--federation-port', String(s.federationPort),
    '--turn-port', String(s.turnPort)]);
  cleanups.push(() => run(COTURN, ['stop', '--name', s.name, '--org', 'caw']));
  run(COTURN, ['start', '--name', s.name, '--org', 'caw', '--secret-file', paths.turn_secret_file,
    '--port', String(s.turnPort), '--min-port', String(s.relayPorts[0]), '--max-port', String(s.relayPorts[1])]);
  // The bot must be a server admin before the bridge starts (deactivating guests needs it).
  await matrix(hs, 'POST', '/register', asToken, { type: 'm.login.application_service', username: 'praatbrug', inhibit_login: true });
  run(SYNAPSE, ['make-admin', '--name', s.name, '--org', 'caw', '--user', '@praatbrug:caw.test']);

  const logFiles = [join(work, 'bridge.log')];
  let bridge = await startBridge(config, logFiles[0], cleanups);
  const stopBridge = async () => {
    if (bridge.exitCode === null) {
      bridge.kill('SIGTERM');
      await new Promise((resolve) => bridge.once('exit', resolve));
    }
  };

  /** A user of caw.test with one logged-in device. */
  const register = async (localpart, deviceId) => {
    run(SYNAPSE, ['register', '--name', s.name, '--org', 'caw', '--user', localpart, '--password', `${localpart}-pw-entry`]);
    const login = await matrix(hs, 'POST', '/login', null, {
      type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password: `${localpart}-pw-entry`,
      device_id: deviceId,
    });
    return { userId: login.user_id, token: login.access_token, deviceId: login.device_id, password: `${localpart}-pw-entry` };
  };
  const users = { counsellor: await register('counsellor', 'COUNSELLOR') };
  await matrix(hs, 'PUT', `/profile/${encodeURIComponent(users.counsellor.userId)}/displayname`, users.counsellor.token,
    { displayname: 'Hulpverlener An' });

  return {
    hs, bridgeUrl, users, asToken, logFile: logFiles[0],
    bridgeLog: () => logFiles.map((file) => readFileSync(file, 'utf8')).join('\n'),
    stopBridge,
    register,
    /** The bridge's `ledger` command on this test's store and key (beside the running bridge). */
    ledger(...args) {
      return run('java', ['-jar', JAR, '--config', config, 'ledger', ...args]);
    },
    /** The bridge again on the same database, logging to a file of its own. */
    async startBridgeAgain() {
      logFiles.push(join(work, `bridge-restarted-${logFiles.length}.log`));
      bridge = await startBridge(config, logFiles.at(-1), cleanups);
    },
    async stop() {
      await stopBridge();
      run(COTURN, ['stop', '--name', s.name, '--org', 'caw']);
      run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']);
    },
  };
}

