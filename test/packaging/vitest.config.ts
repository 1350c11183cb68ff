/**
 * The packaging checks run on their own (`npm run package:check`), not in the main vitest run: they build the app and
 * run electron-builder, which takes several seconds and writes out/.
 */
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/packaging/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
