import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/helpers/chromium'

/**
 * The window's browser tests (test/ui): the built renderer served on loopback, a fake SeatsApi injected before load,
 * Debian's Chromium (never `playwright install`: nothing is downloaded here).
 */
// UI_PORT lets two checkouts on one machine run the suite at once.
const PORT = Number(process.env.UI_PORT ?? 41731)

export default defineConfig({
  testDir: 'test/ui',
  outputDir: 'artifacts/playwright',
  fullyParallel: false,
  // The machine is shared: one browser at a time keeps timings honest and the box responsive.
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  reporter: [['list']],
  webServer: {
    command: `npx vite build --config renderer/vite.config.ts --logLevel warn && npx vite preview --config renderer/vite.config.ts --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    // The window's real size (main/platform/windows.ts): every state is judged at what a person sees.
    viewport: { width: 380, height: 560 },
    launchOptions: chromiumLaunchOptions,
  },
})
