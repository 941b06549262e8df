// The real things a browser test needs, started on loopback with this test's own names and ports
// (never the demo's 8008/8448/29331): Synapse with TURN credentials, coturn, the bridge serving the
// widget, three accounts in one room, and a static server for the test host page.
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  COTURN, JAR, REPO, SYNAPSE, keyValues, matrix, run, startBridge, startCleanly,
} from '../../../web-common/test/browser-environment.js';

const WIDGET_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** Overridable so two runs on one machine do not collide. */
export const SETTINGS = {
  name: process.env.CALLW_NAME ?? 'callw',
  clientPort: Number(process.env.CALLW_CLIENT_PORT ?? 18208),
  federationPort: Number(process.env.CALLW_FEDERATION_PORT ?? 18648),
  turnPort: Number(process.env.CALLW_TURN_PORT ?? 13478),
  relayPorts: [Number(process.env.CALLW_RELAY_MIN ?? 49300), Number(process.env.CALLW_RELAY_MAX ?? 49379)],
  // A second TURN server with a narrow line (coturn's max-bps), for the bandwidth test.
  narrowTurnPort: Number(process.env.CALLW_NARROW_TURN_PORT ?? 13479),
  narrowRelayPorts: [Number(process.env.CALLW_NARROW_RELAY_MIN ?? 49380), Number(process.env.CALLW_NARROW_RELAY_MAX ?? 49399)],
  bridgePort: Number(process.env.CALLW_BRIDGE_PORT ?? 29358),
  hostPort: Number(process.env.CALLW_HOST_PORT ?? 18218),
};

const log = (message) => process.stderr.write(`[call-widget test] ${message}\n`);

/** Starts everything for the widget's tests. */
export function startEnvironment() {
  return startCleanly(startAll);
}

async function startAll(cleanups) {
  const s = SETTINGS;
  const work = join(WIDGET_DIR, 'target/browser-test');
  mkdirSync(work, { recursive: true });
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build first (mvn -DskipTests package -pl bridge -am)`);
  }
  const hs = `http://127.0.0.2:${s.clientPort}`;
  const bridgeUrl = `http://127.0.0.1:${s.bridgePort}`;
  const hostOrigin = `http://127.0.0.1:${s.hostPort}`;

  const config = join(work, 'bridge.yaml');
  // Written fresh every run (new tokens; synapse.sh re-copies the registration on start), so the
  // config always has every section the bridge needs.
  writeFileSync(config, [
    'homeserver:', `  address: ${hs}`, '  domain: caw.test',
    'appservice:', '  hostname: 127.0.0.1', `  port: ${s.bridgePort}`,
    'database:', '  type: sqlite', `  uri: ${join(work, 'bridge.db')}`,
    'rooms:', `  policy_dir: ${join(REPO, 'policy/policies')}`,
    'metrics:', '  port: 0',
    'ledger:', `  key_file: ${join(work, 'ledger-key.json')}`, `  consent_dir: ${join(REPO, 'policy/consent')}`,
    'widget:', `  client_origins: "${hostOrigin}"`, '',
  ].join('\n'));
  const registration = join(work, 'registration.yaml');
  run('java', ['-jar', JAR, '--config', config, 'generate-registration', '--registration', registration]);

  log(`Synapse ${s.name}/caw on ${hs} with TURN on 127.0.0.2:${s.turnPort}`);
  cleanups.push(() => run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']));
  run(SYNAPSE, ['start', '--name', s.name, '--org', 'caw', '--registration', registration,
    '--client-port', String(s.clientPort), '--federation-port', String(s.federationPort),
    '--turn-port', String(s.turnPort)]);
  const paths = keyValues(run(SYNAPSE, ['paths', '--name', s.name, '--org', 'caw']));
  const turn = {
    start: () => run(COTURN, ['start', '--name', s.name, '--org', 'caw', '--secret-file', paths.turn_secret_file,
      '--port', String(s.turnPort), '--min-port', String(s.relayPorts[0]), '--max-port', String(s.relayPorts[1])]),
    stop: () => run(COTURN, ['stop', '--name', s.name, '--org', 'caw']),
  };
  // The narrow line signs with the same secret, so Synapse's credentials work on it too.
  const narrowTurn = {
    uri: `turn:127.0.0.2:${s.narrowTurnPort}?transport=udp`,
    start: (bytesPerSecond) => run(COTURN, ['start', '--name', `${s.name}-narrow`, '--org', 'caw',
      '--secret-file', paths.turn_secret_file, '--port', String(s.narrowTurnPort),
      '--min-port', String(s.narrowRelayPorts[0]), '--max-port', String(s.narrowRelayPorts[1]),
      '--max-bps', String(bytesPerSecond)]),
    stop: () => run(COTURN, ['stop', '--name', `${s.name}-narrow`, '--org', 'caw']),
  };
  cleanups.push(turn.stop, narrowTurn.stop);
  turn.start();

  const bridge = await startBridge(config, join(work, 'bridge.log'), cleanups);
  const hostServer = await serveHostPage(join(WIDGET_DIR, 'target/test-host'), s.hostPort);
  cleanups.push(() => hostServer.close());

  const users = {};
  for (const [localpart, name] of [['counsellor', 'Hulpverlener An'], ['client', 'Cliënt Bram'], ['stranger', 'Derde Persoon'],
    ['parent', 'Ouder Els']]) {
    run(SYNAPSE, ['register', '--name', s.name, '--org', 'caw', '--user', localpart, '--password', `${localpart}-pw-callw`]);
    const login = await matrix(hs, 'POST', '/login', null, {
      type: 'm.login.password', identifier: { type: 'm.id.user', user: localpart }, password: `${localpart}-pw-callw`,
    });
    users[localpart] = { userId: login.user_id, token: login.access_token, name };
  }
  const { room_id: roomId } = await matrix(hs, 'POST', '/createRoom', users.counsellor.token, {
    preset: 'private_chat', name: 'Gesprek (browser test)',
    invite: [users.client.userId, users.stranger.userId, users.parent.userId],
  });
  for (const who of ['client', 'stranger', 'parent']) {
    await matrix(hs, 'POST', `/join/${encodeURIComponent(roomId)}`, users[who].token, {});
  }

  return {
    hs,
    turn,
    narrowTurn,
    bridgeUrl,
    hostOrigin,
    roomId,
    users,
    // The URL the bridge puts into rooms (CallWidgetState.widgetUrl; CallWidgetStateTest pins it).
    widgetUrl: (extra = '') => `${bridgeUrl}/widget/call/?roomId=$matrix_room_id&userId=$matrix_user_id`
      + `&displayName=$matrix_display_name&lang=$org.matrix.msc2873.client_language${extra}`,
    /** Writes the room's signal events (kind, sender, parties; no SDP) to `file`, for debugging. */
    async dumpSignals(file) {
      const room = encodeURIComponent(roomId);
      const { chunk } = await matrix(hs, 'GET', `/rooms/${room}/messages?dir=f&limit=1000`, users.counsellor.token);
      const lines = chunk.filter((e) => e.type === 'be.praatbrug.call.signal').map((e) =>
        `${new Date(e.origin_server_ts).toISOString()} ${e.sender} ${e.content.kind} ${e.content.party} -> ${e.content.to ?? '*'}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
    },
    async stop() {
      hostServer.close();
      bridge.kill('SIGTERM');
      await new Promise((resolve) => bridge.once('exit', resolve));
      narrowTurn.stop();
      turn.stop();
      run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']);
    },
  };
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

function serveHostPage(root, port) {
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
