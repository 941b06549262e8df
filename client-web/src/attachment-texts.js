/** The words for sharing files, Dutch first; merged into MESSAGES by i18n.js. */
export const ATTACHMENT_TEXTS = {
  nl: {
    attachLabel: 'Bestand toevoegen',
    attachTooLarge: 'Dit bestand is te groot. Je kan bestanden tot {max} MB sturen.',
    attachWrongType: 'Dit soort bestand kan je hier niet sturen. Stuur een foto ({types}) of een PDF.',
    attachOff: 'Bestanden sturen staat uit in dit gesprek.',
    attachEmpty: 'Dit bestand is leeg.',
    attachSending: 'Het bestand wordt versleuteld en verstuurd…',
    attachFailed: 'Het bestand kon niet verstuurd worden. Probeer het opnieuw.',
    fileOpen: 'Openen: {name}',
    fileLoading: 'Bestand wordt geladen…',
    fileGone: 'Dit bestand is niet meer beschikbaar (het werd gewist of kan niet ontsleuteld worden).',
    imageAlt: 'Afbeelding: {name}',
  },
  en: {
    attachLabel: 'Add a file',
    attachTooLarge: 'This file is too large. You can send files of up to {max} MB.',
    attachWrongType: 'You cannot send this kind of file here. Send a photo ({types}) or a PDF.',
    attachOff: 'Sending files is turned off in this conversation.',
    attachEmpty: 'This file is empty.',
    attachSending: 'Encrypting and sending the file…',
    attachFailed: 'The file could not be sent. Please try again.',
    fileOpen: 'Open: {name}',
    fileLoading: 'Loading the file…',
    fileGone: 'This file is no longer available (it was deleted or cannot be decrypted).',
    imageAlt: 'Picture: {name}',
  },
};
