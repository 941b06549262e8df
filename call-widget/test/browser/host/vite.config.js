import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The test host page, built beside the widget build (never shipped in the bridge jar).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../target/test-host/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
