// The i18n mechanism in web-common/, which the call widget, this page and the admin page share
// (the texts stay with each page). Tested here because this module's Vitest runs in Maven's build.
import { describe, expect, it } from 'vitest';
import { applyTranslations, createTranslate, fillIn } from '../../../web-common/i18n.js';

const MESSAGES = {
  nl: { hello: 'Hallo {name}', plain: 'Gewoon', onlyDutch: 'Alleen Nederlands', hints: { a: 'hint' } },
  en: { hello: 'Hello {name}', plain: 'Plain', hints: { a: 'hint (en)' } },
};

/** Just enough of a document for applyTranslations: elements with dataset and attributes. */
function fakeRoot(elements) {
  const all = elements.map(({ data, text = '' }) => ({
    dataset: data, textContent: text, attributes: {},
    setAttribute(name, value) { this.attributes[name] = value; },
  }));
  const attribute = (selector) => selector.slice(1, -1).replace(/^data-/, '')
    .replace(/-(\w)/g, (_, letter) => letter.toUpperCase());
  return {
    all,
    querySelectorAll: (selector) => all.filter((element) => attribute(selector) in element.dataset),
  };
}

describe('shared i18n (web-common)', () => {
  it('fills placeholders as text, with no $ patterns and no HTML', () => {
    expect(fillIn('{a} en {b}', { a: '<b>x</b>', b: '$& $1' })).toBe('<b>x</b> en $& $1');
    expect(fillIn('{n} keer', { n: 0 })).toBe('0 keer');
  });

  it('keeps a placeholder without a value, or fills it with what the page asks', () => {
    expect(createTranslate(MESSAGES)('nl', 'hello')).toBe('Hallo {name}');
    expect(createTranslate(MESSAGES)('nl', 'hello', { name: null })).toBe('Hallo {name}');
    expect(createTranslate(MESSAGES, { missingValue: '' })('en', 'hello')).toBe('Hello ');
  });

  it('falls back to Dutch, then to the key; strict tables throw instead', () => {
    const translate = createTranslate(MESSAGES);
    expect(translate('en', 'onlyDutch')).toBe('Alleen Nederlands');
    expect(translate('fr', 'plain')).toBe('Gewoon');
    expect(translate('en', 'nothing')).toBe('nothing');
    expect(() => createTranslate(MESSAGES, { strict: true })('en', 'nothing')).toThrow(/no text for key nothing/);
  });

  it('returns entries that are not text as they are', () => {
    expect(createTranslate(MESSAGES)('en', 'hints')).toEqual({ a: 'hint (en)' });
  });

  it('applies data-i18n, -placeholder, -title and -label', () => {
    const root = fakeRoot([
      { data: { i18n: 'plain' } },
      { data: { i18nPlaceholder: 'plain' } },
      { data: { i18n: 'plain', i18nTitle: 'onlyDutch' } },
      { data: { i18nLabel: 'plain' } },
    ]);
    applyTranslations(root, createTranslate(MESSAGES), 'en');
    const [text, placeholder, titled, labelled] = root.all;
    expect(text.textContent).toBe('Plain');
    expect(placeholder.placeholder).toBe('Plain');
    expect(titled.title).toBe('Alleen Nederlands');
    expect(titled.attributes['aria-label']).toBe('Plain: Alleen Nederlands');
    expect(labelled.attributes['aria-label']).toBe('Plain');
  });
});
