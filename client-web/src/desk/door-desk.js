import { translate } from '../i18n.js';
import { answersTake, dutyCommand, lineRows, parseTakeReply, takeCommand } from './door-line.js';

const POLL_MS = 3000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The door block on the counsellor's overview (issue #27): her door duty and the waiting line
 * (number, nickname, how long; never the question), read every 3 s from `GET
 * /_praatbrug/desk/v1/door` with her own token. Duty and "Opnemen" are the bot's own commands in
 * her chat with the bot, so the bridge decides who gets a person exactly as when she types them in
 * Element: two counsellors who press at once get one "Opgenomen" and one "al opgenomen" answer.
 * A won take opens the room she is invited to; a lost one says so at once and reads the line again.
 */
export class DoorDesk {
  constructor(client, { channel, ready, language, open, fetchImpl = (...args) => fetch(...args) }) {
    this.client = client;
    this.channel = channel;
    this.ready = ready; // the chat with the bot, once open
    this.language = language; // () => 'nl' | 'en'
    this.open = open; // (roomId) => void
    this.fetch = fetchImpl;
    this.url = new URL('../_praatbrug/desk/v1/door', document.baseURI);
    this.state = null;
    this.timer = null;
    this.said = null;
  }

  start() {
    document.getElementById('door-duty').addEventListener('change', (event) => void this.#duty(event.target.checked));
    void this.refresh();
  }

  setLanguage() {
    this.render();
    if (this.said) {
      this.#say(...this.said);
    }
  }

  /** Reads the door now (and again in 3 s); a failed read keeps what was shown. */
  async refresh() {
    clearTimeout(this.timer);
    try {
      const token = this.client.getAccessToken();
      const response = await this.fetch(this.url, { headers: { Authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (response.ok) {
        this.state = await response.json();
      } else if (response.status === 404) {
        this.state = { enabled: false }; // a bridge without a door
      }
      this.render();
    } catch (error) {
      console.warn('Praatbrug: door', error);
    }
    this.timer = setTimeout(() => void this.refresh(), POLL_MS);
  }

  #t(key, values) {
    return translate(this.language(), key, values);
  }

  render() {
    const block = document.getElementById('door-block');
    const state = this.state;
    block.hidden = !state?.enabled;
    if (!state?.enabled) {
      return;
    }
    if (!this.dutyBusy) {
      document.getElementById('door-duty').checked = Boolean(state.on_duty);
    }
    document.getElementById('door-state').textContent = this.#t(state.open ? 'deskDoorOpen' : 'deskDoorClosed');
    block.dataset.onDuty = String(Boolean(state.on_duty));
    const rows = lineRows(state.line, Date.now());
    document.getElementById('door-empty').hidden = rows.length > 0;
    const list = document.getElementById('door-line');
    const focused = document.activeElement;
    const kept = new Map([...list.children].map((item) => [item.dataset.number, item]));
    for (const row of rows) {
      const signature = JSON.stringify([row, this.language(), this.taking === row.number]);
      let item = kept.get(String(row.number));
      kept.delete(String(row.number));
      if (!item) {
        item = document.createElement('li');
        item.dataset.number = String(row.number);
      }
      if (item.dataset.signature !== signature) {
        item.dataset.signature = signature;
        item.replaceChildren(...this.#cells(row));
      }
      list.append(item); // in order
    }
    kept.forEach((item) => item.remove());
    if (focused?.isConnected && document.activeElement !== focused) {
      focused.focus();
    }
  }

  #cells(row) {
    const span = (className, text) => {
      const element = document.createElement('span');
      element.className = className;
      element.textContent = text;
      return element;
    };
    const take = document.createElement('button');
    take.type = 'button';
    take.className = 'primary small';
    take.dataset.action = 'take';
    take.textContent = this.#t(this.taking === row.number ? 'deskDoorTaking' : 'deskDoorTake');
    take.disabled = this.taking === row.number;
    take.setAttribute('aria-label', this.#t('deskDoorTakeLabel', { nickname: row.nickname, number: row.number }));
    take.addEventListener('click', () => void this.#take(row));
    return [
      span('door-number', this.#t('deskDoorNumber', { number: row.number })),
      span('door-nickname', row.nickname),
      span('door-waited', this.#t(...row.waited)),
      take,
    ];
  }

  #say(key, values = {}, reply = null, problem = false) {
    this.said = [key, values, reply, problem];
    const status = document.getElementById('door-status');
    status.textContent = this.#t(key, values) + (reply ? ` ${this.#t('deskBotSaid')} “${reply}”` : '');
    status.dataset.kind = problem || reply ? 'problem' : 'ok';
  }

  async #duty(on) {
    this.dutyBusy = true;
    try {
      await this.ready;
      const outcome = await this.channel.command(dutyCommand(on));
      this.dutyBusy = false;
      await this.refresh();
      if (Boolean(this.state?.on_duty) === on) {
        this.#say(on ? 'deskDoorDutyOn' : 'deskDoorDutyOff');
      } else {
        this.#say('deskActionRefused', {}, outcome?.reply ?? null, true);
      }
    } catch (error) {
      console.warn('Praatbrug: door duty', error);
      this.#say('deskDoorFailed', {}, null, true);
    } finally {
      this.dutyBusy = false;
      this.render();
    }
  }

  async #take(row) {
    this.taking = row.number;
    this.render();
    this.#say('deskDoorTaking');
    const seen = new Set(this.channel.notices().map((event) => event.getId()));
    try {
      await this.ready;
      const outcome = await this.channel.command(takeCommand(row.number), () => this.channel.notices()
        .filter((event) => !seen.has(event.getId()))
        .map((event) => parseTakeReply(event.getContent().body))
        .find((parsed) => answersTake(parsed, row.number)) ?? null);
      const answer = outcome?.result ?? null;
      if (answer?.ok) {
        this.#say('deskDoorTaken', { nickname: row.nickname, number: row.number });
        await this.#enter(answer.roomId);
      } else if (answer?.taken) {
        this.#say('deskDoorTakenByColleague', {}, null, true);
      } else {
        this.#say('deskActionRefused', {}, outcome?.reply ?? null, true);
      }
    } catch (error) {
      console.warn('Praatbrug: door take', error);
      this.#say('deskDoorFailed', {}, null, true);
    } finally {
      this.taking = null;
      void this.refresh();
    }
  }

  /** Into the room the bot invited her to: wait for the invite to arrive here, join, open it. */
  async #enter(roomId) {
    const deadline = Date.now() + 30_000;
    while (!['invite', 'join'].includes(this.client.getRoom(roomId)?.getMyMembership()) && Date.now() < deadline) {
      await sleep(150);
    }
    if (this.client.getRoom(roomId)?.getMyMembership() !== 'join') {
      // The overview joins rooms the bot invites her to as well: whichever is first.
      await this.client.joinRoom(roomId).catch((error) => console.warn('Praatbrug: join', error));
      while (this.client.getRoom(roomId)?.getMyMembership() !== 'join' && Date.now() < deadline) {
        await sleep(150);
      }
    }
    this.open(roomId);
  }
}
