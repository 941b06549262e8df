/*
 * Praatbrug: the door button for an organisation's own website (issue #27).
 *
 *   <a href="https://praat.example.be/binnen/?deur" data-praatbrug-deur>Chat anoniem met ons</a>
 *   <script src="https://praat.example.be/binnen/deur-knop.js" async></script>
 *
 * Without this script the link still works. With it, the link also says whether the door is open
 * now and how long the wait is (from the bridge's public door status, read every minute), and gets
 * data-open="true|false" for the website's own styling. Nothing is stored and no cookie is sent.
 */
(() => {
  const script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  const base = new URL('./', script.src);
  const statusUrl = new URL('../_praatbrug/door/v1/status', base);
  const english = (document.documentElement.lang || 'nl').toLowerCase().startsWith('en');
  const words = english ? {
    open: 'open now', wait: (m) => `wait about ${m} min`, closed_hours: 'closed now', nobody_on_duty: 'nobody on duty now',
    line_full: 'the waiting line is full', next: (t) => `opens ${t}`,
  } : {
    open: 'nu open', wait: (m) => `wachttijd ongeveer ${m} min`, closed_hours: 'nu gesloten', nobody_on_duty: 'nu niemand van dienst',
    line_full: 'de wachtrij is vol', next: (t) => `open vanaf ${t}`,
  };
  const when = (millis) => new Intl.DateTimeFormat(english ? 'en-GB' : 'nl-BE', {
    weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Brussels',
  }).format(new Date(millis));

  function describe(status) {
    if (status.open) {
      return [words.open, status.estimate_minutes ? words.wait(status.estimate_minutes) : null].filter(Boolean).join(', ');
    }
    const why = words[status.reason] || words.closed_hours;
    return status.reason === 'closed_hours' && status.next_opening ? `${why}, ${words.next(when(status.next_opening))}` : why;
  }

  function show(links, status) {
    for (const link of links) {
      if (!status.enabled) {
        link.hidden = true;
        continue;
      }
      link.dataset.open = String(Boolean(status.open));
      let note = link.querySelector('[data-praatbrug-deur-status]');
      if (!note) {
        note = document.createElement('span');
        note.setAttribute('data-praatbrug-deur-status', '');
        link.append(' ', note);
      }
      note.textContent = `(${describe(status)})`;
    }
  }

  async function refresh() {
    const links = [...document.querySelectorAll('a[data-praatbrug-deur]')];
    for (const link of links) {
      if (!link.getAttribute('href')) {
        link.href = new URL('?deur', base).href;
      }
      link.rel = 'noreferrer';
    }
    if (links.length === 0) {
      return;
    }
    try {
      const response = await fetch(statusUrl, { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' });
      if (response.ok) {
        show(links, await response.json());
      }
    } catch {
      // The bridge did not answer: the plain link still leads to the door.
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', refresh);
  } else {
    refresh();
  }
  setInterval(refresh, 60_000);
})();
