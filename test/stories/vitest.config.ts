import { defineConfig } from 'vitest/config'

/**
 * The user stories end to end on the test host (test/host): one file, one Chromium, a new page per story.
 * scripts/test-all.sh runs it inside the D-Bus session with gnome-keyring that the keychain tests use.
 */
export default defineConfig({
  test: {
    include: ['test/stories/**/*.test.ts'],
    setupFiles: ['test/stories/setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    fileParallelism: false,
    // electron-store is inlined so the electron stand-in in setup.ts reaches its `import electron`.
    server: { deps: { inline: ['electron-store'] } },
  },
})
