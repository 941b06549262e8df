/**
 * The consent step, without the DOM where possible: rendering the organisation's text (a small,
 * safe subset of Markdown: headings, paragraphs, lists, bold) and checking the form.
 */

/** Builds the text as DOM nodes; never sets HTML, so the text cannot inject markup or scripts. */
export function renderConsentText(document, markdown) {
  const fragment = document.createDocumentFragment();
  let list = null;
  let paragraph = [];
  const flushParagraph = () => {
    if (paragraph.length > 0) {
      fragment.append(withInline(document, document.createElement('p'), paragraph.join(' ')));
      paragraph = [];
    }
  };
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    const item = /^[-*]\s+(.*)$/.exec(line);
    if (heading) {
      flushParagraph();
      list = null;
      // The page has its own h1; the text's levels start one lower.
      const level = Math.min(heading[1].length + 1, 4);
      fragment.append(withInline(document, document.createElement(`h${level}`), heading[2]));
    } else if (item) {
      flushParagraph();
      if (!list) {
        list = document.createElement('ul');
        fragment.append(list);
      }
      list.append(withInline(document, document.createElement('li'), item[1]));
    } else if (line === '') {
      flushParagraph();
      list = null;
    } else if (list && raw.startsWith('  ')) {
      // A list item continued on the next line.
      const last = list.lastElementChild;
      last.append(document.createTextNode(' '));
      withInline(document, last, line);
    } else {
      list = null;
      paragraph.push(line);
    }
  }
  flushParagraph();
  return fragment;
}

/** Appends `text` to `element`, with **bold** parts as <strong>. */
function withInline(document, element, text) {
  const parts = text.split(/\*\*(.+?)\*\*/g);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const strong = document.createElement('strong');
      strong.textContent = part;
      element.append(strong);
    } else if (part) {
      element.append(document.createTextNode(part));
    }
  });
  return element;
}

const NAME = /^[\p{L}\p{M}\p{N} .'’-]+$/u;

/**
 * The same rules as the bridge (GuestRequest): errors per field, as i18n keys. In a family session
 * where the counsellor gave a parent or guardian a place (`!gesprek ouder`), a child under 12 may
 * say that parent takes part and agrees on their own place (`guardianInSession`): then no guardian
 * is named here.
 */
export function checkForm({ name, under12, guardianName, guardianConsents, agreed, guardianInSession = false }) {
  const errors = {};
  const cleanName = (name ?? '').trim().replace(/\s+/g, ' ');
  if (!cleanName) {
    errors.name = 'errorNameMissing';
  } else if (cleanName.length > 40 || !NAME.test(cleanName)) {
    errors.name = 'errorNameInvalid';
  }
  const cleanGuardian = (guardianName ?? '').trim().replace(/\s+/g, ' ');
  const namedHere = under12 && !guardianInSession;
  if (namedHere) {
    if (!cleanGuardian) {
      errors.guardian_name = 'errorGuardianMissing';
    } else if (cleanGuardian.length > 80 || !NAME.test(cleanGuardian)) {
      errors.guardian_name = 'errorGuardianInvalid';
    }
    if (!guardianConsents) {
      errors.guardian_consents = 'errorGuardianConsents';
    }
  }
  if (!agreed) {
    errors.agreed = 'errorAgreed';
  }
  return {
    errors, name: cleanName, guardianName: namedHere ? cleanGuardian : null, guardianInSession: under12 && guardianInSession,
  };
}
