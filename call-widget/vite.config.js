import { defineConfig } from 'vite';
import { OUT_DIR } from './scripts/paths.js';

// Relative asset URLs: the bridge serves the widget under /widget/call/, and tests may serve it
// elsewhere. No source maps: the bundle ships inside the bridge jar.
export default defineConfig({
  base: './',
  // web-common/ (i18n mechanism, base styles) sits beside this folder; the build follows the
  // relative imports by itself, the dev server may serve files from there too.
  server: { fs: { allow: ['.', '../web-common'] } },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
  test: {
    include: ['test/unit/**/*.test.js'],
  },
});
