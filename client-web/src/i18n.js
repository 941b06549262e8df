import { DESK_WORDS } from './desk/words.js';

/**
 * The client page's words: Dutch (as spoken in Flanders) first, English second. Every key exists
 * in both languages (a unit test checks it). Values are inserted as text, never as HTML. The
 * counsellor page's own words (desk/words.js) are merged in below.
 */
export const MESSAGES = {
  nl: {
    brand: 'Praatbrug',
    languageSwitch: 'English',
    loading: 'Even geduld…',
    consentHeading: 'Voor we beginnen',
    consentIntro: 'Lees eerst hoe we met je gegevens omgaan. Daarna kan je aankloppen bij je hulpverlener.',
    consentTextLabel: 'Toestemmingstekst',
    nameLabel: 'Je voornaam of een schuilnaam',
    nameHint: 'Zo ziet je hulpverlener je in het gesprek. Een schuilnaam mag ook.',
    under12Label: 'Ik ben jonger dan 12 jaar',
    guardianLegend: 'Ouder of voogd',
    guardianIntro: 'Omdat je jonger bent dan 12, geeft je ouder of voogd de toestemming.',
    guardianNameLabel: 'Naam van je ouder of voogd',
    guardianConsentsLabel: 'Ik ben de ouder of voogd, heb de tekst gelezen en ga akkoord',
    agreedLabel: 'Ik heb de tekst gelezen en ga akkoord',
    consentSubmit: 'Akkoord, klop aan',
    errorNameMissing: 'Vul een voornaam of schuilnaam in.',
    errorNameInvalid: 'Gebruik alleen letters, cijfers, spaties, punten, koppeltekens of apostrofs (hoogstens 40 tekens).',
    errorGuardianMissing: 'Vul de naam van je ouder of voogd in.',
    errorGuardianInvalid: 'Gebruik alleen letters, spaties, punten, koppeltekens of apostrofs (hoogstens 80 tekens).',
    errorGuardianConsents: 'Je ouder of voogd moet akkoord gaan.',
    errorAgreed: 'Vink aan dat je de tekst gelezen hebt en akkoord gaat.',
    errorNetwork: 'Er ging iets mis met de verbinding. Probeer het zo meteen opnieuw.',
    errorConsentChanged: 'De tekst is intussen aangepast. Lees de nieuwe versie en ga opnieuw akkoord.',
    waitingHeading: 'Je hebt aangeklopt',
    waitingText: 'Je hulpverlener laat je zo binnen. Laat deze pagina open.',
    waitingNext: 'Sluit je de pagina toch? Open dan dezelfde link opnieuw op dit toestel: je wacht verder op dezelfde plek.',
    waitingConnecting: 'Verbinden met de server…',
    encrypted: '🔒 Versleuteld',
    startCall: 'Videogesprek',
    closeCall: 'Videogesprek sluiten',
    messageLabel: 'Bericht',
    messagePlaceholder: 'Typ je bericht',
    send: 'Verstuur',
    you: 'Jij',
    counsellor: 'Je hulpverlener',
    read: 'Gelezen',
    sending: 'Versturen…',
    notDecrypted: '🔒 Dit bericht kan (nog) niet ontsleuteld worden.',
    typing: '{name} is aan het typen…',
    endedHeading: 'Het gesprek is afgelopen',
    endedText: 'Het gesprek is beëindigd. Wat je op dit toestel had, is gewist.',
    endedNext: 'Wil je nog eens praten? Vraag je hulpverlener om een nieuwe link.',
    problemNoCodeTitle: 'Deze link is niet volledig',
    problemNoCodeText: 'Er ontbreekt een code in de link.',
    problemUnknownTitle: 'Deze link werkt niet',
    problemUnknownText: 'We vinden geen gesprek bij deze link. Misschien is hij niet volledig overgenomen.',
    problemExpiredTitle: 'Deze link is verlopen',
    problemExpiredText: 'Een link werkt maar een beperkte tijd, zodat niemand anders hem later nog kan gebruiken.',
    problemUsedTitle: 'Deze link is al gebruikt',
    problemUsedText: 'Elke link werkt maar één keer, zodat alleen jij binnenkomt. Heb je hem zelf al gebruikt op een ander toestel? Ga dan verder op dat toestel.',
    problemReplacedTitle: 'Er is een nieuwere link',
    problemReplacedText: 'Je hulpverlener heeft een nieuwe link gemaakt; deze werkt niet meer.',
    problemEndedTitle: 'Dit gesprek is afgelopen',
    problemEndedText: 'Het gesprek bij deze link is al beëindigd.',
    problemThrottledTitle: 'Even wachten',
    problemThrottledText: 'Er werden te veel verkeerde links geprobeerd vanaf deze verbinding. Probeer het over enkele minuten opnieuw.',
    problemServerTitle: 'Er ging iets mis',
    problemServerText: 'De server kon je vraag nu niet verwerken. Probeer het over enkele minuten opnieuw.',
    problemNext: 'Neem contact op met je hulpverlener en vraag een nieuwe link. Je hulpverlener kan er meteen een maken.',
  },
  en: {
    brand: 'Praatbrug',
    languageSwitch: 'Nederlands',
    loading: 'One moment…',
    consentHeading: 'Before we start',
    consentIntro: 'First read how we handle your data. Then you can knock on your counsellor’s door.',
    consentTextLabel: 'Consent text',
    nameLabel: 'Your first name or a made-up name',
    nameHint: 'This is how your counsellor sees you in the conversation. A made-up name is fine.',
    under12Label: 'I am younger than 12',
    guardianLegend: 'Parent or guardian',
    guardianIntro: 'Because you are younger than 12, your parent or guardian gives consent.',
    guardianNameLabel: 'Name of your parent or guardian',
    guardianConsentsLabel: 'I am the parent or guardian, I have read the text and I agree',
    agreedLabel: 'I have read the text and I agree',
    consentSubmit: 'Agree and knock',
    errorNameMissing: 'Fill in a first name or made-up name.',
    errorNameInvalid: 'Use only letters, digits, spaces, dots, hyphens or apostrophes (at most 40 characters).',
    errorGuardianMissing: 'Fill in the name of your parent or guardian.',
    errorGuardianInvalid: 'Use only letters, spaces, dots, hyphens or apostrophes (at most 80 characters).',
    errorGuardianConsents: 'Your parent or guardian must agree.',
    errorAgreed: 'Tick the box to say you have read the text and agree.',
    errorNetwork: 'Something went wrong with the connection. Please try again in a moment.',
    errorConsentChanged: 'The text has just been changed. Read the new version and agree again.',
    waitingHeading: 'You have knocked',
    waitingText: 'Your counsellor will let you in shortly. Keep this page open.',
    waitingNext: 'Closed the page anyway? Open the same link again on this device: you keep your place.',
    waitingConnecting: 'Connecting to the server…',
    encrypted: '🔒 Encrypted',
    startCall: 'Video call',
    closeCall: 'Close video call',
    messageLabel: 'Message',
    messagePlaceholder: 'Type your message',
    send: 'Send',
    you: 'You',
    counsellor: 'Your counsellor',
    read: 'Read',
    sending: 'Sending…',
    notDecrypted: '🔒 This message cannot be decrypted (yet).',
    typing: '{name} is typing…',
    endedHeading: 'The conversation has ended',
    endedText: 'The conversation was ended. What you had on this device has been wiped.',
    endedNext: 'Want to talk again? Ask your counsellor for a new link.',
    problemNoCodeTitle: 'This link is incomplete',
    problemNoCodeText: 'The link is missing its code.',
    problemUnknownTitle: 'This link does not work',
    problemUnknownText: 'We find no conversation for this link. Perhaps it was not copied completely.',
    problemExpiredTitle: 'This link has expired',
    problemExpiredText: 'A link works for a limited time only, so nobody else can use it later.',
    problemUsedTitle: 'This link has already been used',
    problemUsedText: 'Each link works once, so only you get in. Did you use it yourself on another device? Then continue on that device.',
    problemReplacedTitle: 'There is a newer link',
    problemReplacedText: 'Your counsellor made a new link; this one no longer works.',
    problemEndedTitle: 'This conversation has ended',
    problemEndedText: 'The conversation for this link has already been ended.',
    problemThrottledTitle: 'Please wait',
    problemThrottledText: 'Too many wrong links were tried from this connection. Try again in a few minutes.',
    problemServerTitle: 'Something went wrong',
    problemServerText: 'The server could not handle your request right now. Try again in a few minutes.',
    problemNext: 'Contact your counsellor and ask for a new link. Your counsellor can make one straight away.',
  },
};

