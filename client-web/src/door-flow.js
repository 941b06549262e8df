import { RoomStateEvent } from 'matrix-js-sdk';
import { EntryError } from './api.js';
import { checkForm, renderConsentText } from './consent.js';
import { doorStatus, enterLine, leaveLine, leaveLineAsPageCloses, ticketState } from './door-api.js';
import { consentForDoor, renderCrisis, renderDoor, renderLine, renderLineGone } from './door-screens.js';
import {
  LINE_WAIT_MS, POLL_MS, accountFromTaken, checkQuestion, doorView, lineRecord, questionDue, withoutQuestion,
} from './door.js';
import { applyLanguage, translate } from './i18n.js';
import { normaliseCode } from './stored.js';
import { onQuickExit } from './quick-exit.js';

/**
 * The door on the client page (issue #27): `/binnen/` without a code. The person reads who answers,
 * the wait, what is kept and the crisis numbers; chooses what this device may keep (as with a
 * link); consents with a nickname and writes a first question, which stays in this browser; waits
 * in the line (the bridge answers the page's ask as soon as the line changes; kept across sittings
 * by the same keeper as a conversation); and,
 * once a counsellor took the ticket, becomes the same E2EE Matrix client as after a link (`enter`),
 * joining the room it is invited to. The question goes out only when that counsellor has joined.
 *
 * `page` is main.js's side: `{ document, storage, language(), setRedraw(fn), show(screen),
 * askDevice(), enter(account, keeper) }`.
 */

let chosenKeeper = null;

/** Shows the door; false when this organisation has no door (or the bridge did not answer). */
export async function openDoor(page) {
  let status;
  try {
    status = await doorStatus();
  } catch {
    return false;
  }
  if (doorView(status).kind === 'disabled') {
    return false;
  }
  const { document } = page;
  const $ = (id) => document.getElementById(id);
  document.getElementById('organisation').textContent = (status.organisation ?? '').toUpperCase();
  page.setRedraw(() => renderDoor(document, status, page.language()));
  $('door-start').onclick = async () => {
    // Asked once per visit: the device screen is not shown again when the door is opened anew.
    chosenKeeper ??= await page.askDevice();
    askQuestion(page, status, chosenKeeper);
  };
  $('door-code-form').onsubmit = (event) => {
    event.preventDefault();
    const code = normaliseCode($('door-code-input').value);
    $('door-code-error').hidden = Boolean(code);
    $('door-code-error').textContent = code ? '' : translate(page.language(), 'doorCodeMissing');
    if (code) {
      // The link's own way in (a code in the #fragment), on the page without ?deur.
      window.location.assign(`${window.location.pathname}#${code}`);
    }
  };
  page.show('door');
  return true;
}

/** The consent screen with a nickname and the first question; on agreeing, into the line. */
function askQuestion(page, status, keeper) {
  const { document } = page;
  const $ = (id) => document.getElementById(id);
  consentForDoor(document);
  applyLanguage(document, page.language());
  let consent = status.consent;
  page.setRedraw(() => {
    $('consent-text').replaceChildren(renderConsentText(document, consent.texts[page.language()] ?? consent.texts.nl));
  });
  const problem = (id, key) => {
    $(id).hidden = !key;
    $(id).textContent = key ? translate(page.language(), key) : '';
  };
  $('consent-form').onsubmit = async (event) => {
    event.preventDefault();
    const checked = checkForm({ name: $('name').value, under12: false, agreed: $('agreed').checked });
    const asked = checkQuestion($('question').value);
    problem('name-error', checked.errors.name);
    problem('question-error', asked.error);
    problem('agreed-error', checked.errors.agreed);
    problem('form-error', null);
    const first = ['name', 'question', 'agreed'].find((field) => $(`${field}-error`).textContent);
    if (first) {
      $(first).focus();
      return;
    }
    $('consent-submit').disabled = true;
    const language = consent.texts[page.language()] ? page.language() : 'nl';
    // A quick exit while the place is being made: the place is given up as soon as it exists.
    let fled = false;
    const forgetFlight = onQuickExit(() => { fled = true; });
    try {
      const { ticket, number } = await enterLine({ nickname: checked.name, consentVersion: consent.version, language });
      if (fled) {
        leaveLineAsPageCloses(ticket);
        return;
      }
      const record = lineRecord({
        ticket, number, nickname: checked.name, question: asked.question, organisation: status.organisation, language: page.language(),
      });
      $('question').value = '';
      await keeper.save(record);
      waitInLine(page, record, keeper);
      forgetFlight();
    } catch (error) {
      forgetFlight();
      $('consent-submit').disabled = false;
      const errcode = error instanceof EntryError ? error.errcode : 'NETWORK';
      if (errcode === 'BE.PRAATBRUG.DOOR_CLOSED') {
        // Closed (or full) meanwhile: the door says why; what was typed stays in this tab only.
        await openDoor(page);
      } else if (errcode === 'BE.PRAATBRUG.CONSENT_OUTDATED') {
        consent = (await doorStatus().catch(() => status)).consent;
        page.setRedraw(() => {
          $('consent-text').replaceChildren(renderConsentText(document, consent.texts[page.language()] ?? consent.texts.nl));
        });
        problem('form-error', 'errorConsentChanged');
      } else if (errcode === 'M_INVALID_PARAM') {
        problem('name-error', 'errorNameInvalid');
      } else if (errcode === 'M_LIMIT_EXCEEDED') {
        problem('form-error', 'problemThrottledText');
      } else {
        problem('form-error', 'errorNetwork');
      }
    }
  };
  page.show('consent');
  $('name').focus();
}

