/**
 * The one conversation this browser takes part in, kept in localStorage so that a refresh or a
 * closed tab brings the client back to the same place (same device, same knock). Only the account
 * details live here; encryption keys live in the Matrix SDK's IndexedDB store, messages nowhere.
 * Wiped when the conversation ends.
 */
const KEY = 'praatbrug.conversation';

export function loadConversation(storage) {
  try {
    const value = JSON.parse(storage.getItem(KEY) ?? 'null');
    // A conversation's account, or a place in the door's waiting line (a ticket, no account yet).
    const account = value && value.userId && value.accessToken && value.roomId;
    return account || value?.door?.ticket ? value : null;
  } catch {
    return null;
  }
}

export function saveConversation(storage, conversation) {
  storage.setItem(KEY, JSON.stringify(conversation));
}

export function forgetConversation(storage) {
  storage.removeItem(KEY);
}

/**
 * Whether a stored conversation belongs to the link being opened. A link without a code (e.g. the
 * installed app's start page) resumes whatever is stored.
 */
export function belongsTo(conversation, code) {
  return Boolean(conversation) && (!code || normaliseCode(code) === conversation.code);
}

export function normaliseCode(code) {
  return (code ?? '').replace(/[\s-]/g, '').toUpperCase();
}

/** The code from the page's #fragment; fragments never reach the server or its logs. */
export function codeFromHash(hash) {
  const code = normaliseCode(decodeURIComponent((hash ?? '').replace(/^#/, '')));
  return code || null;
}
