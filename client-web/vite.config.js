import { defineConfig } from 'vite';
import { OUT_DIR } from './scripts/paths.js';

// The bridge serves the page under /binnen/. The service worker is built as its own entry with a
// fixed name (sw.js at the top of the scope); everything else gets content-hashed names.
export default defineConfig({
  base: '/binnen/',
  // web-common/ (i18n mechanism, base styles) sits beside this folder; the build follows the
  // relative imports by itself, the dev server may serve files from there too.
  server: { fs: { allow: ['.', '../web-common'] } },
  build: {
    outDir: OUT_DIR,
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      input: { index: 'index.html', counsellor: 'counsellor.html', sw: 'src/sw.js' },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  test: {
    include: ['test/unit/**/*.test.js'],
  },
});
