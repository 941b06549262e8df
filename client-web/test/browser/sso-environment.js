// The real things the staff sign-in tests need, with this suite's own names and ports: Keycloak
// (realm caw: a counsellor and an admin, each with a password and a seeded one-time-code secret),
// Synapse for caw.test signing staff in only through Keycloak (OpenID Connect, back-channel
// logout, no passwords), and the bridge serving the counsellor and admin pages.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  JAR, KEYCLOAK, REPO, SYNAPSE, keyValues, matrix, run, startBridge, startCleanly,
} from '../../../web-common/test/browser-environment.js';

const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));

export const SETTINGS = {
  name: process.env.SSO_NAME ?? 'sso',
  keycloakPort: Number(process.env.SSO_KEYCLOAK_PORT ?? 18780),
  clientPort: Number(process.env.SSO_CLIENT_PORT ?? 18958),
  federationPort: Number(process.env.SSO_FEDERATION_PORT ?? 18998),
  bridgePort: Number(process.env.SSO_BRIDGE_PORT ?? 29398),
};

/** The seeded one-time-code secrets (Keycloak keeps them as text; the HMAC key is its bytes). */
export const STAFF = {
  counsellor: { localpart: 'counsellor', userId: '@counsellor:caw.test', password: 'An-wachtwoord-1', otpSecret: 'counsellor-otp-secret-caw' },
  admin: { localpart: 'admin', userId: '@admin:caw.test', password: 'Admin-wachtwoord-1', otpSecret: 'admin-otp-secret-caw' },
};

const log = (message) => process.stderr.write(`[sso test] ${message}\n`);

export function startEnvironment() {
  return startCleanly(startAll);
}

async function startAll(cleanups) {
  const s = SETTINGS;
  const work = join(WEB_DIR, 'target/sso-test');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const hs = `http://127.0.0.2:${s.clientPort}`;
  const bridgeUrl = `http://127.0.0.1:${s.bridgePort}`;
  const timings = {};

  let started = Date.now();
  cleanups.push(() => run(KEYCLOAK, ['stop', '--name', s.name]));
  const keycloak = keyValues(run(KEYCLOAK, ['start', '--name', s.name, '--port', String(s.keycloakPort)]));
  timings.keycloakStartMs = Date.now() - started;
  const clientSecret = 'sso-test-client-secret';
  const realm = keyValues(run(KEYCLOAK, ['realm', '--name', s.name, '--org', 'caw', '--synapse', hs,
    '--client-secret', clientSecret,
    ...Object.values(STAFF).flatMap((u) => ['--user', `${u.localpart}:${u.password}:${u.otpSecret}`])]));
  log(`Keycloak ${s.name} at ${keycloak.url} (${timings.keycloakStartMs} ms), issuer ${realm.issuer}`);

  const config = join(work, 'bridge.yaml');
  writeFileSync(config, [
    'homeserver:', `  address: ${hs}`, '  domain: caw.test',
    'appservice:', '  hostname: 127.0.0.1', `  port: ${s.bridgePort}`,
    'database:', '  type: sqlite', `  uri: ${join(work, 'bridge.db')}`,
    'rooms:', `  policy_dir: ${join(REPO, 'policy/policies')}`, '  default_policy: caw',
    `  public_base_url: ${bridgeUrl}`,
    'metrics:', '  port: 0',
    // Debug: an event the bridge ignores is named with its reason (no content), so a command that
    // was never answered can be traced in target/sso-test/bridge.log.
    'logging:', '  level: debug',
    'ledger:', `  key_file: ${join(work, 'ledger-key.json')}`, `  consent_dir: ${join(REPO, 'policy/consent')}`,
    'admin:', `  users: "${STAFF.admin.userId}"`,
    // Disabled staff lose their Matrix access: the bridge asks Keycloak every few seconds.
    'staff_directory:', `  issuer: ${realm.issuer}`, `  client_id: ${realm.bridge_client}`,
    `  client_secret: ${realm.bridge_secret}`, '  poll_seconds: 5', '',
  ].join('\n'));
  const registration = join(work, 'registration.yaml');
  run('java', ['-jar', JAR, '--config', config, 'generate-registration', '--registration', registration]);
  const asToken = /as_token:\s*"?([^"\n]+)"?/.exec(readFileSync(registration, 'utf8'))[1];

  run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']);
  const paths = keyValues(run(SYNAPSE, ['paths', '--name', s.name, '--org', 'caw']));
  if (paths.instance_dir) {
    rmSync(paths.instance_dir, { recursive: true, force: true });
  }
  cleanups.push(() => run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']));
  run(SYNAPSE, ['start', '--name', s.name, '--org', 'caw', '--registration', registration,
    '--client-port', String(s.clientPort), '--federation-port', String(s.federationPort),
    '--oidc-issuer', realm.issuer, '--oidc-client-secret', clientSecret,
    '--sso-redirect-allow', `${bridgeUrl}/`]);
  log(`Synapse ${s.name}/caw on ${hs}, staff through ${realm.issuer}`);
  // Staff accounts exist before their first sign-in (the organisation made them); the
  // registration secret needs no password sign-in. The bot is a server admin.
  for (const user of Object.values(STAFF)) {
    run(SYNAPSE, ['register', '--name', s.name, '--org', 'caw', '--user', user.localpart,
      '--password', `unused-${user.localpart}-${Date.now()}`, ...(user === STAFF.admin ? ['--admin'] : [])]);
  }
  await matrix(hs, 'POST', '/register', asToken, { type: 'm.login.application_service', username: 'praatbrug', inhibit_login: true });
  run(SYNAPSE, ['make-admin', '--name', s.name, '--org', 'caw', '--user', '@praatbrug:caw.test']);

  const logFile = join(work, 'bridge.log');
  const bridge = await startBridge(config, logFile, cleanups);
  const adminPassword = readFileSync(keycloak.admin_password_file, 'utf8').trim();

  /** Keycloak's admin API as the instance's set-up admin. */
  const keycloakAdmin = async (method, path, body) => {
    const tokenResponse = await fetch(`${keycloak.url}/realms/master/protocol/openid-connect/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'praatbrug-setup', password: adminPassword }),
    });
    const { access_token: token } = await tokenResponse.json();
    const response = await fetch(`${keycloak.url}/admin/realms/caw${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error(`Keycloak ${method} ${path}: ${response.status} ${await response.text()}`);
    }
    return response.status === 204 ? null : response.json().catch(() => null);
  };

  return {
    hs, bridgeUrl, asToken, keycloakUrl: keycloak.url, issuer: realm.issuer, timings, keycloakAdmin,
    bridgeLog: () => readFileSync(logFile, 'utf8'),
    /** A token of the admin's account made through the admin API (the bot is a server admin). */
    async adminMatrixToken() {
      const login = await matrix(hs, 'POST', `/_synapse/admin/v1/users/${encodeURIComponent(STAFF.admin.userId)}/login`, asToken, {});
      return login.access_token;
    },
    stopKeycloak() {
      run(KEYCLOAK, ['stop', '--name', s.name]);
    },
    async stop() {
      if (bridge.exitCode === null) {
        bridge.kill('SIGTERM');
        await new Promise((resolve) => bridge.once('exit', resolve));
      }
      run(SYNAPSE, ['stop', '--name', s.name, '--org', 'caw']);
      run(KEYCLOAK, ['stop', '--name', s.name]);
    },
  };
}
