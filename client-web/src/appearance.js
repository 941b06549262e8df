import { setExitUrl } from './quick-exit.js';

/**
 * The page's name on a phone that may not be the client's alone: the tab title, the header and the
 * installed app say what the organisation configured (`entry.app_name`, neutral "Chat" by
 * default), never "counselling" or the organisation. The bridge serves it in `appearance.json`
 * with the quick exit's site; without an answer (offline) the neutral defaults stay.
 */
let appName = 'Chat';
let unread = 0;

export async function loadAppearance(document) {
  try {
    const response = await fetch('./appearance.json', { cache: 'no-store', credentials: 'omit' });
    const appearance = await response.json();
    if (typeof appearance.name === 'string' && appearance.name.trim()) {
      appName = appearance.name.trim();
    }
    setExitUrl(appearance.exit_url);
  } catch {
    // offline: the built-in neutral name and exit site
  }
  document.getElementById('brand').textContent = appName;
  showTitle(document);
}

function showTitle(document) {
  document.title = unread > 0 ? `(${unread}) ${appName}` : appName;
}

/**
 * While the page is out of sight, a message from the counsellor shows only as a count in the tab
 * title ("(1) Chat"): no text, no sender, no system notification.
 */
export function countUnseen(document, conversation) {
  const counted = new Set(); // an event comes once live and once more when decrypted
  conversation.addEventListener('message', (event) => {
    const message = event.detail;
    if (document.hidden && message.getSender() !== conversation.account.userId
        && message.getTs() > Date.now() - 60_000 && !counted.has(message.getId())) {
      counted.add(message.getId());
      unread += 1;
      showTitle(document);
    }
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && unread > 0) {
      unread = 0;
      showTitle(document);
    }
  });
}
