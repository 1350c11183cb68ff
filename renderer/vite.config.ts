import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'

/**
 * The window's build. Relative base so the same output loads from a custom protocol, file:// or a test server;
 * electron-vite's renderer build points at this root and config too.
 */
const root = fileURLToPath(new URL('.', import.meta.url))
/** The version the window shows in Settings › About: the one this build was made from. */
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  .version as string

export default defineConfig({
  root,
  base: './',
  define: { __SEAT_TRAY_VERSION__: JSON.stringify(version) },
  plugins: [compileEagerly('uPlot')],
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

/**
 * Marks a chunk with V8's explicit compile hint (`//# allFunctionsCalledOnLoad`, Chromium ≥ 136), so its functions
 * are compiled while the file loads (the window fetches uPlot while idle) instead of one by one on first call.
 * uPlot's first draw calls most of the library at once and spent about half its time compiling it. Not the
 * window's own chunk: most of it (settings, first run, history) is not called on load, and compiling it all up front
 * measured no faster.
 */
function compileEagerly(chunkName: string): Plugin {
  return {
    name: 'seat-tray:compile-eagerly',
    apply: 'build',
    generateBundle: {
      // After Vite's own rewriting, which prepends code to chunks that import lazily.
      order: 'post',
      handler(_options, bundle) {
        for (const file of Object.values(bundle)) {
          if (file.type === 'chunk' && file.name.startsWith(chunkName))
            file.code = `//# allFunctionsCalledOnLoad\n${file.code}`
        }
      },
    },
  }
}
