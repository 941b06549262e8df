import {
  ClientEvent, HttpApiEvent, MatrixEventEvent, MemoryStore, RoomEvent, RoomMemberEvent, createClient,
} from 'matrix-js-sdk';

/**
 * The browser as its user's own Matrix device (the client's guest account, or on the counsellor
 * page the counsellor's account, which never knocks: `mayKnock: false`): matrix-js-sdk with the Rust crypto (WebAssembly),
 * keys in this browser's IndexedDB, never on any server. It knocks with the code, joins when the
 * counsellor admits it, and reports what happens as DOM events:
 *
 * - `state` (detail: `connecting` | `waiting` | `joined` | `ended`)
 * - `message` (detail: a matrix-js-sdk MatrixEvent in the room, live or decrypted later)
 * - `typing` (detail: display names typing now, not us)
 * - `receipt` (the other side read something)
 * - `signal` (detail: a call widget event, for the widget host)
 */
export class Conversation extends EventTarget {
  /**
   * @param options.sharedClient an already started and synced client to use instead of one of its
   *     own (the counsellor page's, which serves all her rooms); it is left running by `wipe()`
   * @param options.cryptoOptions for the SDK's `initRustCrypto` of its own client: by default keys
   *     in IndexedDB under this device's prefix; the client page passes an in-memory store or a
   *     store encryption key.
   */
  constructor(account, { sharedClient = null, cryptoOptions = null } = {}) {
    super();
    this.account = account;
    this.cryptoOptions = cryptoOptions;
    this.state = 'connecting';
    this.client = null;
    this.synced = false;
    this.sharedClient = sharedClient;
    this.listeners = [];
  }

  get cryptoPrefix() {
    return this.cryptoOptions?.cryptoDatabasePrefix ?? this.account.storePrefix ?? `praatbrug-${this.account.deviceId}`;
  }

  async start() {
    const { homeserver, userId, accessToken, deviceId, roomId } = this.account;
    // A memory store of its own: the SDK's default one caches the sync filter under the user id in
    // localStorage, a trace that outlives the tab.
    const client = this.sharedClient
      ?? createClient({ baseUrl: homeserver, userId, accessToken, deviceId, store: new MemoryStore() });
    this.client = client;
    if (!this.sharedClient) {
      await client.initRustCrypto(this.cryptoOptions ?? { cryptoDatabasePrefix: this.cryptoPrefix });
    }
    const on = (event, listener) => {
      client.on(event, listener);
      this.listeners.push([event, listener]);
    };
    // Deactivated account (the session ended while this page was closed or open).
    on(HttpApiEvent.SessionLoggedOut, () => this.#setState('ended'));
    on(RoomEvent.MyMembership, (room, membership) => {
      if (room.roomId === roomId) {
        this.#onMembership(membership);
      }
    });
    on(RoomEvent.Timeline, (event, room, toStartOfTimeline) => {
      if (room?.roomId === roomId && !toStartOfTimeline) {
        this.#onEvent(event);
      }
    });
    on(MatrixEventEvent.Decrypted, (event) => {
      if (event.getRoomId() === roomId) {
        this.#onEvent(event);
      }
    });
    on(RoomMemberEvent.Typing, (event, member) => {
      if (member.roomId === roomId) {
        this.#emit('typing', this.#typingNames());
      }
    });
    on(RoomEvent.Receipt, (event, room) => {
      if (room.roomId === roomId) {
        this.#emit('receipt', null);
      }
    });
    if (this.sharedClient) {
      await this.#afterFirstSync();
      return;
    }
    const prepared = new Promise((resolve) => {
      // Not the PREPARED the SDK emits for its (empty) cache: the homeserver's first answer.
      client.on(ClientEvent.Sync, (state, previous, data) => {
        if ((state === 'PREPARED' && !data?.fromCache) || state === 'SYNCING') {
          resolve();
        }
      });
    });
    await client.startClient({ initialSyncLimit: 50 });
    await prepared;
    void this.#signOwnDevice(); // in the background: the chat need not wait for it
    await this.#afterFirstSync();
  }

  /**
   * Gives the guest account its own cross-signing keys and signs this device with them, so the
   * counsellor's client (Element) shows the client's messages as coming from a device its owner
   * verified, not with an "unverified device" warning. Synapse takes a first upload of such keys
   * without asking for a password (MSC3967); a device that did this before (refresh) is left as it is.
   */
  async #signOwnDevice() {
    try {
      await this.client.getCrypto().bootstrapCrossSigning({
        authUploadDeviceSigningKeys: (makeRequest) => makeRequest(null),
      });
    } catch (error) {
      console.warn('Praatbrug: cross-signing not set up', error);
    }
  }

