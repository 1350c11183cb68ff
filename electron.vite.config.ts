/**
 * One build for the three Electron bundles (`npm run build` = this + build:cli):
 * - main: ESM (Electron ≥ 28), with electron-store (ESM-only), zod, pngjs, electron-updater and electron-log bundled in; keytar stays external
 *   because it is a native addon that must be loaded from node_modules.
 * - preload: ONE CommonJS file. A sandboxed preload cannot load ESM or split chunks and may only require `electron`,
 *   so everything it imports (the channel map in common/contract.ts) is inlined.
 * - renderer: the window, with renderer/vite.config.ts's settings, into out/renderer.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'electron-vite'
import renderer from './renderer/vite.config'

export default defineConfig({
  main: {
    // A company packaging Seat Tray for its own staff bakes in its Zoho client; otherwise the admin enters one.
    // SEAT_TRAY_UPDATES=off builds a copy that never updates itself (a company that ships updates its own way).
    define: {
      __SEAT_TRAY_BUILD_CLIENT__: JSON.stringify(buildClientFromEnv()),
      __SEAT_TRAY_UPDATES__: JSON.stringify(process.env.SEAT_TRAY_UPDATES?.trim() !== 'off'),
    },
    build: {
      outDir: 'out/main',
      // electron-updater and electron-log are bundled too: only keytar must load from node_modules.
      externalizeDeps: { exclude: ['electron-store', 'zod', 'pngjs', 'electron-updater', 'electron-log'] },
      rollupOptions: {
        input: { index: 'main/index.ts' },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: 'preload/index.ts' },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    ...renderer,
    root: fileURLToPath(new URL('./renderer', import.meta.url)),
    build: {
      ...renderer.build,
      outDir: 'out/renderer',
      rollupOptions: { input: fileURLToPath(new URL('./renderer/index.html', import.meta.url)) },
    },
  },
})

function buildClientFromEnv(): { clientId: string; clientSecret: string } | null {
  const clientId = process.env.SEAT_TRAY_ZOHO_CLIENT_ID?.trim()
  const clientSecret = process.env.SEAT_TRAY_ZOHO_CLIENT_SECRET?.trim()
  return clientId && clientSecret ? { clientId, clientSecret } : null
}
