import { ClientEvent, MatrixEventEvent, RoomEvent, RoomStateEvent } from 'matrix-js-sdk';
import { translate } from '../i18n.js';
import { Attention } from './attention.js';
import { BotChannel, parseCodeNotice } from './bot-channel.js';
import { needingAttention } from './caseload.js';
import { CaseloadView } from './caseload-view.js';
import { AppointmentsOfCounsellor, moveCommand, planCommand, renderAppointments } from './appointments.js';
import { askLabel, confirmAction } from './dialogs.js';
import { RecordsOfRooms } from './records.js';

const $ = (id) => document.getElementById(id);

/**
 * The counsellor's caseload: the overview of her counselling rooms, the actions on them, and the
 * signals (title, tone, notification) while the tab is in the background. Every action is the
 * bot's own command, given in her chat with the bot (see BotChannel): the page has no rules of
 * its own about who may be let in or when a session ends.
 */
export class Desk {
  constructor(client, { bot, language, open }) {
    this.client = client;
    this.me = client.getUserId();
    this.bot = bot;
    this.language = language; // () => 'nl' | 'en'
    this.open = open; // (roomId) => void
    this.channel = new BotChannel(client, bot);
    this.channelReady = null;
    this.records = new RecordsOfRooms(client, {
      url: new URL('../_praatbrug/desk/v1/records', document.baseURI),
      onChange: () => this.render(),
    });
    this.appointments = new AppointmentsOfCounsellor(client, {
      url: new URL('../_praatbrug/desk/v1/appointments', document.baseURI),
      onChange: () => this.#renderAppointments(),
    });
    this.view = new CaseloadView(document, {
      me: this.me,
      bot,
      language: language(),
      links: () => (this.channel.roomId ? this.channel.links() : new Map()),
      records: (roomId) => this.records.of(roomId),
      actions: {
        open: (row) => this.open(row.roomId),
        admit: (row, knocker) => this.#admit(row, knocker),
        deny: (row, knocker) => this.#deny(row, knocker),
        copyLink: (row, link) => this.#copyLink(row, link),
        newCode: (row) => this.#newCode(row),
        end: (row) => this.#end(row),
        label: (row) => this.#label(row),
        nextSession: (row) => this.#nextSession(row),
      },
    });
    this.attention = new Attention(window, { language, open });
    this.renderTimer = null;
    this.onChange = () => {};
  }

  start() {
    this.channelReady = this.channel.open().then(async () => {
      // Links of rooms older than the synced part of the chat.
      for (let i = 0; i < 3 && this.#roomsWithoutLink() > 0; i += 1) {
        if (!(await this.channel.lookFurtherBack())) {
          break;
        }
      }
      this.render();
    });
    this.channelReady.catch((error) => this.#say('deskBotUnreachable', {}, error));
    const later = () => this.#scheduleRender();
    for (const event of [ClientEvent.Room, RoomEvent.Timeline, RoomEvent.Receipt, RoomEvent.MyMembership, RoomEvent.Name,
      RoomStateEvent.Members, RoomStateEvent.Events, MatrixEventEvent.Decrypted]) {
      this.client.on(event, later);
    }
    this.client.on(RoomEvent.MyMembership, (room, membership) => this.#joinIfInvitedByBot(room, membership));
    // A client consenting or let in gets (or brings) a client record: read the records again.
    this.client.on(RoomStateEvent.Members, (event) => {
      if (this.row(event.getRoomId())) {
        this.records.refreshSoon();
      }
    });
    this.records.refresh().catch((error) => console.warn('Praatbrug:', error));
    this.client.getRooms().forEach((room) => this.#joinIfInvitedByBot(room, room.getMyMembership()));
    this.client.on(RoomEvent.Timeline, (event, room, toStart, removed, data) => {
      if (!toStart && data?.liveEvent) {
        this.#signal(event, room).catch(() => {});
      }
    });
    $('new-room').addEventListener('click', () => this.#newRoom());
    $('plan-form').addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#plan();
    });
    this.appointments.refresh().catch((error) => console.warn('Praatbrug:', error));
    // Times pass: an appointment whose slot ended leaves the list.
    setInterval(() => this.appointments.refresh().catch(() => {}), 60_000);
    this.#offerNotifications();
    this.render();
  }

  setLanguage(language) {
    this.view.language = language;
    this.render();
    this.#renderAppointments();
    if (this.said) {
      this.#say(...this.said); // the last word to her, in the new language
    }
  }

  render() {
    clearTimeout(this.renderTimer);
    const rows = this.view.render(this.client.getRooms().filter((room) => room.getMyMembership() === 'join'));
    this.onChange(needingAttention(rows));
    return rows;
  }

  /** The row of `roomId` as last drawn (state, client, ...), or null. */
  row(roomId) {
    return this.view.rows.find((row) => row.roomId === roomId) ?? null;
  }

  #scheduleRender() {
    clearTimeout(this.renderTimer);
    this.renderTimer = setTimeout(() => this.render(), 120);
  }

  #roomsWithoutLink() {
    const links = this.channel.links();
    return this.view.rows.filter((row) => row.state === 'absent' && !links.has(row.roomId)).length;
  }