for (const language of ['nl', 'en']) {
  Object.assign(MESSAGES[language], DESK_WORDS[language]);
}

export function translate(language, key, values = {}) {
  const text = MESSAGES[language]?.[key] ?? MESSAGES.nl[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);
}

/** Dutch unless the browser prefers English. */
export function pickLanguage(preferred) {
  return typeof preferred === 'string' && preferred.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/** Fills every [data-i18n] element's text and [data-i18n-placeholder] placeholder. */
export function applyLanguage(document, language) {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll('[data-i18n]')) {
    element.textContent = translate(language, element.dataset.i18n);
  }
  for (const element of document.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = translate(language, element.dataset.i18nPlaceholder);
  }
}

/** Which problem screen an entry API errcode leads to. */
export function problemFor(errcode) {
  switch (errcode) {
    case 'BE.PRAATBRUG.CODE_EXPIRED': return 'Expired';
    case 'BE.PRAATBRUG.CODE_USED': return 'Used';
    case 'BE.PRAATBRUG.CODE_REPLACED': return 'Replaced';
    case 'BE.PRAATBRUG.SESSION_ENDED': return 'Ended';
    case 'M_NOT_FOUND': return 'Unknown';
    case 'M_LIMIT_EXCEEDED': return 'Throttled';
    case 'NO_CODE': return 'NoCode';
    default: return 'Server';
  }
}
