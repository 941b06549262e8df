/**
 * The bridge's calls for the page (same origin): the link's two entry calls (EntryApi on the
 * bridge), and the client's own rights inside a conversation (ClientRightsApi), which carry the
 * guest account's token.
 */

export class EntryError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.errcode = body?.errcode ?? (status === 0 ? 'NETWORK' : 'M_UNKNOWN');
    this.field = body?.field ?? null;
    /** A planned session's link: starts_at, ends_at, opens_at (epoch ms). */
    this.appointment = body?.appointment ?? null;
    /** Why the door takes no question now (closed_hours, nobody_on_duty, line_full). */
    this.reason = body?.reason ?? null;
  }
}

async function post(path, body, accessToken = null) {
  return call('POST', path, body, accessToken);
}

function call(method, path, body, accessToken = null) {
  return callBridge('entry/v1', method, path, body, accessToken);
}

/** One call to the bridge's API `api` (e.g. `entry/v1`): the JSON answer, or an EntryError. */
export async function callBridge(api, method, path, body, accessToken = null) {
  let response;
  try {
    response = await fetch(new URL(`../_praatbrug/${api}/${path}`, document.baseURI), {
      method,
      headers: {
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...(accessToken ? { Authorization: `Bearer ${accessToken}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new EntryError(0, null);
  }
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    throw new EntryError(response.status, json);
  }
  return json;
}

/** What the code opens: room, homeserver, organisation and the consent text to show. */
export function checkCode(code) {
  return post('code', { code });
}

/** Records consent and returns a new guest device: user_id, device_id, access_token, ... */
export function createGuest(request) {
  return post('guests', request);
}

/** What the organisation keeps about this client's record, and whom to ask (ClientRightsApi). */
export function myRecord(accessToken) {
  return call('GET', 'me/record', undefined, accessToken);
}

/** Withdraws consent: recorded by the bridge, and the conversation ends. */
export function withdrawConsent(accessToken) {
  return post('me/withdraw', {}, accessToken);
}

/**
 * Tells the bridge that the client left with the quick exit, so the counsellor does not call or
 * write back. Sent with `keepalive`: the page is going away while it travels.
 */
export function reportQuickExit(accessToken) {
  fetch(new URL('../_praatbrug/entry/v1/me/left', document.baseURI), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: '{}',
    keepalive: true,
    cache: 'no-store',
    credentials: 'omit',
  }).catch(() => {});
}
