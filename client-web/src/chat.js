import { INLINE_IMAGES, fetchLimits, isFile, loadFile, refusal, sendFile } from './attachments.js';
import { translate } from './i18n.js';

/**
 * The chat view: messages (inserted as text, never HTML), our own messages' read state, the other
 * side's typing indicator, and the composer. Messages are drawn from the SDK's memory only; nothing
 * is written to browser storage.
 */
export class ChatView {
  constructor(document, conversation, language) {
    this.document = document;
    this.conversation = conversation;
    this.language = language;
    this.list = document.getElementById('messages');
    this.typing = document.getElementById('typing');
    this.input = document.getElementById('message');
    this.items = new Map();
    this.typingTimer = null;
    /** Decrypted files by event key, as object URLs in this tab's memory (or a failure). */
    this.files = new Map();
    this.limits = null;
  }

  bind() {
    const form = this.document.getElementById('composer');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#send();
    });
    this.input.addEventListener('keydown', (event) => {
      // Enter sends; Shift+Enter makes a new line (as in most chat apps).
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        this.#send();
      }
    });
    this.input.addEventListener('input', () => {
      this.conversation.setTyping(this.input.value.length > 0);
      clearTimeout(this.typingTimer);
      this.typingTimer = setTimeout(() => this.conversation.setTyping(false), 4000);
    });
    this.#bindAttachments();
    this.conversation.addEventListener('message', (event) => this.show(event.detail));
    this.conversation.addEventListener('typing', (event) => this.#showTyping(event.detail));
    this.conversation.addEventListener('receipt', () => this.#refreshReadMarks());
    this.document.addEventListener('visibilitychange', () => this.#markLatestRead());
  }

  setLanguage(language) {
    this.language = language;
    this.showAll(this.conversation.messages());
  }

  /** Draws many messages (the history) at once; read marks and our read receipt follow once. */
  showAll(events) {
    events.forEach((event) => this.#draw(event));
    this.#afterDrawing(events.some((event) => event.getSender() !== this.conversation.account.userId));
  }

  /** Draws (or redraws, once decrypted) one message. */
  show(event) {
    if (this.#draw(event)) {
      this.#afterDrawing(event.getSender() !== this.conversation.account.userId);
    }
  }

  #afterDrawing(theirs) {
    this.#refreshReadMarks();
    this.list.scrollTop = this.list.scrollHeight;
    if (theirs) {
      this.#markLatestRead();
    }
  }

  /** Puts one message in the list; false when it is still being decrypted. */
  #draw(event) {
    const content = event.getContent();
    // A message this device cannot decrypt comes as m.room.message with an SDK error text: say it
    // in the page's own words instead.
    const failed = event.isDecryptionFailure() || content.msgtype === 'm.bad.encrypted';
    const decrypted = event.getType() === 'm.room.message' && !failed;
    if (!decrypted && !failed) {
      return false; // still being decrypted; drawn when the SDK says it is done
    }
    let item = this.items.get(keyOf(event));
    if (!item) {
      item = this.document.createElement('li');
      item.dataset.ts = String(event.getTs());
      this.items.set(keyOf(event), item);
      // In time order: earlier history (read further back) comes in after later messages.
      const later = [...this.list.children].find((other) => Number(other.dataset.ts) > event.getTs());
      this.list.insertBefore(item, later ?? null);
    }
    const mine = event.getSender() === this.conversation.account.userId;
    item.className = mine ? 'message mine' : 'message theirs';
    item.dataset.encrypted = String(event.isEncrypted());
    const who = this.document.createElement('span');
    who.className = 'who';
    who.textContent = mine ? translate(this.language, 'you') : (event.sender?.name ?? translate(this.language, 'counsellor'));
    const body = this.document.createElement('p');
    body.className = 'body';
    if (decrypted && isFile(content)) {
      this.#drawFile(body, keyOf(event), content);
    } else {
      body.textContent = decrypted ? String(content.body ?? '') : translate(this.language, 'notDecrypted');
    }
    const meta = this.document.createElement('span');
    meta.className = 'meta';
    meta.textContent = new Date(event.getTs()).toLocaleTimeString(this.language === 'en' ? 'en-GB' : 'nl-BE', { hour: '2-digit', minute: '2-digit' });
    item.replaceChildren(who, body, meta);
    if (mine) {
      const read = this.document.createElement('span');
      read.className = 'read';
      item.append(read);
    }
    return true;
  }

  /** The paperclip: check the file against the room's limits, then encrypt, upload and send it. */
  #bindAttachments() {
    const input = this.document.getElementById('attach');
    const status = this.document.getElementById('attach-status');
    if (!input || !status) {
      return;
    }
    const say = (key, values) => {
      status.hidden = !key;
      status.textContent = key ? translate(this.language, key, values) : '';
      status.dataset.key = key ?? '';
    };
    void fetchLimits(this.document.baseURI, this.conversation.account.roomId).then((limits) => {
      this.limits = limits;
      if (limits) {
        input.accept = limits.types.join(',');
      }
    });
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      input.value = '';
      if (!file) {
        return;
      }
      const refused = refusal(file, this.limits);
      if (refused) {
        say(refused.key, refused.values);
        return;
      }
      say('attachSending');
      try {
        await sendFile({ client: this.conversation.client, account: this.conversation.account,
          baseUri: this.document.baseURI, file });
        say(null);
      } catch (error) {
        console.warn('Praatbrug: sending a file failed', error?.message);
        say('attachFailed');
      }
    });
  }

  /** A file in a message: a picture shown inline, any other file a button that opens it. */
  #drawFile(body, key, content) {
    const name = String(content.body ?? content.filename ?? '');
    const type = content.info?.mimetype ?? content.file?.mimetype ?? '';
    const loaded = this.files.get(key);
    if (loaded?.failed) {
      body.textContent = translate(this.language, 'fileGone');
      body.dataset.file = 'gone';
      return;
    }
    if (INLINE_IMAGES.includes(type)) {
      if (!loaded) {
        body.textContent = translate(this.language, 'fileLoading');
        this.#load(key, content);
        return;
      }
      const image = this.document.createElement('img');
      image.className = 'attachment';
      image.src = loaded.url;
      image.alt = translate(this.language, 'imageAlt', { name });
      body.replaceChildren(image);
      body.dataset.file = 'image';
      return;
    }
    const open = this.document.createElement('button');
    open.type = 'button';
    open.className = 'secondary attachment-open';
    open.textContent = `📄 ${translate(this.language, 'fileOpen', { name })}`;
    open.addEventListener('click', async () => {
      const file = this.files.get(key) ?? await this.#load(key, content);
      if (file?.url) {
        const link = Object.assign(this.document.createElement('a'), {
          href: file.url, target: '_blank', rel: 'noopener', download: name,
        });
        link.click();
      }
    });
    body.replaceChildren(open);
    body.dataset.file = 'file';
  }

  /** Downloads and decrypts once, then redraws the message. */
  async #load(key, content) {
    const { homeserver, accessToken } = this.conversation.account;
    let file;
    try {
      const blob = await loadFile({ homeserver, accessToken, content });
      file = { url: URL.createObjectURL(blob) };
    } catch {
      file = { failed: true };
    }
    this.files.set(key, file);
    const event = this.conversation.messages().find((candidate) => keyOf(candidate) === key);
    if (event) {
      this.#draw(event);
    }
    return file;
  }

  async #send() {
    const text = this.input.value.trim();
    if (!text) {
      return;
    }
    this.input.value = '';
    clearTimeout(this.typingTimer);
    this.conversation.setTyping(false);
    await this.conversation.send(text);
  }

  #showTyping(names) {
    this.typing.hidden = names.length === 0;
    this.typing.textContent = names.length ? translate(this.language, 'typing', { name: names.join(', ') }) : '';
  }

  /** "Read" under our messages the other side has read up to. */
  #refreshReadMarks() {
    for (const event of this.conversation.messages()) {
      const item = this.items.get(keyOf(event));
      const mark = item?.querySelector('.read');
      if (mark) {
        const read = this.conversation.readByOther(event);
        mark.textContent = read ? `✓ ${translate(this.language, 'read')}` : '';
        item.dataset.read = String(read);
      }
    }
  }

  #markLatestRead() {
    // Not while the tab is hidden, nor once this chat is no longer on the page (another room).
    if (this.document.visibilityState !== 'visible' || !this.list.isConnected) {
      return;
    }
    const theirs = this.conversation.messages()
      .filter((event) => event.getSender() !== this.conversation.account.userId);
    const latest = theirs[theirs.length - 1];
    if (latest && latest !== this.lastMarked) {
      this.lastMarked = latest;
      this.conversation.markRead(latest);
    }
  }
}

/**
 * One list item per message: our own message is first a local echo with a temporary id, then the
 * server's copy (decrypted as a separate object); both carry our transaction id.
 */
function keyOf(event) {
  return event.getUnsigned()?.transaction_id ?? event.getTxnId?.() ?? event.getId();
}
