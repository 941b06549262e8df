/**
 * Asks before something that cannot be undone, in the page's own modal dialog (`<dialog>`:
 * keyboard focus stays inside, Escape cancels, screen readers announce title and text).
 * Resolves true only when the counsellor confirms.
 */
export function confirmAction(document, { title, text, confirm, cancel }) {
  const dialog = document.getElementById('confirm-dialog');
  const opener = document.activeElement;
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const yes = document.getElementById('confirm-yes');
  const no = document.getElementById('confirm-no');
  yes.textContent = confirm;
  no.textContent = cancel;
  return new Promise((resolve) => {
    const finish = (answer) => {
      yes.removeEventListener('click', onYes);
      no.removeEventListener('click', onNo);
      dialog.removeEventListener('cancel', onNo);
      if (dialog.open) {
        dialog.close();
      }
      if (opener?.isConnected) {
        opener.focus();
      }
      resolve(answer);
    };
    const onYes = () => finish(true);
    const onNo = (event) => {
      event?.preventDefault();
      finish(false);
    };
    yes.addEventListener('click', onYes);
    no.addEventListener('click', onNo);
    dialog.addEventListener('cancel', onNo);
    dialog.showModal();
    no.focus(); // the safe choice is the default
  });
}

/**
 * Asks for a client record's label in the page's own modal dialog. Resolves the label typed (one
 * line, trimmed), '' to remove it, or null when the counsellor cancels.
 */
export function askLabel(document, { title, current }) {
  const dialog = document.getElementById('label-dialog');
  const form = document.getElementById('label-form');
  const input = document.getElementById('label-input');
  const cancel = document.getElementById('label-cancel');
  const opener = document.activeElement;
  document.getElementById('label-title').textContent = title;
  input.value = current ?? '';
  return new Promise((resolve) => {
    const finish = (answer) => {
      form.removeEventListener('submit', onSave);
      cancel.removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) {
        dialog.close();
      }
      if (opener?.isConnected) {
        opener.focus();
      }
      resolve(answer);
    };
    const onSave = (event) => {
      event.preventDefault();
      finish(input.value.replace(/\s+/g, ' ').trim());
    };
    const onCancel = (event) => {
      event?.preventDefault();
      finish(null);
    };
    form.addEventListener('submit', onSave);
    cancel.addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    input.focus();
    input.select();
  });
}
