import { translate } from './i18n.js';

/** Shows one `<section id="screen-…">` of the page and hides the others. */
export function show(document, screen) {
  for (const section of document.querySelectorAll('main > section')) {
    section.hidden = section.id !== `screen-${screen}`;
  }
  document.body.dataset.screen = screen;
}

/** The button that opens and closes the call panel; `language()` gives the page's current language. */
export function bindCallToggle(document, call, language) {
  const toggle = document.getElementById('call-toggle');
  toggle.addEventListener('click', () => {
    const panel = document.getElementById('call');
    const opening = panel.hidden;
    if (opening) {
      call.open();
    }
    panel.hidden = !opening;
    toggle.textContent = translate(language(), opening ? 'closeCall' : 'startCall');
    toggle.setAttribute('aria-expanded', String(opening));
  });
}
