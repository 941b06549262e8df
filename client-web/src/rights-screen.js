import { myRecord, withdrawConsent } from './api.js';
import { translate } from './i18n.js';
import { renderRights } from './rights.js';

/**
 * The "Your data" screen: what the organisation keeps, whom to ask for a correction or erasure,
 * and withdrawing consent, as easily as it was given. `page` is main.js's `{ document, language(),
 * setRedraw(fn), show(screen) }`; `on` says what the conversation does on back and withdrawal.
 */
export function bindRights(page, account, on) {
  const { document } = page;
  const $ = (id) => document.getElementById(id);
  const t = (key) => translate(page.language(), key);
  const open = async () => {
    $('rights-body').hidden = true;
    $('withdraw-confirm').hidden = true;
    $('withdraw-error').hidden = true;
    $('rights-status').hidden = false;
    page.setRedraw(() => { $('rights-status').textContent = t('rightsLoading'); });
    page.show('rights');
    try {
      const summary = await myRecord(account.accessToken);
      page.setRedraw(() => renderRights(document, summary, page.language()));
      $('rights-status').hidden = true;
      $('rights-body').hidden = false;
    } catch {
      page.setRedraw(() => { $('rights-status').textContent = t('rightsFailed'); });
    }
  };
  $('rights-open').onclick = open;
  $('rights-open-waiting').onclick = open;
  $('rights-back').onclick = () => on.back();
  $('withdraw').onclick = () => {
    $('withdraw-confirm').hidden = false;
    $('withdraw-yes').focus();
  };
  $('withdraw-no').onclick = () => {
    $('withdraw-confirm').hidden = true;
    $('withdraw').focus();
  };
  $('withdraw-yes').onclick = async () => {
    $('withdraw-yes').disabled = true;
    on.withdrawing();
    try {
      await withdrawConsent(account.accessToken);
      await on.withdrawn();
    } catch {
      on.failed();
      $('withdraw-error').textContent = t('withdrawFailed');
      $('withdraw-error').hidden = false;
    } finally {
      $('withdraw-yes').disabled = false;
    }
  };
}
