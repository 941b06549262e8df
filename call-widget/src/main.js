import { BackgroundEffect } from './background.js';
import { CallController } from './call.js';
import { MeshController } from './mesh.js';
import { LocalMedia } from './media.js';
import { readParams } from './params.js';
import { Signalling } from './signalling.js';
import { CallView } from './ui.js';

/** Starts the widget: reads the URL, connects to the host client, wires the buttons. */
async function main() {
  const params = readParams(window.location.search);
  const view = new CallView(document, params.language);
  view.show('start');
  if (!params.widgetId || !params.clientOrigin || window.parent === window) {
    view.showError('noWidgetHost');
    return;
  }
  const media = new LocalMedia();
  // Resolved against this page, so the bridge can serve the widget under any path.
  const background = new BackgroundEffect(new URL('mediapipe/', document.baseURI).href);
  let call = null;
  const signalling = new Signalling(params, (message) => call?.onSignal(message),
    params.people > 2 ? (userId) => call?.memberGone?.(userId) : null);
  // A family session's call (3 or 4 people) is a mesh; every other call stays one-to-one.
  call = params.people > 2 ? new MeshController({ params, signalling, media, view })
    : new CallController({ params, signalling, media, view });
  call.onStop = () => {
    background.stop();
    media.setProcessed(null);
    view.selectBackground('none');
  };
  bindControls({ view, call, media, background });
  // The client page hosts this widget from the same origin; its quick exit ("Snel weg") ends camera
  // and microphone at once through this. Hosts on another origin (Element) cannot reach it.
  window.praatbrugStopMedia = () => {
    call.pageGone();
    background.stop();
    media.setProcessed(null);
    media.close();
  };

  const join = view.$('join');
  join.disabled = true;
  if (!(await signalling.start())) {
    view.showError('capabilitiesMissing');
    return;
  }
  // No hang-up when the page goes away: a reload or a crashed tab should not end the call. The
  // other side sees the connection drop, waits, and the call resumes when this person joins again.
  // The connection itself is closed, so the TURN server frees its relay ports at once.
  window.addEventListener('pagehide', () => call.pageGone());
  join.disabled = false;
}

function bindControls({ view, call, media, background }) {
  const $ = view.$;
  const joinCall = async () => {
    try {
      await call.join();
    } catch (error) {
      if (error.name === 'NotAllowedError' || error.name === 'NotFoundError') {
        view.notice('mediaDenied');
        view.show('start');
      } else {
        throw error;
      }
    }
  };
  $('join').addEventListener('click', joinCall);
  $('rejoin').addEventListener('click', joinCall);
  $('hang-up').addEventListener('click', () => call.hangUp());
  $('gone-hang-up').addEventListener('click', () => call.hangUp());
  $('keep-waiting').addEventListener('click', () => call.keepWaiting());
  $('toggle-mic').addEventListener('click', () => media.toggleMicrophone());
  $('toggle-camera').addEventListener('click', () => media.toggleCamera());
  $('toggle-screen').addEventListener('click', async () => {
    if (media.screen) {
      media.stopScreenShare();
      return;
    }
    // Cancelling the browser's picker is not an error worth showing.
    await media.startScreenShare().catch(() => {});
  });
  $('open-settings').addEventListener('click', async () => {
    const devices = await LocalMedia.listDevices();
    view.fillDevices('camera', devices.camera, media.deviceIds.camera);
    view.fillDevices('microphone', devices.microphone, media.deviceIds.microphone);
    $('settings').showModal();
  });
  for (const kind of ['camera', 'microphone']) {
    $(`${kind}-select`).addEventListener('change', async (event) => {
      await media.chooseDevice(kind, event.target.value);
      if (kind === 'camera' && background.running) {
        await applyBackground(view, media, background, background.mode, background.image);
      }
    });
  }
  for (const radio of document.querySelectorAll('input[name=background]')) {
    radio.addEventListener('change', () => {
      if (radio.value === 'image') {
        $('background-file').click();
      } else {
        applyBackground(view, media, background, radio.value, null);
      }
    });
  }
  $('background-file').addEventListener('change', async (event) => {
    const file = event.target.files[0];
    if (file) {
      // Decoded here and kept in memory only; the picture is never uploaded.
      const image = await createImageBitmap(file);
      await applyBackground(view, media, background, 'image', image);
    }
  });
}

async function applyBackground(view, media, background, mode, image) {
  if (mode === 'none' || !media.camera) {
    background.stop();
    media.setProcessed(null);
    return;
  }
  view.notice('backgroundLoading');
  try {
    media.setProcessed(await background.start(media.camera, mode, image));
  } catch (error) {
    console.warn('background effect failed', error);
    view.notice('backgroundFailed');
    view.selectBackground('none');
  } finally {
    view.$('notices').querySelector('[data-notice=backgroundLoading]')?.remove();
  }
}

main();
