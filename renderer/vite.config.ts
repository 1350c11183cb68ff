import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

/**
 * The window's build. Relative base so the same output loads from a custom protocol, file:// or a test server;
 * electron-vite's renderer build points at this root and config too.
 */
const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome140',
    // One small script and one stylesheet: nothing to gain from splitting a window this size.
    modulePreload: false,
    reportCompressedSize: false,
  },
  preview: { host: '127.0.0.1' },
})
