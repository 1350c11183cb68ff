import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import { INLINE_HASHES_FILE, type InlineHashes, windowCsp } from '../common/csp.ts'

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
  plugins: [compileEagerly('uPlot'), inlineEntry()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Every file beside index.html: the entry's code is inlined into the page (inlineEntry), and the relative paths
    // it uses for the chart's chunk then resolve from the page exactly as they did from the chunk.
    assetsDir: '.',
    target: 'chrome140',
    // electron-vite does not minify a renderer unless asked; the app ships what `npm run bench -- renderer` measures.
    minify: true,
    // One small script and one stylesheet, inlined: nothing to gain from splitting a window this size.
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

/** The build mode that keeps the entry's script and stylesheet as files: the bench's "before" for inlineEntry. */
export const SEPARATE_FILES_MODE = 'separate-files'

/**
 * Puts the entry's script and stylesheet inside index.html, so the window paints from one file instead of three:
 * each extra file cost 15–20 ms before the first paint (`npm run bench -- renderer`). The CSP allows exactly those
 * two by hash (common/csp.ts); the hashes are also left in INLINE_HASHES_FILE for main's CSP header. The chart's
 * chunk (loaded while idle) stays a file of its own.
 */
function inlineEntry(): Plugin {
  let inlining = true
  return {
    name: 'seat-tray:inline-entry',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      inlining = config.mode !== SEPARATE_FILES_MODE
    },
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        if (!inlining) return
        const page = bundle['index.html']
        const entry = Object.values(bundle).find((file) => file.type === 'chunk' && file.isEntry)
        if (page?.type !== 'asset' || entry?.type !== 'chunk')
          this.error('inline-entry: no index.html or entry')
        let html = String(page.source)
        const hashes: InlineHashes = { scripts: [], styles: [] }
        const inline = (tag: RegExp, element: 'script' | 'style', text: string, opening: string) => {
          if (!tag.test(html)) this.error(`inline-entry: index.html has no tag for ${element} ${tag}`)
          // A closing tag inside the text would end the element early; the escape is also what gets hashed.
          const safe = text.replaceAll(`</${element}`, `<\\/${element}`)
          ;(element === 'script' ? hashes.scripts : hashes.styles).push(sha256Source(safe))
          html = html.replace(tag, () => `${opening}${safe}</${element}>`)
        }
        inline(scriptTag(entry.fileName), 'script', entry.code, '<script type="module">')
        delete bundle[entry.fileName]
        for (const cssFile of entry.viteMetadata?.importedCss ?? []) {
          const css = bundle[cssFile]
          if (css?.type !== 'asset') this.error(`inline-entry: ${cssFile} is not in the bundle`)
          inline(styleTag(cssFile), 'style', String(css.source), '<style>')
          delete bundle[cssFile]
        }
        const meta = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/
        if (!meta.test(html)) this.error('inline-entry: index.html has no CSP meta tag')
        page.source = html.replace(meta, (_all, open, close) => `${open}${windowCsp(hashes, 'meta')}${close}`)
        this.emitFile({ type: 'asset', fileName: INLINE_HASHES_FILE, source: JSON.stringify(hashes) })
      },
    },
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const scriptTag = (file: string) =>
  new RegExp(`<script type="module"[^>]*\\ssrc="\\./${escapeRegExp(file)}"[^>]*></script>`)
const styleTag = (file: string) =>
  new RegExp(`<link rel="stylesheet"[^>]*\\shref="\\./${escapeRegExp(file)}"[^>]*>`)
const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
