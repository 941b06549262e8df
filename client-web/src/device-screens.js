import { translate } from './i18n.js';
import { MemoryKeeper, PinKeeper, PlainKeeper, WrongPin, validPin } from './keeper.js';
import { show } from './screens.js';

/**
 * The two screens about this device: the choice at the start (mine alone, with an optional PIN, or
 * not mine alone), and the lock that asks the PIN of a stored conversation. Both say nothing about
 * counselling or the organisation on their own: a stranger may be the one looking.
 */

/** What the device choice form says is wrong, as i18n keys per field (empty: nothing). */
export function checkDeviceChoice({ mode, pin, pinAgain }) {
  const errors = {};
  if (mode !== 'own' && mode !== 'shared') {
    errors.mode = 'errorDeviceChoice';
  } else if (mode === 'own' && (pin || pinAgain)) {
    if (!validPin(pin)) {
      errors.pin = 'errorPinInvalid';
    } else if (pin !== pinAgain) {
      errors.pin_again = 'errorPinMismatch';
    }
  }
  return errors;
}

/**
 * Shows the device choice and resolves, once the form is right, with the keeper to use: memory
 * only, localStorage, or sealed under the chosen PIN.
 */
export function askDevice(document, storage, language) {
  const $ = (id) => document.getElementById(id);
  const form = $('device-form');
  const radios = [...form.querySelectorAll('input[name=device]')];
  const chosen = () => radios.find((radio) => radio.checked)?.value ?? null;
  const onChange = () => { $('pin-fields').hidden = chosen() !== 'own'; };
  radios.forEach((radio) => radio.addEventListener('change', onChange));
  onChange();
  show(document, 'device');
  return new Promise((resolve) => {
    form.addEventListener('submit', async function submit(event) {
      event.preventDefault();
      const choice = { mode: chosen(), pin: $('pin').value.trim(), pinAgain: $('pin-again').value.trim() };
      const errors = checkDeviceChoice(choice);
      for (const field of ['mode', 'pin', 'pin_again']) {
        const element = $(`${field.replace('_', '-')}-error`);
        element.hidden = !errors[field];
        element.textContent = errors[field] ? translate(language(), errors[field]) : '';
      }
      if (Object.keys(errors).length) {
        (errors.mode ? radios[0] : $(errors.pin ? 'pin' : 'pin-again')).focus();
        return;
      }
      form.removeEventListener('submit', submit);
      $('device-continue').disabled = true;
      $('pin').value = '';
      $('pin-again').value = '';
      if (choice.mode === 'shared') {
        resolve(new MemoryKeeper());
      } else if (choice.pin) {
        resolve(await PinKeeper.create(storage, choice.pin));
      } else {
        resolve(new PlainKeeper(storage));
      }
    });
  });
}

/**
 * The lock: asks the PIN until it opens the stored conversation ({ keeper, account }) or the
 * tries run out (rejects with `Wiped`; this device's copy is gone by then).
 */
export function askPin(document, storage, language) {
  const $ = (id) => document.getElementById(id);
  const form = $('unlock-form');
  show(document, 'unlock');
  $('unlock-pin').focus();
  return new Promise((resolve, reject) => {
    form.addEventListener('submit', async function submit(event) {
      event.preventDefault();
      const pin = $('unlock-pin').value.trim();
      $('unlock-pin').value = '';
      $('unlock-submit').disabled = true;
      $('unlock-error').hidden = true;
      $('unlock-status').textContent = translate(language(), 'unlockBusy');
      try {
        const opened = await PinKeeper.unlock(storage, pin);
        form.removeEventListener('submit', submit);
        resolve(opened);
      } catch (error) {
        if (!(error instanceof WrongPin)) {
          form.removeEventListener('submit', submit);
          reject(error);
          return;
        }
        $('unlock-error').textContent = error.triesLeft === 1
          ? translate(language(), 'unlockWrongLast')
          : translate(language(), 'unlockWrong', { tries: error.triesLeft });
        $('unlock-error').hidden = false;
        $('unlock-pin').focus();
      } finally {
        $('unlock-status').textContent = '';
        $('unlock-submit').disabled = false;
      }
    });
  });
}
