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
const FRAME_INTERVAL_MS = 1000 / 24;
const BLUR_PX = 14;
/** The landscape model (144x256) is the lighter of the two; good enough for a face on a call. */
const LANDSCAPE_MODEL = 1;

let scriptLoading = null;

function loadSegmentationScript(baseUrl) {
  if (!scriptLoading) {
    scriptLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL('selfie_segmentation.js', baseUrl).href;
      script.onload = () => resolve(globalThis.SelfieSegmentation);
      script.onerror = () => reject(new Error('could not load the segmentation script'));
      document.head.append(script);
    });
  }
  return scriptLoading;
}

export class BackgroundEffect {
  /** @param {string} assetsUrl absolute URL of the folder with the MediaPipe files, ending in '/' */
  constructor(assetsUrl) {
    this.assetsUrl = assetsUrl;
    this.segmenter = null;
    this.running = false;
    this.mode = 'none';
    this.image = null;
    // Each start() gets its own frame loop; a loop from an earlier start() sees a newer number and ends.
    this.generation = 0;
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
      this.segmenter.onResults((results) => this.draw(results));
      await this.segmenter.initialize();
    }
    const { width = 640, height = 480 } = cameraTrack.getSettings();
    this.canvas = document.createElement('canvas');
    this.canvas.width = width;
    this.canvas.height = height;
    this.context = this.canvas.getContext('2d');
    this.input = document.createElement('video');
    this.input.muted = true;
    this.input.playsInline = true;
    this.input.srcObject = new MediaStream([cameraTrack]);
    await this.input.play();
    this.running = true;
    this.loop(++this.generation);
    const [track] = this.canvas.captureStream(24).getVideoTracks();
    this.output = track;
    return track;
  }

  async loop(generation) {
    while (this.running && generation === this.generation) {
      const started = performance.now();
      if (this.input.readyState >= 2) {
        await this.segmenter.send({ image: this.input }).catch(() => {});
      }
      // setTimeout rather than requestAnimationFrame: rAF stops in a hidden tab, and the call
      // must keep sending video while the counsellor looks at another tab.
      const wait = Math.max(0, FRAME_INTERVAL_MS - (performance.now() - started));
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  draw({ image, segmentationMask }) {
    if (!this.running) {
      return;
    }
    const { context: ctx, canvas } = this;
    ctx.save();
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    // Keep the person: the mask's opaque pixels select them from the camera image.
    ctx.drawImage(segmentationMask, 0, 0, canvas.width, canvas.height);
    ctx.globalCompositeOperation = 'source-in';
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    // Fill everything behind the person with the blurred camera image or the chosen picture.
    ctx.globalCompositeOperation = 'destination-over';
    if (this.mode === 'image' && this.image) {
      drawCover(ctx, this.image, canvas.width, canvas.height);
    } else {
      ctx.filter = `blur(${BLUR_PX}px)`;
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    }
    ctx.restore();
  }

  stop() {
    this.running = false;
    this.output?.stop();
    this.output = null;
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
