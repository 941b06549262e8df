// Praatbrug admin page: plain JavaScript, no libraries. Signs in with the admin's own Matrix account
// (password or access token go to the homeserver only, never to the bridge, and are not kept), then
// uses the bridge's admin API (/_praatbrug/admin/v1, see admin-openapi.yaml) with a short-lived
// bridge session token that lives in this page's memory only.

import { TEXT } from './texts.js';
// web-common/i18n.js at the top of the repository, copied here by the build (bridge/pom.xml).
import { applyTranslations, createTranslate } from './web-common/i18n.js';

const $ = (id) => document.getElementById(id);
const state = { lang: localStorage.getItem('praatbrug-admin-lang') === 'en' ? 'en' : 'nl', token: null, config: null, policy: null };

// A placeholder without a value (a field the server left out) stays empty on this page.
const translate = createTranslate(TEXT, { missingValue: '' });

function t(key, values = {}) {
  return translate(state.lang, key, values);
}

function applyLanguage() {
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'nl-BE';
  applyTranslations(document, translate, state.lang);
  const other = state.lang === 'en' ? 'nl' : 'en';
  $('lang').textContent = other === 'en' ? 'English' : 'Nederlands';
  $('lang').lang = other === 'en' ? 'en' : 'nl-BE';
  $('lang').setAttribute('aria-label', other === 'en' ? 'Switch to English' : 'Schakel naar Nederlands');
  document.title = t('title');
}

function announce(message) {
  $('announce').textContent = message;
}