/**
 * The waiting line: the place asked again and again (each ask held by the bridge until the line
 * changes, at most 20 s) until a counsellor takes the ticket, the person
 * leaves, or the ticket is gone. The quick exit leaves the line and forgets the ticket on any
 * device: whoever fled cannot answer a counsellor who takes them a minute later.
 */
export function waitInLine(page, record, keeper) {
  const { document } = page;
  const $ = (id) => document.getElementById(id);
  const ticket = record.door.ticket;
  let last = { number: record.door.number };
  let problem = false;
  let timer = null;
  let stopped = false;
  const cleanups = [onQuickExit(() => {
    stop();
    leaveLineAsPageCloses(ticket);
    keeper.forget();
  })];
  if (!keeper.persistent) {
    // Nothing is kept: closing the tab loses the place, so ask first, and free the place if so.
    const confirm = (event) => {
      event.preventDefault();
      event.returnValue = translate(page.language(), 'lineNextShared');
    };
    const gone = () => leaveLineAsPageCloses(ticket);
    window.addEventListener('beforeunload', confirm);
    window.addEventListener('pagehide', gone);
    cleanups.push(() => window.removeEventListener('beforeunload', confirm),
      () => window.removeEventListener('pagehide', gone));
  }
  function stop() {
    stopped = true;
    clearTimeout(timer);
    cleanups.splice(0).forEach((cleanup) => cleanup());
  }
  const draw = () => renderLine(document, last, page.language(), { persistent: keeper.persistent, problem });
  const gone = (left) => {
    stop();
    keeper.forget();
    page.setRedraw(() => renderLineGone(document, page.language(), left));
    $('line-again').onclick = () => window.location.assign(`${window.location.pathname}?deur`);
    page.show('line-gone');
  };
  async function poll() {
    let next = 0;
    try {
      const state = await ticketState(ticket, last.version === undefined ? {} : { after: last.version, waitMs: LINE_WAIT_MS });
      if (stopped) {
        return;
      }
      problem = false;
      if (state.state === 'taken') {
        // The line's quick exit (forget what this device keeps) stays until the conversation's own
        // guard took over: a flight in between must not leave the device's token behind.
        stopped = true;
        clearTimeout(timer);
        const account = accountFromTaken(record, state);
        await keeper.save(account);
        await page.enter(account, keeper);
        stop();
        return;
      }
      last = state;
      // Another tab of this device asks for the same ticket now: this one asks less often.
      next = state.displaced ? POLL_MS : 0;
    } catch (error) {
      if (stopped) {
        return;
      }
      if (error instanceof EntryError && error.status === 404) {
        gone(false);
        return;
      }
      problem = true;
      next = POLL_MS;
    }
    draw();
    timer = setTimeout(poll, next);
  }
  $('line-leave').onclick = async () => {
    $('line-leave').disabled = true;
    stop();
    await leaveLine(ticket).catch(() => leaveLineAsPageCloses(ticket));
    gone(true);
  };
  // The crypto module takes a moment to load and compile: do it while waiting, not after the take.
  import('@matrix-org/matrix-sdk-crypto-wasm').then((wasm) => wasm.initAsync()).catch(() => {});
  doorStatus().then((status) => renderCrisis(document, $('line-crisis'), status.crisis)).catch(() => {});
  page.setRedraw(draw);
  page.show('line');
  void poll();
}

/**
 * After a take, in the room: says that a counsellor is taking the question, and sends the kept
 * question (once, encrypted, under its own transaction id) as soon as the counsellor who took the
 * ticket has joined; then forgets it. `note` shows a words key to the person.
 */
export function deliverQuestion(conversation, account, keeper, note) {
  if (!account.door?.question) {
    return;
  }
  note('doorQuestionPending');
  let sending = false;
  const check = async () => {
    const room = conversation.room;
    if (sending || conversation.state !== 'joined' || !room) {
      return;
    }
    const question = questionDue(account, room.getMember(account.door.counsellorId)?.membership);
    if (!question) {
      return;
    }
    sending = true;
    console.debug('praatbrug: door question going out');
    try {
      await conversation.client.sendMessage(account.roomId, { msgtype: 'm.text', body: question }, account.door.txn);
    } catch (error) {
      sending = false;
      console.warn('Praatbrug: the question was not sent yet', error);
      return;
    }
    conversation.client.off(RoomStateEvent.Members, check);
    clearInterval(timer);
    Object.assign(account, withoutQuestion(account));
    await keeper.save(account);
    note('doorQuestionSent');
  };
  const timer = setInterval(check, 1000); // a lost event, or a failed send, is tried again
  let listening = false;
  conversation.addEventListener('state', () => {
    if (conversation.state === 'joined' && !listening) {
      listening = true;
      conversation.client.on(RoomStateEvent.Members, check);
      void check();
    } else if (conversation.state === 'ended') {
      clearInterval(timer);
    }
  });
}
