import { translate } from '../i18n.js';
import { show as showScreen } from '../screens.js';
import {
  PasswordNeeded, RecoveryKeyError, passwordAuth, resetBackup, restoreWithRecoveryKey,
} from './key-backup.js';
import { sasItems } from './sas-names.js';
import { NoBackupKey, verifyWithOtherDevice } from './verify-device.js';

const $ = (id) => document.getElementById(id);

/**
 * Shows a new recovery key once, with what it is for and that nobody can recover it; resolves when
 * the counsellor says she has kept it. The key leaves the page when she continues.
 */
export function showNewRecoveryKey(recoveryKey, language) {
  $('recovery-key').textContent = recoveryKey;
  $('recovery-saved').checked = false;
  $('recovery-continue').disabled = true;
  showScreen(document, 'recovery-new');
  $('recovery-key').focus();
  return new Promise((resolve) => {
    const onCopy = async () => {
      await navigator.clipboard?.writeText(recoveryKey).catch(() => {});
      $('recovery-copy').textContent = translate(language(), 'recoveryCopied');
    };
    const onSaved = () => { $('recovery-continue').disabled = !$('recovery-saved').checked; };
    const onContinue = () => {
      $('recovery-copy').removeEventListener('click', onCopy);
      $('recovery-saved').removeEventListener('change', onSaved);
      $('recovery-continue').removeEventListener('click', onContinue);
      $('recovery-key').textContent = '';
      $('recovery-copy').textContent = translate(language(), 'recoveryCopy');
      resolve();
    };
    $('recovery-copy').addEventListener('click', onCopy);
    $('recovery-saved').addEventListener('change', onSaved);
    $('recovery-continue').addEventListener('click', onContinue);
  });
}

/**
 * Asks for the recovery key in a browser that does not have the keys yet. Resolves `restored`
 * (the earlier conversations are readable), `skipped`, or `reset` (a new recovery key was made and
 * shown; needs the password, `password()` gives it while the page has it).
 */
export function askRecoveryKey(client, keys, { language, password }) {
  const t = (key, values) => translate(language(), key, values);
  const error = $('recovery-error');
  const progress = $('recovery-progress');
  error.hidden = true;
  progress.hidden = true;
  $('recovery-input').value = '';
  resetVerifyBlock();
  showScreen(document, 'recovery-enter');
  $('recovery-input').focus();
  return new Promise((resolve) => {
    const done = (outcome) => {
      $('recovery-form').removeEventListener('submit', onSubmit);
      $('recovery-skip').removeEventListener('click', onSkip);
      $('recovery-reset').removeEventListener('click', onReset);
      $('verify-start').removeEventListener('click', onVerify);
      $('recovery-input').value = '';
      resolve(outcome);
    };
    const onSubmit = async (event) => {
      event.preventDefault();
      error.hidden = true;
      $('recovery-submit').disabled = true;
      progress.textContent = t('recoveryWorking');
      progress.hidden = false;
      try {
        const imported = await restoreWithRecoveryKey(client, keys, $('recovery-input').value,
          (done_, total) => { progress.textContent = t('recoveryProgress', { done: done_, total }); });
        progress.textContent = t('recoveryDone', { count: imported });
        done('restored');
      } catch (failure) {
        progress.hidden = true;
        error.textContent = t(failure instanceof RecoveryKeyError ? `recoveryError_${failure.reason}` : 'recoveryErrorOther');
        error.hidden = false;
        $('recovery-input').focus();
      } finally {
        $('recovery-submit').disabled = false;
      }
    };
    const onSkip = () => done('skipped');
    const onReset = async () => {
      error.hidden = true;
      try {
        const recoveryKey = await resetBackup(client, passwordAuth(client.getUserId(), password()));
        await showNewRecoveryKey(recoveryKey, language);
        done('reset');
      } catch (failure) {
        error.textContent = t(failure instanceof PasswordNeeded ? 'recoveryResetNeedsPassword' : 'recoveryErrorOther');
        error.hidden = false;
        showScreen(document, 'recovery-enter');
      }
    };
    const onVerify = async () => {
      error.hidden = true;
      const status = $('verify-status');
      const say = (key, values) => { status.textContent = t(key, values); status.hidden = false; };
      $('verify-start').disabled = true;
      try {
        const imported = await verifyWithOtherDevice(client, {
          waiting: (cancel) => {
            say('verifyWaiting');
            $('verify-cancel').hidden = false;
            $('verify-cancel').onclick = cancel;
          },
          compare: (emoji, match, mismatch) => {
            $('verify-emoji').replaceChildren(...sasItems(document, emoji, language()));
            $('verify-sas').hidden = false;
            $('verify-status').hidden = true;
            $('verify-match').onclick = () => { $('verify-sas').hidden = true; match(); };
            $('verify-mismatch').onclick = () => { $('verify-sas').hidden = true; mismatch(); };
            $('verify-match').focus();
          },
          receiving: () => {
            $('verify-cancel').hidden = true;
            say('verifyReceiving');
          },
        });
        say('recoveryDone', { count: imported });
        done('restored');
      } catch (failure) {
        console.warn('Praatbrug: verification', failure);
        resetVerifyBlock();
        error.textContent = t(failure instanceof NoBackupKey ? 'verifyNoKey' : 'verifyStopped');
        error.hidden = false;
      }
    };
    $('recovery-form').addEventListener('submit', onSubmit);
    $('verify-start').addEventListener('click', onVerify);
    $('recovery-skip').addEventListener('click', onSkip);
    $('recovery-reset').addEventListener('click', onReset);
  });
}

function resetVerifyBlock() {
  $('verify-start').disabled = false;
  $('verify-status').hidden = true;
  $('verify-sas').hidden = true;
  $('verify-cancel').hidden = true;
  $('verify-emoji').replaceChildren();
}