  async #afterFirstSync() {
    this.synced = true;
    const membership = this.room?.currentState.getMember(this.account.userId)?.membership;
    console.debug(`praatbrug: first sync: membership ${membership}`);
    if (membership === 'join' || membership === 'invite') {
      this.#onMembership(membership);
      return;
    }
    if (this.account.mayKnock === false
        || (this.account.knocked && (membership === 'leave' || membership === 'ban'))) {
      // We knocked before, and now we are out: refused, removed or ended.
      this.#setState('ended');
      return;
    }
    // First visit, or back after a refresh while waiting: (again) knock with the code. The SDK does
    // not keep a knocked room across a reload, and knocking again is allowed and harmless: the knock
    // stays one knock, and the counsellor sees it is still there.
    await this.client.knockRoom(this.account.roomId, { reason: this.account.code });
    this.account.knocked = true;
    this.#emit('knocked', null);
    this.#setState('waiting');
  }

  #onMembership(membership) {
    if (!this.synced) {
      return; // the first sync is read as a whole afterwards
    }
    if (membership === 'invite') {
      this.#setState('waiting');
      // Admitted: the counsellor (or the code) let us in.
      this.client.joinRoom(this.account.roomId).catch(() => {});
    } else if (membership === 'join') {
      this.#setState('joined');
    } else if (membership === 'knock') {
      this.#setState('waiting');
    } else if (membership === 'leave' || membership === 'ban') {
      if (this.state !== 'connecting' || this.account.knocked) {
        this.#setState('ended');
      }
    }
  }

  #onEvent(event) {
    const type = event.getType();
    if (type === 'm.room.message' || type === 'm.room.encrypted') {
      this.#emit('message', event);
    } else if (type === 'be.praatbrug.call.signal' || (type === 'm.room.member' && event.getStateKey() !== this.account.userId)) {
      // Others' membership goes to the call widget too: a group call drops whoever left the room.
      this.#emit('signal', event);
    }
  }

  get room() {
    return this.client?.getRoom(this.account.roomId) ?? null;
  }

  /** Messages so far (oldest first), for drawing the chat once joined. */
  messages() {
    return (this.room?.getLiveTimeline().getEvents() ?? [])
      .filter((event) => ['m.room.message', 'm.room.encrypted'].includes(event.getType()));
  }

  /**
   * The other humans in the room by display name, the counsellor first: one in a one-to-one
   * session, everyone else on a named place in a family session.
   */
  peerName() {
    const members = this.room?.getJoinedMembers() ?? [];
    const others = members.filter((member) => member.userId !== this.account.userId
      && !member.userId.startsWith('@praatbrug:') && member.powerLevel < 100)
      .sort((a, b) => b.powerLevel - a.powerLevel);
    return others.length === 0 ? null : others.map((member) => member.name).join(', ');
  }

  /**
   * How many people the room's call holds when it is a family session's (3 or 4), from the call
   * widget the bridge put into the room; null for a one-to-one call.
   */
  callPeople() {
    const people = this.#widgetParam('people');
    return people === '3' || people === '4' ? Number(people) : null;
  }

  /** The room's counsellor as the call widget of a family session names her, or null. */
  callCounsellor() {
    return this.#widgetParam('counsellor');
  }

  #widgetParam(name) {
    const event = this.room?.currentState.getStateEvents('im.vector.modular.widgets', 'praatbrug_call');
    const url = event?.getContent()?.url;
    return typeof url === 'string' ? new URLSearchParams(url.slice(url.indexOf('?') + 1)).get(name) : null;
  }

  send(text) {
    return this.client.sendMessage(this.account.roomId, { msgtype: 'm.text', body: text });
  }

  setTyping(typing) {
    return this.client.sendTyping(this.account.roomId, typing, 5000).catch(() => {});
  }

  markRead(event) {
    return this.client.sendReadReceipt(event).catch(() => {});
  }

  /** Whether someone other than us has read up to `event`. */
  readByOther(event) {
    const room = this.room;
    if (!room) {
      return false;
    }
    return room.getUsersReadUpTo(event).some((userId) => userId !== this.account.userId);
  }

  #typingNames() {
    return (this.room?.getMembers() ?? [])
      .filter((member) => member.typing && member.userId !== this.account.userId)
      .map((member) => member.name);
  }

  #setState(state) {
    console.debug(`praatbrug: ${this.state} -> ${state}`);
    if (this.state === state || this.state === 'ended') {
      return;
    }
    this.state = state;
    this.#emit('state', state);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  /**
   * Stops syncing and deletes this device's keys and the SDK's stores from the browser; with a
   * shared client, only stops listening to it.
   */
  async wipe() {
    if (!this.client) {
      return;
    }
    this.listeners.forEach(([event, listener]) => this.client.off(event, listener));
    this.listeners = [];
    if (this.sharedClient) {
      return; // the page that owns the client decides about its keys
    }
    this.client.stopClient();
    await this.client.clearStores({ cryptoDatabasePrefix: this.cryptoPrefix }).catch(() => {});
  }
}
