import { describe, expect, it } from 'vitest';
import { deliverQuestion } from '../../src/door-flow.js';
import { accountFromTaken, lineRecord } from '../../src/door.js';

/** A conversation as deliverQuestion sees it: its state, the room's members, and the client. */
function fakeConversation() {
  const members = new Map();
  const listeners = new Map();
  const sent = [];
  const conversation = new EventTarget();
  Object.assign(conversation, {
    state: 'connecting',
    room: { getMember: (userId) => (members.has(userId) ? { membership: members.get(userId) } : null) },
    client: {
      on: (event, listener) => listeners.set(event, listener),
      off: (event) => listeners.delete(event),
      sendMessage: async (roomId, content, txn) => { sent.push({ roomId, body: content.body, txn }); },
    },
    setState(state) {
      this.state = state;
      this.dispatchEvent(new CustomEvent('state', { detail: state }));
    },
    async member(userId, membership) {
      members.set(userId, membership);
      await listeners.get('RoomState.members')?.();
    },
  });
  return { conversation, sent };
}

const TAKEN = {
  state: 'taken', user_id: '@praatbrug_guest_1:caw.test', device_id: 'DEV1', access_token: 't', homeserver: 'http://hs',
  room_id: '!kamer:caw.test', counsellor_id: '@eva:caw.test',
};

describe('the kept question', () => {
  it('waits while the counsellor is only invited, goes out once when she joined, and is then forgotten', async () => {
    const account = accountFromTaken(lineRecord({
      ticket: 'T', number: 3, nickname: 'Lotte', question: 'Mag ik iets vragen?', organisation: 'caw', language: 'nl',
    }), TAKEN);
    const saved = [];
    const notes = [];
    const { conversation, sent } = fakeConversation();
    deliverQuestion(conversation, account, { save: async (kept) => saved.push(JSON.parse(JSON.stringify(kept))) },
      (key) => notes.push(key));
    expect(notes).toEqual(['doorQuestionPending']);
    conversation.setState('joined');
    await conversation.member('@eva:caw.test', 'invite');
    await conversation.member('@jan:caw.test', 'join'); // someone else joining is not enough
    expect(sent).toEqual([]);
    await conversation.member('@eva:caw.test', 'join');
    await new Promise((resolve) => setTimeout(resolve, 0));
    await conversation.member('@eva:caw.test', 'join');
    expect(sent).toEqual([{ roomId: '!kamer:caw.test', body: 'Mag ik iets vragen?', txn: expect.stringMatching(/^door-/) }]);
    expect(account.door.question).toBeUndefined();
    expect(JSON.stringify(saved.at(-1))).not.toContain('Mag ik');
    expect(notes).toEqual(['doorQuestionPending', 'doorQuestionSent']);
    conversation.setState('ended'); // stops the fallback timer
  });

  it('does nothing for an account without a kept question', () => {
    const { conversation } = fakeConversation();
    const notes = [];
    deliverQuestion(conversation, { door: { number: 3 } }, { save() {} }, (key) => notes.push(key));
    expect(notes).toEqual([]);
  });
});
