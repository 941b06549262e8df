/**
 * The local side's media: camera and microphone (with device choice), screen share, and which video
 * track goes out: the screen when sharing, else the camera with or without a background effect.
 *
 * Nothing here records or forwards media anywhere but the one peer connection: this widget has no
 * recorder and no upload (a unit test checks the sources for them).
 */
export class LocalMedia {
  constructor() {
    this.camera = null;
    this.microphone = null;
    this.screen = null;
    this.processed = null;
    this.cameraOn = true;
    this.microphoneOn = true;
    this.deviceIds = { camera: undefined, microphone: undefined };
    this.listeners = new Set();
  }

  /** Asks for camera and microphone; falls back to sound only when there is no camera. */
  async open() {
    try {
      await this.openKinds(true, true);
    } catch (error) {
      if (error.name === 'NotFoundError' || error.name === 'OverconstrainedError') {
        await this.openKinds(false, true);
      } else {
        throw error;
      }
    }
  }

  async openKinds(video, audio) {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: video ? videoConstraints(this.deviceIds.camera) : false,
      audio: audio ? audioConstraints(this.deviceIds.microphone) : false,
    });
    if (video) {
      this.setCamera(stream.getVideoTracks()[0] ?? null);
    }
    if (audio) {
      this.setMicrophone(stream.getAudioTracks()[0] ?? null);
    }
  }

  setCamera(track) {
    this.camera?.stop();
    this.camera = track;
    if (track) {
      track.enabled = this.cameraOn;
      this.deviceIds.camera = track.getSettings().deviceId;
    }
  }

  setMicrophone(track) {
    this.microphone?.stop();
    this.microphone = track;
    if (track) {
      track.enabled = this.microphoneOn;
      this.deviceIds.microphone = track.getSettings().deviceId;
    }
  }

  /** Once the call runs and bandwidth has grown, ask the camera for a sharper picture. */
  async sharpen() {
    await this.camera?.applyConstraints(videoConstraints(this.deviceIds.camera, true)).catch(() => {});
  }

  /** Switches to another camera or microphone; the caller swaps the sent track. */
  async chooseDevice(kind, deviceId) {
    this.deviceIds[kind] = deviceId;
    if (kind === 'camera') {
      await this.openKinds(true, false);
    } else {
      await this.openKinds(false, true);
    }
    this.changed();
  }

  static async listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return {
      camera: devices.filter((d) => d.kind === 'videoinput'),
      microphone: devices.filter((d) => d.kind === 'audioinput'),
    };
  }

  toggleMicrophone() {
    this.microphoneOn = !this.microphoneOn;
    if (this.microphone) {
      this.microphone.enabled = this.microphoneOn;
    }
    this.changed();
  }

  toggleCamera() {
    this.cameraOn = !this.cameraOn;
    // Disabled tracks send black frames: the peer's picture goes dark at once, no renegotiation.
    for (const track of [this.camera, this.processed]) {
      if (track) {
        track.enabled = this.cameraOn;
      }
    }
    this.changed();
  }

  async startScreenShare() {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    this.screen = stream.getVideoTracks()[0];
    // The browser's own "stop sharing" button ends the track.
    this.screen.addEventListener('ended', () => this.stopScreenShare());
    this.changed();
  }

  stopScreenShare() {
    if (!this.screen) {
      return;
    }
    this.screen.stop();
    this.screen = null;
    this.changed();
  }

  /** A track produced from the camera by a background effect, or null for the plain camera. */
  setProcessed(track) {
    this.processed?.stop();
    this.processed = track;
    if (track) {
      track.enabled = this.cameraOn;
    }
    this.changed();
  }

  /** The video track to send now. */
  outgoingVideo() {
    return this.screen ?? this.processed ?? this.camera;
  }

  /** What the peer should show about us. */
  state() {
    return {
      camera: this.cameraOn && this.camera !== null,
      microphone: this.microphoneOn && this.microphone !== null,
      screen: this.screen !== null,
    };
  }

  onChange(listener) {
    this.listeners.add(listener);
  }

  changed() {
    for (const listener of this.listeners) {
      listener();
    }
  }

  close() {
    for (const track of [this.camera, this.microphone, this.screen]) {
      track?.stop();
    }
    this.camera = null;
    this.microphone = null;
    this.screen = null;
  }
}

function videoConstraints(deviceId, sharp = false) {
  // Start at 640x360 and go to 1280x720 once connected (see sharpen): a call begins with a low
  // bandwidth estimate, and WebRTC drops the first frames of a larger picture until it has scaled
  // down, which made the first picture arrive half a second later.
  const [width, height] = sharp ? [1280, 720] : [640, 360];
  return { deviceId: deviceId ? { exact: deviceId } : undefined, width: { ideal: width }, height: { ideal: height } };
}

function audioConstraints(deviceId) {
  return { deviceId: deviceId ? { exact: deviceId } : undefined, echoCancellation: true, noiseSuppression: true };
}
