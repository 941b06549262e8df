/**
 * Background blur and custom background, done in this browser with MediaPipe selfie segmentation.
 *
 * The segmentation script, its WebAssembly and the model file are served by the Praatbrug bridge
 * next to this widget (`mediapipe/`), so nothing is fetched from elsewhere and no frame leaves the
 * device except through the call itself. A chosen background picture is read locally and never
 * uploaded.
 *
 * The script is loaded only when someone turns an effect on: it is about 6 MB, and most calls do
 * not need it.
 */
const OUTPUT_FPS = 24;
/** Segmentation runs at most this often; the mask moves slower than the picture, which is fine. */
const MASK_INTERVAL_MS = 1000 / 15;
/** The landscape model (144x256) is the lighter of the two; good enough for a face on a call. */
const LANDSCAPE_MODEL = 1;
/** The model's own input size: feeding it more pixels only costs time. */
const MASK_SIZE = { width: 256, height: 144 };
/** Blur by drawing the camera tiny and scaling it up: cheap on any device. */
const BACKDROP_SIZE = { width: 96, height: 54 };
/** Enough for a face in a call; less work for every canvas operation on phones. */
const MAX_OUTPUT_WIDTH = 960;

let scriptLoading = null;

function loadSegmentationScript(baseUrl) {
  if (!scriptLoading) {
    scriptLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL('selfie_segmentation.js', baseUrl).href;
      script.onload = () => resolve(globalThis.SelfieSegmentation);
      script.onerror = () => {
        scriptLoading = null;
        reject(new Error('could not load the segmentation script'));
      };
      document.head.append(script);
    });
  }
  return scriptLoading;
}

function canvas({ width, height }) {
  const element = document.createElement('canvas');
  element.width = width;
  element.height = height;
  return element;
}

/**
 * Two loops: segmentation updates the person mask as fast as the device allows, and drawing
 * composes every output frame from the newest camera picture and the newest mask. A slow device
 * then gets a mask that trails a little, not a picture that stutters.
 */
export class BackgroundEffect {
  /** @param {string} assetsUrl absolute URL of the folder with the MediaPipe files, ending in '/' */
  constructor(assetsUrl) {
    this.assetsUrl = assetsUrl;
    this.segmenter = null;
    this.running = false;
    this.mode = 'none';
    this.image = null;
    // Each start() gets its own loops; a loop from an earlier start() sees a newer number and ends.
    this.generation = 0;
    this.mask = canvas(MASK_SIZE);
    this.maskInput = canvas(MASK_SIZE);
    this.backdrop = canvas(BACKDROP_SIZE);
  }

  /**
   * Starts processing `cameraTrack` and returns the processed track to send instead.
   *
   * @param {'blur'|'image'} mode
   * @param {ImageBitmap|null} image the custom background for mode 'image'
   */
  async start(cameraTrack, mode, image = null) {
    this.stop();
    this.mode = mode;
    this.image = image;
    const SelfieSegmentation = await loadSegmentationScript(this.assetsUrl);
    if (!this.segmenter) {
      this.segmenter = new SelfieSegmentation({ locateFile: (file) => new URL(file, this.assetsUrl).href });
      this.segmenter.setOptions({ modelSelection: LANDSCAPE_MODEL, selfieMode: false });
      // The mask is only valid inside the callback: keep a copy.
      this.segmenter.onResults(({ segmentationMask }) => {
        const ctx = this.mask.getContext('2d');
        ctx.globalCompositeOperation = 'copy';
        ctx.drawImage(segmentationMask, 0, 0, MASK_SIZE.width, MASK_SIZE.height);
        this.hasMask = true;
      });
      await this.segmenter.initialize();
    }
    const { width = 640, height = 480 } = cameraTrack.getSettings();
    const scale = Math.min(1, MAX_OUTPUT_WIDTH / width);
    this.output = canvas({ width: Math.round(width * scale), height: Math.round(height * scale) });
    this.input = document.createElement('video');
    this.input.muted = true;
    this.input.playsInline = true;
    this.input.srcObject = new MediaStream([cameraTrack]);
    await this.input.play();
    this.hasMask = false;
    this.running = true;
    const generation = ++this.generation;
    this.segmentLoop(generation);
    this.drawTimer = setInterval(() => this.draw(), 1000 / OUTPUT_FPS);
    const [track] = this.output.captureStream(OUTPUT_FPS).getVideoTracks();
    this.track = track;
    return track;
  }

  async segmentLoop(generation) {
    while (this.running && generation === this.generation) {
      const started = performance.now();
      if (this.input?.readyState >= 2) {
        this.maskInput.getContext('2d').drawImage(this.input, 0, 0, MASK_SIZE.width, MASK_SIZE.height);
        await this.segmenter.send({ image: this.maskInput }).catch(() => {});
      }
      // setTimeout, not requestAnimationFrame: rAF stops in a hidden tab, and the call must go on
      // while the counsellor looks at another tab. Resting at least as long as the work took keeps
      // segmentation under half of the page's time, so the buttons stay responsive.
      const spent = performance.now() - started;
      await new Promise((resolve) => setTimeout(resolve, Math.max(MASK_INTERVAL_MS - spent, Math.min(spent, 1000))));
    }
  }

  draw() {
    if (!this.running || !this.input || this.input.readyState < 2) {
      return;
    }
    const ctx = this.output.getContext('2d');
    const { width, height } = this.output;
    if (this.hasMask) {
      // Keep the person: the mask's opaque pixels select them from the camera picture.
      ctx.globalCompositeOperation = 'copy';
      ctx.drawImage(this.mask, 0, 0, width, height);
      ctx.globalCompositeOperation = 'source-in';
      ctx.drawImage(this.input, 0, 0, width, height);
      ctx.globalCompositeOperation = 'destination-over';
    } else {
      // No mask yet: show only the background, never the unprocessed room behind the person.
      ctx.globalCompositeOperation = 'copy';
    }
    if (this.mode === 'image' && this.image) {
      drawCover(ctx, this.image, width, height);
    } else {
      const backdrop = this.backdrop.getContext('2d');
      backdrop.drawImage(this.input, 0, 0, BACKDROP_SIZE.width, BACKDROP_SIZE.height);
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(this.backdrop, 0, 0, width, height);
    }
    ctx.globalCompositeOperation = 'source-over';
  }

  stop() {
    this.running = false;
    clearInterval(this.drawTimer);
    this.track?.stop();
    this.track = null;
    if (this.input) {
      this.input.srcObject = null;
      this.input = null;
    }
  }

  async close() {
    this.stop();
    await this.segmenter?.close();
    this.segmenter = null;
  }
}

/** Scales a picture to cover the frame without distortion, like CSS object-fit: cover. */
function drawCover(ctx, image, width, height) {
  const scale = Math.max(width / image.width, height / image.height);
  const w = image.width * scale;
  const h = image.height * scale;
  ctx.drawImage(image, (width - w) / 2, (height - h) / 2, w, h);
}