async function homeserver(method, path, token, body) {
  const response = await fetch(`${state.config.homeserver}/_matrix/client/v3${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(json.error ?? `${response.status}`);
  }
  return json;
}

/** Calls the admin API; returns {status, json, response}. A lost session sends the admin back to sign-in. */
async function api(method, path, body, headers = {}) {
  const response = await fetch(`${state.config.api}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(state.token ? { Authorization: `Bearer ${state.token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && state.token) {
    signedOut(t('sessionExpired'));
    throw new Error(t('sessionExpired'));
  }
  const type = response.headers.get('Content-Type') ?? '';
  const json = type.includes('json') && !response.headers.get('Content-Disposition') ? await response.json() : null;
  return { status: response.status, json, response };
}

async function signIn(event) {
  event.preventDefault();
  $('signin-error').textContent = '';
  const user = $('user').value.trim();
  const password = $('password').value;
  const accessToken = $('access-token').value.trim();
  if (!user || (!password && !accessToken)) {
    $('signin-error').textContent = t('needUser');
    $('user').focus();
    return;
  }
  announce(t('signingIn'));
  $('signin-button').disabled = true;
  let matrixToken = accessToken;
  let userId = user.startsWith('@') ? user : `@${user}:${state.config.server_name}`;
  let loggedIn = false;
  try {
    if (!matrixToken) {
      const login = await homeserver('POST', '/login', null, {
        type: 'm.login.password', identifier: { type: 'm.id.user', user }, password,
        initial_device_display_name: 'Praatbrug beheer (tijdelijk)',
      });
      matrixToken = login.access_token;
      userId = login.user_id;
      loggedIn = true;
    } else {
      userId = (await homeserver('GET', '/account/whoami', matrixToken)).user_id;
    }
    await enterWith(matrixToken, userId);
  } catch (error) {
    $('signin-error').textContent = error.message === t('notAdmin') ? error.message : t('loginFailed', { why: error.message });
    announce('');
  } finally {
    $('signin-button').disabled = false;
    // The page only needed the Matrix session to get the OpenID token: end it, do not keep it.
    if (loggedIn) {
      homeserver('POST', '/logout', matrixToken, {}).catch(() => {});
    }
  }
}

/** With a Matrix session: an OpenID token proves to the bridge who signs in; the bridge decides. */
async function enterWith(matrixToken, userId) {
  const openId = await homeserver('POST', `/user/${encodeURIComponent(userId)}/openid/request_token`, matrixToken, {});
  const { status, json } = await api('POST', '/login', openId);
  if (status !== 200) {
    throw new Error(status === 403 ? t('notAdmin') : json?.error ?? String(status));
  }
  state.token = json.token;
  $('password').value = '';
  $('access-token').value = '';
  $('who').textContent = json.user_id;
  $('signin').hidden = true;
  $('work').hidden = false;
  $('signout').hidden = false;
  announce(t('signedIn', { who: json.user_id }));
  await Promise.all([loadPolicies(), loadSessions(), loadStatus()]);
  $('policy-name').focus();
}

/** The homeserver's single sign-on (the organisation's identity provider, with a one-time code). */
async function signInSso() {
  $('signin-error').textContent = '';
  const here = window.location.href.split('#')[0].split('?')[0];
  const address = `${state.config.homeserver}/_matrix/client/v3/login/sso/redirect?redirectUrl=${encodeURIComponent(here)}`;
  // The bridge asks the homeserver whether it reaches the identity provider.
  const probe = await fetch('../_praatbrug/desk/v1/sso-ready', { cache: 'no-store' }).then((r) => r.json()).catch(() => null);
  if (!probe?.ready) {
    $('signin-error').textContent = t('ssoUnreachable');
    return;
  }
  window.location.assign(address);
}

/** Back from single sign-on with a login token: a Matrix session just long enough for the OpenID token. */
async function finishSso(loginToken) {
  announce(t('signingIn'));
  let matrixToken = null;
  try {
    const login = await homeserver('POST', '/login', null, {
      type: 'm.login.token', token: loginToken, initial_device_display_name: 'Praatbrug beheer (tijdelijk)',
    });
    matrixToken = login.access_token;
    await enterWith(matrixToken, login.user_id);
  } catch (error) {
    $('signin-error').textContent = error.message === t('notAdmin') ? error.message : t('loginFailed', { why: error.message });
    announce('');
  } finally {
    if (matrixToken) {
      homeserver('POST', '/logout', matrixToken, {}).catch(() => {});
    }
  }
}

async function loadPolicies(preferred) {
  const { json } = await api('GET', '/policies');
  const select = $('policy-name');
  const chosen = preferred ?? select.value;
  select.replaceChildren(...json.policies.map((policy) => {
    const option = document.createElement('option');
    option.value = policy.name;
    option.textContent = policy.name + (policy.default ? ' ★' : '');
    return option;
  }));
  select.value = chosen || json.policies.find((policy) => policy.default)?.name || json.policies[0]?.name;
  await loadPolicy();
}

async function loadPolicy() {
  const { json } = await api('GET', `/policies/${encodeURIComponent($('policy-name').value)}`);
  state.policy = json;
  $('policy-yaml').value = json.yaml;
  $('retention').value = (json.yaml.match(/^\s*max_lifetime:\s*(\S+)/m) ?? [])[1] ?? '';
  showMeta();
  clearProblems();
}

function showMeta() {
  const policy = state.policy;
  const by = policy.saved_by ? t('byWhom', { who: policy.saved_by, when: new Date(policy.saved_at).toLocaleString(state.lang === 'en' ? 'en-GB' : 'nl-BE') }) : '';
  $('policy-meta').textContent = t('meta', { version: policy.version, origin: t(policy.origin === 'admin' ? 'originAdmin' : 'originFile'), by });
}

/** The YAML as it will be sent: the retention field written into the text. */
function editedYaml() {
  const retention = $('retention').value.trim();
  return $('policy-yaml').value.replace(/^(\s*max_lifetime:)[^\n]*/m, `$1 ${retention}`);
}

function clearProblems() {
  document.querySelectorAll('[data-error-for]').forEach((element) => { element.textContent = ''; });
  document.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
  $('yaml-error').replaceChildren();
  $('policy-result').textContent = '';
}

function showProblems(problems) {
  const general = [];
  for (const problem of problems) {
    const slot = document.querySelector(`[data-error-for="${problem.field}"]`);
    const hint = t('fieldHint')[problem.field];
    const message = `${hint ? `${hint} ` : ''}(${problem.message})`;
    if (slot) {
      slot.textContent = message;
      document.querySelector(`[data-field="${problem.field}"]`)?.setAttribute('aria-invalid', 'true');
    } else {
      general.push(`${problem.field || 'YAML'}${problem.line ? ` (${t('line')} ${problem.line})` : ''}: ${problem.message}`);
    }
  }
  if (general.length) {
    $('policy-yaml').setAttribute('aria-invalid', 'true');
    const list = document.createElement('ul');
    list.replaceChildren(...general.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
    $('yaml-error').replaceChildren(list);
  }
  const first = document.querySelector('[aria-invalid="true"]');
  first?.focus();
}

async function validatePolicy() {
  clearProblems();
  const { status, json } = await api('POST', '/policies/validate', { name: state.policy.name, yaml: editedYaml() });
  if (status === 200) {
    showPreview(json.would_change ?? []);
  } else {
    $('policy-result').textContent = t('invalid');
    showProblems(json.problems ?? [{ field: '', message: json.error }]);
  }
}

/** The check's dry run: which running sessions a save would change, and how. */
function showPreview(rooms) {
  const summary = `${t('valid')} ${rooms.length ? t('previewSome', { n: rooms.length }) : t('previewNone')}`;
  const list = document.createElement('ul');
  list.replaceChildren(...rooms.map((room) => Object.assign(document.createElement('li'), {
    textContent: `${room.room}: ${room.changes.map(describeChange).join(', ')}`,
  })));
  $('policy-result').replaceChildren(document.createTextNode(summary), ...(rooms.length ? [list] : []));
}

function describeChange(change) {
  if (change.kind === 'SetState') return t('changeSetting', { setting: change.setting });
  if (change.kind === 'Kick') return t('changeKick', { reason: change.reason });
  return t('changeOther', { kind: change.kind });
}

async function savePolicy(event) {
  event.preventDefault();
  clearProblems();
  const yaml = editedYaml();
  const { status, json } = await api('PUT', `/policies/${encodeURIComponent(state.policy.name)}`, { yaml },
    { 'If-Match': `"v${state.policy.version}"` });
  if (status === 200) {
    state.policy = { ...state.policy, ...json, yaml };
    $('policy-yaml').value = yaml;
    showMeta();
    $('policy-result').textContent = t('saved', { version: json.version, rooms: json.rooms_repaired });
  } else if (status === 409) {
    $('policy-result').textContent = t('conflict', { version: json.current_version });
  } else {
    $('policy-result').textContent = t('invalid');
    showProblems(json?.problems ?? [{ field: '', message: json?.error ?? String(status) }]);
  }
}

/** The text without its `door:` section: the door on the website belongs to one policy only. */
function withoutDoor(yaml) {
  return yaml.replace(/^door:\n(?:[ #].*\n|\n)*/m, '');
}

async function createPolicy() {
  clearProblems();
  const name = $('new-name').value.trim();
  const edited = editedYaml();
  const yaml = withoutDoor(edited);
  const { status, json } = await api('POST', '/policies', { name, yaml });
  if (status === 201) {
    $('new-name').value = '';
    await loadPolicies(name);
    $('policy-result').textContent = t(yaml === edited ? 'created' : 'createdWithoutDoor', { name });
  } else if (status === 409) {
    $('policy-result').textContent = t('exists');
    $('new-name').setAttribute('aria-invalid', 'true');
    $('new-name').focus();
  } else {
    $('policy-result').textContent = t('invalid');
    if (json?.errcode === 'M_INVALID_PARAM' && !json.problems) {
      $('new-name').setAttribute('aria-invalid', 'true');
      $('policy-result').textContent = `${t('invalid')} ${json.error}`;
      $('new-name').focus();
    } else {
      showProblems(json?.problems ?? [{ field: '', message: json?.error ?? String(status) }]);
    }
  }
}

// --- sessions ---------------------------------------------------------------------------------

function when(text) {
  return text ? new Date(text).toLocaleString(state.lang === 'en' ? 'en-GB' : 'nl-BE') : '–';
}

async function loadSessions() {
  const { json } = await api('GET', `/sessions?state=${$('session-state').value}`);
  $('sessions-body').replaceChildren(...json.sessions.map((row) => {
    const tr = document.createElement('tr');
    const cells = [row.room_name, row.counsellor, row.client_ref ?? '–', when(row.started_at ?? row.room_created_at),
      when(row.ended_at ?? row.room_closed_at), t('states')[row.state] ?? row.state];
    cells.forEach((text) => tr.append(Object.assign(document.createElement('td'), { textContent: text })));
    const actions = document.createElement('td');
    if (row.room_status === 'open') {
      const button = Object.assign(document.createElement('button'), { type: 'button', textContent: t('end') });
      button.setAttribute('aria-label', `${t('end')}: ${row.room_name}`);
      button.addEventListener('click', () => endSession(row));
      actions.append(button);
    }
    tr.append(actions);
    return tr;
  }));
}

async function endSession(row) {
  if (!window.confirm(t('confirmEnd'))) {
    return;
  }
  const { status, json } = await api('POST', `/sessions/${encodeURIComponent(row.room_id)}/end`, {});
  announce(status === 200 ? t('ended') : t('error', { why: json?.error ?? status }));
  await loadSessions();
}

// --- ledger -----------------------------------------------------------------------------------

async function download(path, fallbackName) {
  const { status, json, response } = await api('GET', path);
  if (status !== 200) {
    $('ledger-result').textContent = t('error', { why: json?.error ?? status });
    return;
  }
  const name = (response.headers.get('Content-Disposition')?.match(/filename="([^"]+)"/) ?? [])[1] ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  $('ledger-result').textContent = t('downloaded', { file: name });
}

function clientRef() {
  const ref = $('client-ref').value.trim();
  if (!ref) {
    $('ledger-result').textContent = t('needRef');
    $('client-ref').focus();
  }
  return ref;
}

function sessionQuery(format) {
  const query = new URLSearchParams({ format });
  if ($('export-from').value) query.set('from', $('export-from').value);
  if ($('export-to').value) query.set('to', $('export-to').value);
  if ($('client-ref').value.trim()) query.set('client_ref', $('client-ref').value.trim());
  return `/ledger/sessions?${query}`;
}

async function verifyLedger() {
  const { json } = await api('GET', '/ledger/verify');
  $('verify-result').textContent = json.ok ? t('verifyOk', { n: json.entries_checked, key: json.public_key_fingerprint.slice(0, 16) })
    : `${t('verifyBad')} ${json.findings.join('; ')}`;
}

async function erase() {
  const ref = clientRef();
  if (!ref || !window.confirm(t('confirmErase', { ref }))) {
    return;
  }
  const { status, json } = await api('POST', `/ledger/subjects/${encodeURIComponent(ref)}/erase`, { confirm: ref });
  $('ledger-result').textContent = status === 200 ? t('erased', { n: json.ledger_position }) : t('error', { why: json?.error ?? status });
}

// --- client records ---------------------------------------------------------------------------

function day(text) {
  return text ? new Date(text).toLocaleDateString(state.lang === 'en' ? 'en-GB' : 'nl-BE') : '–';
}

function time(text) {
  return text ? new Date(text).toLocaleTimeString(state.lang === 'en' ? 'en-GB' : 'nl-BE', { hour: '2-digit', minute: '2-digit' }) : '–';
}

/** Finds client records by (the start of) their reference; one match is shown at once. */
async function findClient() {
  const typed = clientRef();
  if (!typed) {
    return;
  }
  $('client-found').hidden = true;
  const { status, json } = await api('GET', `/clients?q=${encodeURIComponent(typed)}`);
  if (status !== 200) {
    $('ledger-result').textContent = t('error', { why: json?.error ?? status });
    return;
  }
  if (json.clients.length === 0) {
    $('ledger-result').textContent = t('noClients', { q: typed });
    return;
  }
  if (json.clients.length === 1) {
    await openClient(json.clients[0].client_ref);
    return;
  }
  $('ledger-result').textContent = t('clientMatches', { n: json.clients.length });
  $('client-matches').replaceChildren(...json.clients.map((record) => {
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: record.client_ref });
    button.addEventListener('click', guarded(() => openClient(record.client_ref)));
    const item = document.createElement('li');
    item.append(button);
    return item;
  }));
  $('client-title').textContent = '';
  $('client-facts').textContent = '';
  $('client-sessions').hidden = true;
  $('client-found').hidden = false;
}

async function openClient(ref) {
  const { status, json } = await api('GET', `/clients/${encodeURIComponent(ref)}`);
  if (status !== 200) {
    $('ledger-result').textContent = t('error', { why: json?.error ?? status });
    return;
  }
  showClient(json);
}

function showClient(record) {
  $('client-ref').value = record.client_ref;
  $('client-matches').replaceChildren();
  const consent = !record.consent ? t('consentNone')
    : record.consent.given ? t('consentGiven', { at: day(record.consent.at), version: record.consent.version })
      : t('consentWithdrawn', { at: day(record.consent.at) });
  $('client-title').textContent = t('clientTitle', { ref: record.client_ref });
  $('client-facts').textContent = t('clientFacts', {
    since: day(record.created_at), origin: t('origins')[record.origin] ?? record.origin, consent,
    n: record.sessions.length, minutes: Math.round(record.total_duration_seconds / 60),
    label: record.has_label ? t('hasLabel') : '', erased: record.erased_at ? t('erasedOn', { at: day(record.erased_at) }) : '',
  });
  $('client-sessions-caption').textContent = t('sessionsOf', { ref: record.client_ref });
  $('client-sessions-body').replaceChildren(...record.sessions.map((session) => {
    const tr = document.createElement('tr');
    const cells = [day(session.started_at), time(session.started_at), session.ended_at ? time(session.ended_at) : t('running'),
      session.duration_seconds == null ? '–' : t('minutes', { n: Math.round(session.duration_seconds / 60) }), session.counsellor];
    cells.forEach((text) => tr.append(Object.assign(document.createElement('td'), { textContent: text })));
    return tr;
  }));
  $('client-sessions').hidden = false;
  $('client-found').hidden = false;
  $('ledger-result').textContent = t('clientTitle', { ref: record.client_ref });
}

// --- status -----------------------------------------------------------------------------------

async function loadStatus() {
  const { json } = await api('GET', '/status');
  const rows = [
    [t('stHomeserver'), json.homeserver.reachable ? t('stReachable', { ms: json.homeserver.round_trip_ms }) : t('stUnreachable')],
    [t('stTransaction'), json.last_transaction_at ? when(json.last_transaction_at) : t('none')],
    [t('stReconcile'), json.last_reconciliation ? `${when(json.last_reconciliation.finished_at)}: ${t('stRooms', json.last_reconciliation)}` : t('none')],
    [t('stLastPurge'), json.last_purge_at ? when(json.last_purge_at) : t('none')],
    [t('stPurges'), json.last_purge_runs.length ? json.last_purge_runs.map((run) => `${when(run.started_at)} ${run.kind}: ${run.status}`
      + (run.kind === 'files' ? ` (${t('stFiles', { files: run.files, bytes: run.file_bytes })})` : '')).join('; ') : t('none')],
  ];
  $('status-list').replaceChildren(...rows.flatMap(([term, value]) => [
    Object.assign(document.createElement('dt'), { textContent: term }),
    Object.assign(document.createElement('dd'), { textContent: value }),
  ]));
}

// --- wiring -----------------------------------------------------------------------------------

function guarded(fn) {
  return (...args) => Promise.resolve(fn(...args)).catch((error) => announce(t('error', { why: error.message })));
}

async function main() {
  state.config = await (await fetch('config.json')).json();
  $('server').textContent = state.config.server_name;
  applyLanguage();
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'en' ? 'nl' : 'en';
    localStorage.setItem('praatbrug-admin-lang', state.lang);
    applyLanguage();
    if (state.policy) showMeta();
  });
  $('signin-form').addEventListener('submit', signIn);
  $('signin-sso').addEventListener('click', guarded(signInSso));
  const flows = await fetch(`${state.config.homeserver}/_matrix/client/v3/login`).then((r) => r.json()).catch(() => ({ flows: [] }));
  const types = (flows.flows ?? []).map((flow) => flow.type);
  // Staff sign in through the organisation's identity provider when the homeserver offers it;
  // the password form stays only where the homeserver still takes passwords.
  $('signin-sso').hidden = !types.includes('m.login.sso');
  $('signin-form').hidden = types.includes('m.login.sso') && !types.includes('m.login.password');
  const url = new URL(window.location.href);
  const loginToken = url.searchParams.get('loginToken');
  if (loginToken) {
    url.searchParams.delete('loginToken');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    await finishSso(loginToken);
  }
  $('signout').addEventListener('click', guarded(async () => {
    await api('POST', '/logout', {});
    signedOut(t('signedOut'));
  }));
  $('policy-name').addEventListener('change', guarded(loadPolicy));
  $('validate').addEventListener('click', guarded(validatePolicy));
  $('policy-form').addEventListener('submit', guarded(savePolicy));
  $('create').addEventListener('click', guarded(createPolicy));
  $('session-state').addEventListener('change', guarded(loadSessions));
  $('sessions-refresh').addEventListener('click', guarded(loadSessions));
  $('verify').addEventListener('click', guarded(verifyLedger));
  $('export-csv').addEventListener('click', guarded(() => download(sessionQuery('csv'), 'sessies.csv')));
  $('export-json').addEventListener('click', guarded(() => download(sessionQuery('json'), 'sessies.json')));
  $('export-consent').addEventListener('click', guarded(() => { const ref = clientRef(); return ref && download(`/ledger/consent-proof/${encodeURIComponent(ref)}`, 'consent.json'); }));
  $('export-subject').addEventListener('click', guarded(() => { const ref = clientRef(); return ref && download(`/ledger/subjects/${encodeURIComponent(ref)}`, 'subject.json'); }));
  $('erase').addEventListener('click', guarded(erase));
  $('find-client').addEventListener('click', guarded(findClient));
  $('status-refresh').addEventListener('click', guarded(loadStatus));
  $('user').focus();
}

main();