  /** The bot invites the counsellor into each counselling room it makes for her: go in. */
  #joinIfInvitedByBot(room, membership) {
    const inviter = room.getMember(this.me)?.events.member?.getSender();
    if (membership === 'invite' && inviter === this.bot && room.getJoinRule() === 'knock') {
      this.client.joinRoom(room.roomId).catch(() => {});
    }
  }

  /** A live event that should reach a counsellor who is not looking: a knock, or a client's message. */
  async #signal(event, room) {
    const row = this.row(room.roomId) ?? this.render().find((r) => r.roomId === room.roomId);
    if (!row || event.getSender() === this.me || event.getSender() === this.bot) {
      return;
    }
    if (event.getType() === 'm.room.member') {
      if (event.getContent().membership === 'knock') {
        this.attention.notify('knock', room.roomId, room.name);
      }
      return;
    }
    await this.client.decryptEventIfNeeded(event);
    // Only chat messages (and ones this device cannot read); call signalling is not a message.
    if (event.getType() === 'm.room.message') {
      this.attention.notify('message', room.roomId, room.name);
    }
  }

  #offerNotifications() {
    const offer = $('notify-offer');
    offer.hidden = !this.attention.shouldOffer();
    $('notify-yes').addEventListener('click', async () => {
      const answer = await this.attention.ask();
      offer.hidden = true;
      this.#say(answer === 'granted' ? 'notifyOn' : 'notifyRefused');
    });
    $('notify-no').addEventListener('click', () => {
      this.attention.decline();
      offer.hidden = true;
    });
  }

  #t(key, values) {
    return translate(this.language(), key, values);
  }

  /** Tells the counsellor what happened (announced to screen readers); the bot's own words when it refused. */
  #say(key, values = {}, error = null, reply = null) {
    this.said = [key, values, error, reply];
    const status = $('desk-status');
    status.textContent = this.#t(key, values) + (reply ? ` ${this.#t('deskBotSaid')} “${reply}”` : '');
    status.dataset.kind = error || reply ? 'problem' : 'ok';
    if (error) {
      console.warn('Praatbrug:', error);
    }
  }

  /** Gives one bot command; `done()` says when its effect is visible here. */
  async #command(busyKey, text, done) {
    this.#say(busyKey);
    try {
      await this.channelReady;
      return await this.channel.command(text, done);
    } catch (error) {
      this.#say('deskActionFailed', {}, error);
      return null;
    }
  }

  /** A new room: for a new client, or (`ref`) for the client of an earlier session. */
  async #newRoom(ref = null) {
    const before = new Set(this.view.rows.map((row) => row.roomId));
    const seen = new Set(this.channel.notices().map((event) => event.getId()));
    const outcome = await this.#command('deskBusy', ref ? `!gesprek nieuw voor ${ref}` : '!gesprek nieuw', () => {
      const fresh = this.channel.notices().filter((event) => !seen.has(event.getId()))
        .map((event) => parseCodeNotice(event.getContent().body))
        .find((parsed) => parsed && !before.has(parsed.roomId));
      // Done once the bot's invite brought the counsellor into the room.
      return fresh && this.client.getRoom(fresh.roomId)?.getMyMembership() === 'join' ? fresh : null;
    });
    if (outcome?.ok) {
      const name = this.client.getRoom(outcome.result.roomId)?.name ?? '';
      if (ref) {
        await this.records.refresh().catch(() => {});
      }
      this.render();
      this.#say('deskRoomReady', { room: name });
      document.querySelector(`tr[data-room="${CSS.escape(outcome.result.roomId)}"] [data-action="copy-link"]`)?.focus();
    } else if (outcome) {
      this.#say('deskActionRefused', {}, null, outcome.reply);
    }
  }

  /** The client of an ended session comes back: a new room under the same record (consent once). */
  #nextSession(row) {
    return this.#newRoom(row.record.ref);
  }

  async #label(row) {
    const { ref, label: current } = row.record;
    const typed = await askLabel(document, { title: this.#t('deskLabelTitle', { ref }), current });
    if (typed === null || typed === (current ?? '')) {
      return;
    }
    const outcome = await this.#command('deskBusy', `!cliënt label ${ref} ${typed || '-'}`, null);
    if (!outcome) {
      return;
    }
    await this.records.refresh().catch(() => {});
    this.render();
    const now = this.records.of(row.roomId)?.label ?? null;
    if (now === (typed || null)) {
      this.#say(typed ? 'deskLabelSet' : 'deskLabelRemoved', { ref });
    } else {
      this.#say('deskActionRefused', {}, null, outcome.reply);
    }
  }

  async #copyLink(row, link) {
    try {
      await navigator.clipboard.writeText(link);
      this.#say('deskLinkCopied', { room: row.name });
    } catch {
      // No clipboard (older browser, or not allowed): show the link to copy by hand.
      this.#say('deskLinkShown', { room: row.name, link });
    }
  }

  async #newCode(row) {
    const sure = await confirmAction(document, {
      title: this.#t('deskNewCodeTitle', { room: row.name }),
      text: this.#t('deskNewCodeText'),
      confirm: this.#t('deskNewCodeConfirm'),
      cancel: this.#t('cancel'),
    });
    if (!sure) {
      return;
    }
    const before = this.channel.links().get(row.roomId)?.link;
    const outcome = await this.#command('deskBusy', `!gesprek code ${row.roomId}`, () => {
      const now = this.channel.links().get(row.roomId);
      return now && now.link !== before ? now : null;
    });
    this.#report(outcome, 'deskNewCodeDone', { room: row.name });
  }

  /**
   * Takes a participant out of a family session (call and room); their place is free again.
   * Resolves whether they are out (the bot refuses the room's own client: her session is ended).
   */
  async removeParticipant(roomId, userId, name) {
    const outcome = await this.#command('deskBusy', `!gesprek verwijder ${userId} ${roomId}`,
      () => ['leave', 'ban'].includes(this.#membership(roomId, userId)));
    this.#report(outcome, 'deskRemoved', { name });
    return outcome?.ok === true;
  }

  async #admit(row, knocker) {
    const outcome = await this.#command('deskBusy', `!gesprek toelaten ${knocker.userId} ${row.roomId}`,
      () => ['invite', 'join'].includes(this.#membership(row.roomId, knocker.userId)));
    this.#report(outcome, 'deskAdmitted', { name: knocker.name });
  }

  async #deny(row, knocker) {
    const sure = await confirmAction(document, {
      title: this.#t('deskDenyTitle', { name: knocker.name }),
      text: this.#t('deskDenyText'),
      confirm: this.#t('deskDenyConfirm'),
      cancel: this.#t('cancel'),
    });
    if (!sure) {
      return;
    }
    const outcome = await this.#command('deskBusy', `!gesprek weigeren ${knocker.userId} ${row.roomId}`,
      () => ['leave', 'ban'].includes(this.#membership(row.roomId, knocker.userId)));
    this.#report(outcome, 'deskDenied', { name: knocker.name });
  }

  async #end(row) {
    const sure = await confirmAction(document, {
      title: this.#t('deskEndTitle', { room: row.name }),
      text: this.#t('deskEndText'),
      confirm: this.#t('deskEndConfirm'),
      cancel: this.#t('cancel'),
    });
    if (!sure) {
      return;
    }
    const outcome = await this.#command('deskBusy', `!gesprek einde ${row.roomId}`,
      () => this.client.getRoom(row.roomId)?.getJoinRule() !== 'knock');
    this.#report(outcome, 'deskEnded', { room: row.name });
  }

  #renderAppointments() {
    renderAppointments(document, this.appointments.list, {
      language: this.language(),
      actions: { move: (appointment) => this.#move(appointment), cancel: (appointment) => this.#cancel(appointment) },
    });
  }

  /** `!afspraak <dag> <uur> [duur] [voor C-…]` from the form; the bot checks the time. */
  async #plan() {
    if (this.moving) {
      await this.#moveTo(this.moving);
      return;
    }
    const text = planCommand({
      day: $('plan-day').value, time: $('plan-time').value, length: $('plan-length').value, ref: $('plan-ref').value,
    });
    if (!text) {
      this.#say('deskPlanIncomplete');
      return;
    }
    const seen = new Set(this.channel.notices().map((event) => event.getId()));
    const outcome = await this.#command('deskBusy', text, () => {
      const planned = this.channel.notices().find((event) => !seen.has(event.getId())
        && /Afspraak gepland/.test(event.getContent().body ?? ''));
      const parsed = planned ? parseCodeNotice(planned.getContent().body) : null;
      return parsed && this.client.getRoom(parsed.roomId)?.getMyMembership() === 'join' ? parsed : null;
    });
    if (!outcome) {
      return;
    }
    await this.appointments.refresh().catch(() => {});
    this.render();
    if (outcome.ok) {
      $('plan-form').reset();
      this.#say('deskPlanned', { room: this.client.getRoom(outcome.result.roomId)?.name ?? '' });
    } else {
      this.#say('deskActionRefused', {}, null, outcome.reply);
    }
  }

  /** Moving uses the plan form: its day, time and length become the appointment's new slot. */
  #move(appointment) {
    this.moving = appointment;
    $('plan-submit').textContent = this.#t('deskMoveSubmit', { room: appointment.room_name });
    $('plan-ref').disabled = true;
    $('plan-day').focus();
    this.#say('deskMoveHint', { room: appointment.room_name });
  }

  async #moveTo(appointment) {
    const typed = [$('plan-day').value, $('plan-time').value, $('plan-length').value].join(' ');
    const text = moveCommand(appointment.room_id, typed);
    if (!text) {
      this.#say('deskPlanIncomplete');
      return;
    }
    const before = appointment.starts_at;
    const outcome = await this.#command('deskBusy', text, null);
    if (!outcome) {
      return;
    }
    await this.appointments.refresh().catch(() => {});
    const now = this.appointments.ofRoom(appointment.room_id);
    if (now && now.starts_at !== before) {
      this.moving = null;
      $('plan-form').reset();
      $('plan-ref').disabled = false;
      $('plan-submit').textContent = this.#t('deskPlan');
      this.#say('deskMoved', { room: appointment.room_name });
    } else {
      this.#say('deskActionRefused', {}, null, outcome.reply);
    }
  }

  async #cancel(appointment) {
    const sure = await confirmAction(document, {
      title: this.#t('deskCancelTitle', { room: appointment.room_name }),
      text: this.#t('deskCancelText'),
      confirm: this.#t('deskCancelConfirm'),
      cancel: this.#t('cancel'),
    });
    if (!sure) {
      return;
    }
    const outcome = await this.#command('deskBusy', `!afspraak annuleer ${appointment.room_id}`,
      () => this.client.getRoom(appointment.room_id)?.getJoinRule() !== 'knock');
    await this.appointments.refresh().catch(() => {});
    this.#report(outcome, 'deskCancelled', { room: appointment.room_name });
  }

  #membership(roomId, userId) {
    return this.client.getRoom(roomId)?.getMember(userId)?.membership ?? null;
  }

  #report(outcome, doneKey, values) {
    if (!outcome) {
      return;
    }
    this.render();
    if (outcome.ok) {
      this.#say(doneKey, values);
    } else {
      this.#say(outcome.reply ? 'deskActionRefused' : 'deskActionFailed', {}, null, outcome.reply);
    }
  }
}
