// The counsellor's side, as a real end-to-end encrypted Matrix client in Node: matrix-js-sdk with
// the Rust crypto (vodozemac, WebAssembly), keys in memory. It reads and writes the counselling
// room the way Element would, and talks to the bot in an unencrypted direct chat.
if (!Promise.withResolvers) {
  // matrix-js-sdk 43 uses it; Node 20 lacks it (without it, sync silently stalls).
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new Promise((yes, no) => { resolve = yes; reject = no; });
    return { promise, resolve, reject };
  };
}
const sdk = await import('matrix-js-sdk');

/** The SDK's chatter (sync, crypto) only when it is an error. */
const quiet = {
  trace() {}, debug() {}, info() {}, log() {}, warn() {},
  error: (...args) => console.error('[counsellor sdk]', ...args),
  getChild: () => quiet,
};

export async function startCounsellor(hs, user) {
  const client = sdk.createClient({
    baseUrl: hs, userId: user.userId, accessToken: user.token, deviceId: user.deviceId, logger: quiet,
  });
  await client.initRustCrypto({ useIndexedDB: false });
  await client.startClient({ initialSyncLimit: 20 });
  await new Promise((resolve) => {
    client.on(sdk.ClientEvent.Sync, (state) => { if (state === 'PREPARED' || state === 'SYNCING') resolve(); });
  });
  return new Counsellor(client);
}

class Counsellor {
  constructor(client) {
    this.client = client;
  }

  get userId() {
    return this.client.getUserId();
  }

  /** Waits until a room event matching `test` (after decryption) arrives or is already there. */
  waitForEvent(roomId, test, what, timeoutMs = 30_000) {
    return new Promise((resolve, reject) => {
      const check = (event) => {
        if (event.getRoomId() === roomId && !event.isBeingDecrypted() && test(event)) {
          cleanup();
          resolve(event);
        }
      };
      const timer = setTimeout(() => { cleanup(); reject(new Error(`counsellor: no ${what} within ${timeoutMs} ms`)); }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.client.off(sdk.RoomEvent.Timeline, check);
        this.client.off(sdk.MatrixEventEvent.Decrypted, check);
      };
      this.client.on(sdk.RoomEvent.Timeline, check);
      this.client.on(sdk.MatrixEventEvent.Decrypted, check);
      for (const event of this.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? []) {
        check(event);
      }
    });
  }

  /** A bot notice in `roomId` whose text matches `pattern`. */
  async botNotice(roomId, pattern, timeoutMs = 30_000) {
    const event = await this.waitForEvent(roomId,
      (e) => e.getType() === 'm.room.message' && e.getSender().startsWith('@praatbrug:') && pattern.test(e.getContent().body ?? ''),
      `bot notice ${pattern}`, timeoutMs);
    return event.getContent().body;
  }

  async directChatWithBot() {
    const { room_id: roomId } = await this.client.createRoom({ preset: 'private_chat', is_direct: true, invite: ['@praatbrug:caw.test'] });
    await this.waitForEvent(roomId, (e) => e.getType() === 'm.room.member' && e.getStateKey() === '@praatbrug:caw.test'
      && e.getContent().membership === 'join', 'bot join');
    return roomId;
  }

  /** A direct chat with the bot that is end-to-end encrypted from its creation. */
  async encryptedChatWithBot() {
    const { room_id: roomId } = await this.client.createRoom({
      preset: 'private_chat', is_direct: true, invite: ['@praatbrug:caw.test'],
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    });
    await this.waitForEvent(roomId, (e) => e.getType() === 'm.room.member' && e.getStateKey() === '@praatbrug:caw.test'
      && e.getContent().membership === 'join', 'bot join');
    return roomId;
  }

  async say(roomId, text) {
    await this.client.sendMessage(roomId, { msgtype: 'm.text', body: text });
  }

  async join(roomId) {
    await this.client.joinRoom(roomId);
  }

  async stop() {
    this.client.stopClient();
  }
}
