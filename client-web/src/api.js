/** The bridge's two entry calls (EntryApi on the bridge). Same origin as the page. */

export class EntryError extends Error {
  constructor(status, body) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.errcode = body?.errcode ?? (status === 0 ? 'NETWORK' : 'M_UNKNOWN');
    this.field = body?.field ?? null;
  }
}

async function post(path, body) {
  let response;
  try {
    response = await fetch(new URL(`../_praatbrug/entry/v1/${path}`, document.baseURI), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
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
