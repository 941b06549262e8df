import { reportQuickExit } from './api.js';
import { translate } from './i18n.js';
import { PinKeeper, PlainKeeper } from './keeper.js';
import { onQuickExit } from './quick-exit.js';

/**
 * What the quick exit does with this conversation, and what stays on this device. A PIN keeps the
 * stored copy sealed (reopening asks the PIN); without one, the copy is wiped; on a device that is
 * not the client's alone nothing was stored, and leaving the page is confirmed first.
 */
export function guardOnThisDevice({ account, keeper, conversation, call, language }) {
  onQuickExit(() => call.stopMedia());
  onQuickExit(() => reportQuickExit(account.accessToken));
  if (keeper instanceof PinKeeper) {
    onQuickExit(() => conversation.client?.stopClient());
  } else if (keeper instanceof PlainKeeper) {
    onQuickExit(() => {
      keeper.forget();
      return conversation.wipe();
    });
  }
  if (keeper.persistent) {
    // The page shell works offline once installed; messages and keys never go through the worker.
    navigator.serviceWorker?.register('./sw.js', { scope: './' }).catch(() => {});
  } else {
    const confirmLeaving = (event) => {
      if (conversation.state !== 'ended') {
        event.preventDefault();
        event.returnValue = translate(language(), 'sharedLeave');
      }
    };
    window.addEventListener('beforeunload', confirmLeaving);
    onQuickExit(() => window.removeEventListener('beforeunload', confirmLeaving));
  }
}

