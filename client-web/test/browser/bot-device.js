// The bot's own end-to-end encryption device (pure Java, bridge package e2ee) as the counsellor's
// client sees it: matrix-js-sdk with the Rust crypto, the library Element is built on.
import { EventShieldColour, EventShieldReason } from 'matrix-js-sdk/lib/crypto-api/index.js';
import { assert } from './checks.js';

const BOT = '@praatbrug:caw.test';

/**
 * A command typed in an encrypted direct chat while the bridge is down. Its room key travels as a
 * to-device message, which Synapse does not resend once the bridge is back; the event itself it
 * does resend. The bot must then ask the counsellor's devices for the key (m.room_key_request),
 * take the forwarded key, read the command and answer, encrypted, from a device its owner signed:
 * Element shows such a message without a warning shield.
 */
export async function encryptedCommandAcrossDowntime({ env, counsellor }) {
  const roomId = await counsellor.encryptedChatWithBot();
  await env.stopBridge();
  const before = Date.now();
  await counsellor.say(roomId, '!hulp');
  // Long enough for Synapse's first delivery attempt (to-device room key included) to fail.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await env.startBridgeAgain();
  const answer = await counsellor.waitForEvent(roomId, (e) => e.getSender() === BOT && e.getTs() >= before
    && e.getType() === 'm.room.message' && /commands/.test(e.getContent().body ?? ''), 'the answer to !hulp', 90_000);
  const recovery = Date.now() - before;
  assert(answer.isEncrypted(), 'the answer was not encrypted');
  const log = env.bridgeLog();
  assert(/asked the sender's devices for the missing key/.test(log), 'the bridge did not ask for the missing room key');
  assert(/forwarded room key of session \S+ accepted/.test(log), 'the key did not come as the answer to the request');

  const crypto = counsellor.client.getCrypto();
  const info = await crypto.getEncryptionInfoForEvent(answer);
  assert(info?.shieldColour === EventShieldColour.NONE,
    `Element would show a shield on the bot's answer: colour ${info?.shieldColour}, reason ${EventShieldReason[info?.shieldReason]}`);
  const devices = await crypto.getUserDeviceInfo([BOT], true);
  const botDevices = [...(devices.get(BOT)?.keys() ?? [])];
  assert(botDevices.length === 1, `the bot has ${botDevices.length} devices`);
  const status = await crypto.getDeviceVerificationStatus(BOT, botDevices[0]);
  assert(status?.signedByOwner, 'the bot device is not signed by its owner (cross-signing)');
  return `command sent while down read and answered ${recovery} ms after sending`;
}

/**
 * The same, but no device of the counsellor answers the key request (as when all of them are
 * offline): the bot cannot read the command, ever, and says so in the chat instead of leaving the
 * counsellor waiting. The test switches key forwarding off in the counsellor's own crypto machine.
 */
export async function unreadableCommandIsReported({ env, counsellor }) {
  const roomId = await counsellor.encryptedChatWithBot();
  const machine = counsellor.client.getCrypto().olmMachine;
  assert(typeof machine?.roomKeyForwardingEnabled === 'boolean', 'no handle on the counsellor\'s crypto machine');
  await env.stopBridge();
  const before = Date.now();
  machine.roomKeyForwardingEnabled = false;
  try {
    await counsellor.say(roomId, '!hulp');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await env.startBridgeAgain();
    const notice = await counsellor.waitForEvent(roomId, (e) => e.getSender() === BOT && e.getTs() >= before
      && e.getType() === 'm.room.message' && /niet lezen/.test(e.getContent().body ?? ''), 'the bot saying it could not read', 90_000);
    assert(notice.isEncrypted(), 'the notice was not encrypted');
    assert(/could not read your encrypted message/.test(notice.getContent().body), notice.getContent().body);
    const answered = counsellor.client.getRoom(roomId).getLiveTimeline().getEvents()
      .some((e) => e.getSender() === BOT && e.getTs() >= before && /commands/.test(e.getContent().body ?? ''));
    assert(!answered, 'the bot answered a command it says it could not read');
    return `told after ${Date.now() - before} ms that the command could not be read`;
  } finally {
    machine.roomKeyForwardingEnabled = true;
  }
}
