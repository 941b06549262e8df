// Copies the MediaPipe selfie-segmentation files the widget loads at run time next to the built
// widget, then writes files.txt: the list of every file the bridge may serve (it cannot list a
// folder inside a jar).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OUT_DIR } from './paths.js';
import { writeFileList } from '../../web-common/scripts/file-list.js';

// The script, its WebAssembly (with and without SIMD: older phones lack SIMD), the graph, and the
// landscape model the widget selects. The general model is left out: the widget never asks for it.
const FILES = [
  'selfie_segmentation.js',
  'selfie_segmentation.binarypb',
  'selfie_segmentation_landscape.tflite',
  'selfie_segmentation_solution_simd_wasm_bin.js',
  'selfie_segmentation_solution_simd_wasm_bin.wasm',
  'selfie_segmentation_solution_wasm_bin.js',
  'selfie_segmentation_solution_wasm_bin.wasm',
];

const require = createRequire(import.meta.url);
const source = dirname(require.resolve('@mediapipe/selfie_segmentation/package.json'));
const target = join(OUT_DIR, 'mediapipe');
mkdirSync(target, { recursive: true });
for (const file of FILES) {
  copyFileSync(join(source, file), join(target, file));
}

writeFileList(OUT_DIR);
