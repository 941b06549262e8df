import { VerificationPhase, VerificationRequestEvent, VerifierEvent } from 'matrix-js-sdk/lib/crypto-api/index.js';

/** The verification was cancelled (on either device), or the symbols did not match. */
export class VerificationStopped extends Error {}

/** Verified, but the other device did not pass on the key backup's key in time. */
export class NoBackupKey extends Error {}

/**
 * The other way into a new browser: one of the counsellor's devices that can already read her
 * conversations (Element on her phone, or this page in another browser) confirms this one by
 * comparing emoji (SAS, all through matrix-js-sdk's crypto API). Once confirmed, that device
 * cross-signs this one and hands over the key backup's key (secret sharing between one's own
 * verified devices); the page then restores the backup. Returns how many keys came back.
 *
 * `ui`: `waiting(cancel)` while the other device has not accepted, `compare(emoji, match, mismatch)`
 * with `[symbol, name]` pairs, `receiving()` once confirmed.
 */
export async function verifyWithOtherDevice(client, ui, { keyTimeoutMs = 60_000 } = {}) {
  const crypto = client.getCrypto();
  const request = await crypto.requestOwnUserVerification();
  ui.waiting(() => request.cancel().catch(() => {}));
  await phaseReached(request, VerificationPhase.Ready);
  const verifier = request.verifier ?? await request.startVerification('m.sas.v1');
  verifier.on(VerifierEvent.ShowSas, (sas) => {
    ui.compare(sas.sas.emoji ?? [], () => sas.confirm(), () => sas.mismatch());
  });
  try {
    await verifier.verify();
  } catch (error) {
    throw new VerificationStopped(error?.message ?? 'cancelled');
  }
  ui.receiving();
  const deadline = Date.now() + keyTimeoutMs;
  let asked = false;
  while (!(await crypto.getSessionBackupPrivateKey())) {
    if (!asked && Date.now() > deadline - keyTimeoutMs + 2_000) {
      // matrix-js-sdk does not ask for the secrets after a verification of one's own device (the
      // Rust machine can, through `requestMissingSecretsIfNeeded`); ask once, and send at once.
      asked = true;
      await crypto.olmMachine?.requestMissingSecretsIfNeeded?.().catch(() => false);
      await crypto.outgoingRequestsManager?.doProcessOutgoingRequests?.().catch(() => {});
    }
    if (Date.now() > deadline) {
      throw new NoBackupKey('no backup key from the other device');
    }
    await new Promise((resolve) => { setTimeout(resolve, 500); });
  }
  await crypto.checkKeyBackupAndEnable();
  const result = await crypto.restoreKeyBackup();
  return result.imported;
}

/** Resolves once `request` reached `phase` (or went past it); rejects when it was cancelled. */
function phaseReached(request, phase) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (request.phase === VerificationPhase.Cancelled) {
        request.off(VerificationRequestEvent.Change, check);
        reject(new VerificationStopped('cancelled'));
      } else if (request.phase >= phase) {
        request.off(VerificationRequestEvent.Change, check);
        resolve();
      }
    };
    request.on(VerificationRequestEvent.Change, check);
    check();
  });
}
