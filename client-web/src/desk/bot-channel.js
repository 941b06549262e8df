import { EventType, Preset } from 'matrix-js-sdk';

/**
 * The counsellor's direct chat with the Praatbrug bot, used by the page to give the bot's own
 * commands (`!gesprek nieuw`, `!gesprek code`, `!gesprek toelaten`, `!gesprek weigeren`,
 * `!gesprek einde`) on her behalf, from her own device. The bridge decides exactly as when she
 * types them, under the same policy and with the same ledger records; the chat keeps every action
 * taken from the page, readable in Element too. The page learns the outcome from the room state it
 * expected to change, and from the bot's answer, which it shows when the action did not happen.
 */
export class BotChannel {
  constructor(client, botUserId) {
    this.client = client;
    this.bot = botUserId;
    this.roomId = null;
    this.busy = Promise.resolve();
  }

  /** Finds the direct chat with the bot (Element's, or one made before), or makes one. */
  async open() {
    this.roomId = this.#existing() ?? await this.#create();
    await waitUntil(() => this.#botMembership() === 'join', 30_000, 'the bot did not join the chat');
    return this.roomId;
  }

  #existing() {
    const me = this.client.getUserId();
    const direct = this.client.getAccountData(EventType.Direct)?.getContent()?.[this.bot] ?? [];
    const candidates = this.client.getRooms().filter((room) => room.getMyMembership() === 'join'
      && ['join', 'invite'].includes(room.getMember(this.bot)?.membership)
      && room.getJoinedMemberCount() + room.getInvitedMemberCount() === 2
      && room.currentState.getStateEvents('m.room.create', '')?.getSender() === me);
    const ranked = candidates.sort((a, b) => Number(direct.includes(b.roomId)) - Number(direct.includes(a.roomId))
      || b.getLastActiveTimestamp() - a.getLastActiveTimestamp());
    return ranked[0]?.roomId ?? null;
  }

  async #create() {
    const { room_id: roomId } = await this.client.createRoom({
      preset: Preset.TrustedPrivateChat,
      is_direct: true,
      invite: [this.bot],
      initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    });
    // Element lists it as the direct chat with the bot too.
    const direct = { ...(this.client.getAccountData(EventType.Direct)?.getContent() ?? {}) };
    direct[this.bot] = [...new Set([...(direct[this.bot] ?? []), roomId])];
    await this.client.setAccountData(EventType.Direct, direct).catch(() => {});
    await waitUntil(() => this.client.getRoom(roomId), 15_000, 'the new chat did not arrive');
    return roomId;
  }

  #botMembership() {
    return this.client.getRoom(this.roomId)?.getMember(this.bot)?.membership ?? null;
  }

  /** The bot's notices in the chat, oldest first, as far as this device has the timeline. */
  notices() {
    const room = this.client.getRoom(this.roomId);
    return (room?.getLiveTimeline().getEvents() ?? []).filter((event) => event.getSender() === this.bot
      && event.getType() === 'm.room.message' && !event.isBeingDecrypted()
      && event.getContent().msgtype === 'm.notice');
  }

  /** The latest client link the bot gave for each room, from the notices in the chat. */
  links() {
    const links = new Map();
    for (const event of this.notices()) {
      const parsed = parseCodeNotice(event.getContent().body);
      if (parsed) {
        links.set(parsed.roomId, { link: parsed.link, at: event.getTs() });
      }
    }
    return links;
  }

  /** Reads the chat further back (links of older rooms); false once at its start. */
  async lookFurtherBack(events = 100) {
    const room = this.client.getRoom(this.roomId);
    if (!room || !room.getLiveTimeline().getPaginationToken('b')) {
      return false;
    }
    await this.client.scrollback(room, events);
    return true;
  }

  /**
   * Sends `text` as the counsellor and waits for its outcome: `done()` returning something (the
   * expected change happened), or else the bot's answer. One command at a time, in order.
   *
   * @returns `{ ok, result, reply }`: `reply` is the bot's answer text when one came
   */
  command(text, done = null, timeoutMs = 30_000) {
    const run = this.busy.then(() => this.#command(text, done, timeoutMs));
    this.busy = run.catch(() => {});
    return run;
  }

  async #command(text, done, timeoutMs) {
    const before = new Set(this.notices().map((event) => event.getId()));
    await this.client.sendMessage(this.roomId, { msgtype: 'm.text', body: text });
    const deadline = Date.now() + timeoutMs;
    let reply = null;
    let replyAt = 0;
    while (Date.now() < deadline) {
      const result = done ? done() : null;
      if (result) {
        return { ok: true, result, reply: reply?.getContent().body ?? null };
      }
      reply ??= this.notices().find((event) => !before.has(event.getId())) ?? null;
      if (reply && !replyAt) {
        replyAt = Date.now();
      }
      // The bot answers after acting: give the change a moment to reach this device.
      if (reply && (!done || Date.now() - replyAt > 4_000)) {
        return { ok: !done, result: null, reply: reply.getContent().body };
      }
      await sleep(150);
    }
    return { ok: false, result: null, reply: reply?.getContent().body ?? null };
  }
}

/** `{ roomId, link }` from the bot's answer to `!gesprek nieuw` or `!gesprek code`, else null. */
export function parseCodeNotice(body) {
  const link = /(https?:\/\/\S+\/binnen\/#[A-Z0-9-]+)/.exec(body ?? '');
  const roomId = /(![\w.=~-]+:[\w.:-]*[\w])/.exec(body ?? '');
  return link && roomId ? { roomId: roomId[1], link: link[1] } : null;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check, timeoutMs, failure) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(failure);
    }
    await sleep(200);
  }
}
