/**
 * The widget's start parameters, from its URL.
 *
 * The host client fills in the template variables of the widget URL (`$matrix_user_id`, ...) and
 * adds `widgetId` and `parentUrl`; see the bridge's CallWidgetState for the URL it publishes.
 */
export function readParams(search) {
  const query = new URLSearchParams(search);
  const get = (name) => filled(query.get(name));
  return {
    widgetId: get('widgetId'),
    clientOrigin: originOf(get('parentUrl')),
    userId: get('userId') ?? '',
    displayName: get('displayName') ?? get('userId') ?? '',
    roomId: get('roomId') ?? '',
    language: pickLanguage(get('lang')),
    // Relay-only hides each side's IP address from the other, at the cost of a TURN hop.
    relayOnly: query.get('relayOnly') === 'true',
    // How many people the call may hold: 2 (one-to-one), or up to 4 in a family session.
    people: peopleOf(query.get('people')),
    // The counsellor page's widget may take someone out of a group call (the host then removes
    // them from the room too); nobody else's shows the button.
    moderator: query.get('moderator') === 'true',
    // In a group call, the room's counsellor: the only one whose "you are taken out" counts.
    counsellor: get('counsellor'),
  };
}

/** 2 unless the URL says 3 or 4: a group call is only what the room's policy made it. */
export function peopleOf(value) {
  return value === '3' || value === '4' ? Number(value) : 2;
}

/** Dutch unless the host client runs in English; the user can switch at any time. */
export function pickLanguage(hostLanguage) {
  return typeof hostLanguage === 'string' && hostLanguage.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/** A client that does not know a template variable leaves `$name` in the URL: treat it as absent. */
function filled(value) {
  return value && !value.startsWith('$') ? value : null;
}

function originOf(url) {
  if (!url) {
    return null;
  }
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
