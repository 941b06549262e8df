/**
 * The client records behind the counsellor's rooms, as the bridge keeps them (#18): per room the
 * record's reference, the label a counsellor gave it and how many sessions it holds. Read with her
 * own access token from `GET /_praatbrug/desk/v1/records`, only for her own rooms; the label never
 * goes anywhere but this page's memory.
 *
 * Records come about when a client consents or is let in, so the page reads them again shortly after
 * a membership changes in one of her rooms, and after she sets a label.
 */
export class RecordsOfRooms {
  constructor(client, { url, onChange, fetchImpl = (...args) => fetch(...args) }) {
    this.client = client;
    this.url = url;
    this.onChange = onChange;
    this.fetch = fetchImpl;
    this.byRoom = new Map();
    this.timer = null;
    this.reading = null;
  }

  /** The record behind `roomId` (`{ ref, label, sessions, erased }`), or null. */
  of(roomId) {
    return this.byRoom.get(roomId) ?? null;
  }

  /** Reads them again within `delayMs` (several asks in a row make one read). */
  refreshSoon(delayMs = 800) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh().catch(() => {}), delayMs);
  }

  /** Reads them now; resolves once the overview has them. A failed read keeps what was shown. */
  async refresh() {
    clearTimeout(this.timer);
    const reading = (this.reading ?? Promise.resolve()).then(() => this.#read());
    this.reading = reading.catch(() => {});
    return reading;
  }

  async #read() {
    const token = this.client.getAccessToken();
    if (!token) {
      return;
    }
    const response = await this.fetch(this.url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (!response.ok) {
      throw new Error(`records: HTTP ${response.status}`);
    }
    const { rooms = {} } = await response.json();
    const next = new Map(Object.entries(rooms).map(([roomId, record]) => [roomId, {
      ref: record.client_ref, label: record.label ?? null, sessions: record.sessions ?? 0, erased: record.erased === true,
    }]));
    const changed = JSON.stringify([...next]) !== JSON.stringify([...this.byRoom]);
    this.byRoom = next;
    if (changed) {
      this.onChange();
    }
  }

  stop() {
    clearTimeout(this.timer);
  }
}
