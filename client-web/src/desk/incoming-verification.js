import { CryptoEvent, VerificationPhase, VerificationRequestEvent, VerifierEvent } from 'matrix-js-sdk/lib/crypto-api/index.js';
import { translate } from '../i18n.js';
import { sasItems } from './sas-names.js';

const $ = (id) => document.getElementById(id);

/**
 * The other side of "confirm with another device": while the overview is open, a new browser (or
 * app) of the same counsellor that asks to be confirmed shows up here. She accepts, compares the
 * symbols with the ones on the new device, and says whether they match; matrix-js-sdk's crypto then
 * cross-signs the new device and answers its request for the key backup's key. Requests of other
 * people are not shown (the page verifies only her own devices).
 */
export class IncomingVerification {
  constructor(client, { language }) {
    this.client = client;
    this.language = language;
    this.current = null;
  }

  start() {
    this.client.on(CryptoEvent.VerificationRequestReceived, (request) => this.#offer(request));
    $('verify-in-accept').addEventListener('click', () => this.#accept());
    $('verify-in-decline').addEventListener('click', () => this.#stop(true));
  }

  #t(key, values) {
    return translate(this.language(), key, values);
  }

  #offer(request) {
    if (!request.isSelfVerification || request.initiatedByMe) {
      return;
    }
    this.#stop(true);
    this.current = request;
    const onChange = () => {
      if (this.current === request && [VerificationPhase.Cancelled, VerificationPhase.Done].includes(request.phase)) {
        this.#show(request.phase === VerificationPhase.Done ? 'verifyInDone' : 'verifyInCancelled');
        this.current = null;
        request.off(VerificationRequestEvent.Change, onChange);
      }
    };
    request.on(VerificationRequestEvent.Change, onChange);
    this.#show('verifyInAsk', { device: request.otherDeviceId ?? '?' }, { ask: true });
    $('verify-in-accept').focus();
  }

  async #accept() {
    const request = this.current;
    if (!request) {
      return;
    }
    this.#show('verifyInWaiting');
    try {
      await request.accept();
      const verifier = request.verifier ?? await new Promise((resolve, reject) => {
        const check = () => {
          if (request.verifier) {
            request.off(VerificationRequestEvent.Change, check);
            resolve(request.verifier);
          } else if (request.phase === VerificationPhase.Cancelled) {
            request.off(VerificationRequestEvent.Change, check);
            reject(new Error('cancelled'));
          }
        };
        request.on(VerificationRequestEvent.Change, check);
      });
      verifier.on(VerifierEvent.ShowSas, (sas) => this.#compare(sas));
      await verifier.verify();
    } catch (error) {
      console.warn('Praatbrug: incoming verification', error);
    }
  }

  #compare(sas) {
    $('verify-in-emoji').replaceChildren(...sasItems(document, sas.sas.emoji ?? [], this.language()));
    this.#show('verifyCompare', {}, { compare: true });
    $('verify-in-match').onclick = () => { this.#show('verifyInWaiting'); sas.confirm(); };
    $('verify-in-mismatch').onclick = () => { sas.mismatch(); };
    $('verify-in-match').focus();
  }

  #show(key, values = {}, { ask = false, compare = false } = {}) {
    $('verify-in').hidden = false;
    $('verify-in-text').textContent = this.#t(key, values);
    $('verify-in-ask').hidden = !ask;
    $('verify-in-sas').hidden = !compare;
  }

  #stop(cancel) {
    if (cancel && this.current && this.current.phase !== VerificationPhase.Done) {
      this.current.cancel().catch(() => {});
    }
    this.current = null;
    $('verify-in').hidden = true;
  }
}
