import { defineConfig } from '@playwright/test'

/**
 * The Electron end-to-end suite. Run it through test/e2e/run.mjs, which says in one line when it cannot run here
 * (no Electron binary) instead of reporting a pass.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.e2e.ts',
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure' },
})
