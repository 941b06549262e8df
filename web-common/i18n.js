/**
 * The i18n mechanism of Praatbrug's browser pages (call widget, client and counsellor page, admin
 * page). Each page keeps its own text table, Dutch (as spoken in Flanders) first, English second;
 * only the looking up, filling in and applying to the markup is shared, here.
 *
 * Plain JavaScript without imports: Vite bundles it into the widget and the client page, and the
 * bridge serves it as it is next to the admin page (bridge/pom.xml copies it there).
 */

/**
 * `text` with every `{name}` replaced by `values[name]`, as text: the result is meant for
 * textContent, titles and attributes, never for innerHTML, and `$` patterns mean nothing here.
 * A placeholder whose value is missing (undefined or null) becomes `missing(placeholder)`: by
 * default it stays as it is, which shows in a test.
 */
export function fillIn(text, values = {}, missing = (placeholder) => placeholder) {
  return text.replace(/\{(\w+)\}/g, (placeholder, name) => {
    const value = values[name];
    return value === undefined || value === null ? missing(placeholder) : String(value);
  });
}

/**
 * A `translate(language, key, values)` over `messages` (`{nl: {...}, en: {...}}`): the text in
 * `language`, else the Dutch one, with its placeholders filled in. Entries that are not text (a
 * table of field hints, say) come back as they are.
 *
 * @param {object} [options]
 * @param {boolean} [options.strict] a key without text throws (else the key itself is the text)
 * @param {string} [options.missingValue] what a placeholder without a value becomes; by default
 *     it stays as it is
 */
export function createTranslate(messages, { strict = false, missingValue } = {}) {
  const missing = missingValue === undefined ? undefined : () => missingValue;
  return function translate(language, key, values = {}) {
    const text = messages[language]?.[key] ?? messages.nl[key];
    if (text === undefined) {
      if (strict) {
        throw new Error(`no text for key ${key}`);
      }
      return key;
    }
    return typeof text === 'string' ? fillIn(text, values, missing) : text;
  };
}

/**
 * Puts the words of `language` into the markup below `root` (a document or an element):
 * - `data-i18n="key"`: the element's text;
 * - `data-i18n-placeholder="key"`: its placeholder;
 * - `data-i18n-title="key"`: its title, and an accessible name of text and title together;
 * - `data-i18n-label="key"`: its aria-label.
 * The page's `lang` attribute is the caller's (pages spell Dutch `nl` or `nl-BE`).
 */
export function applyTranslations(root, translate, language) {
  for (const element of root.querySelectorAll('[data-i18n]')) {
    element.textContent = translate(language, element.dataset.i18n);
  }
  for (const element of root.querySelectorAll('[data-i18n-placeholder]')) {
    element.placeholder = translate(language, element.dataset.i18nPlaceholder);
  }
  for (const element of root.querySelectorAll('[data-i18n-title]')) {
    element.title = translate(language, element.dataset.i18nTitle);
    element.setAttribute('aria-label', `${element.textContent}: ${element.title}`);
  }
  for (const element of root.querySelectorAll('[data-i18n-label]')) {
    element.setAttribute('aria-label', translate(language, element.dataset.i18nLabel));
  }
}
